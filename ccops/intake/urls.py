from django.urls import path

from ccops.intake import views

app_name = "intake"
urlpatterns = [
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/rerun/", views.batch_rerun, name="batch_rerun"),
]
