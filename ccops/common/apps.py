from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "ccops.common"
    label = "common"
