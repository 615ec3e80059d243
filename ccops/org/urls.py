from django.urls import path

from ccops.org import views

app_name = "org"
urlpatterns = [
    *(pattern for entity in views.ENTITIES for pattern in entity.urls()),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
]
