from django.urls import path

from ccops.org import tokens, views

app_name = "org"
urlpatterns = [
    *(pattern for entity in views.ENTITIES for pattern in entity.urls()),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("api-tokens/", tokens.token_list, name="token_list"),
    path("api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
