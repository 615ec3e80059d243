from django.urls import path

from ccops.attendance import views

app_name = "attendance"
urlpatterns = [
    path("leave/", views.leave_list, name="leave_list"),
    path("leave/ask/", views.leave_request, name="leave_request"),
    path("leave/<int:pk>/withdraw/", views.leave_withdraw, name="leave_withdraw"),
    path("leave/<int:pk>/<str:action>/", views.leave_decide, name="leave_decide"),
    path("blackout-days/", views.blackout_list, name="blackout_list"),
    path("blackout-days/<int:pk>/delete/", views.blackout_delete, name="blackout_delete"),
]
