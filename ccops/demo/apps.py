from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ccops.demo"
    label = "demo"
