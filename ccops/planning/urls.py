from django.urls import path

from ccops.planning import roster_views, views

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
    # rosters
    path("rosters/", roster_views.demand_list, name="demand_list"),
    path("staffing/<int:pk>/demand/", roster_views.demand_publish, name="demand_publish"),
    path("demand/<int:pk>/", roster_views.demand_detail, name="demand_detail"),
    path("demand/<int:pk>/generate/", roster_views.roster_generate, name="roster_generate"),
    path(
        "rosters/<int:pk>/reoptimise/",
        roster_views.roster_reoptimise,
        name="roster_reoptimise",
    ),
    path("runs/<int:pk>/", roster_views.run_detail, name="run_detail"),
    path("runs/<int:pk>/cancel/", roster_views.run_cancel, name="run_cancel"),
    path("rosters/<int:pk>/", roster_views.roster_detail, name="roster_detail"),
    path("rosters/<int:pk>/edit/", roster_views.roster_edit, name="roster_edit"),
    path("rosters/<int:pk>/revise/", roster_views.roster_revise, name="roster_revise"),
    path("demand/<int:pk>/import/", roster_views.roster_import, name="roster_import"),
    path("rosters/<int:pk>/<str:action>/", roster_views.roster_review, name="roster_review"),
    path("my-schedule/", roster_views.my_schedule, name="my_schedule"),
    path("demand/<int:pk>/overtime/", roster_views.overtime_offer, name="overtime_offer"),
    path("overtime/<int:pk>/take/", roster_views.overtime_take, name="overtime_take"),
    path("overtime/taken/<int:pk>/audit/", roster_views.overtime_audit, name="overtime_audit"),
    path("swaps/", roster_views.swap_request, name="swap_request"),
    path("swaps/<int:pk>/accept/", roster_views.swap_accept, name="swap_accept"),
    path("swaps/<int:pk>/<str:action>/", roster_views.swap_decide, name="swap_decide"),
    path("team-schedule/", roster_views.team_schedule, name="team_schedule"),
]
