from django.urls import path

from ccops.planning import views

app_name = "planning"
urlpatterns = [
    path("forecasts/", views.forecast_list, name="forecast_list"),
    path("forecasts/<int:pk>/", views.forecast_detail, name="forecast_detail"),
    path("forecasts/<int:pk>/adjust/", views.forecast_adjust, name="forecast_adjust"),
    path("forecasts/<int:pk>/publish/", views.forecast_publish, name="forecast_publish"),
    path("forecasts/<int:pk>/staffing/", views.staffing_create, name="staffing_create"),
    path("staffing/<int:pk>/", views.staffing_detail, name="staffing_detail"),
    path("headcount/", views.headcount_list, name="headcount_list"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
]
