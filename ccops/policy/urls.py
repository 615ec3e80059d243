from django.urls import path

from ccops.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("<str:rule_id>/", views.rule_detail, name="rule_detail"),
]
