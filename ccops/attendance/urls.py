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
    path("months/", views.summary_list, name="summary_list"),
    path("months/<int:pk>/", views.summary_detail, name="summary_detail"),
    path("months/<int:pk>/<str:action>/", views.summary_step, name="summary_step"),
    path("lines/<int:pk>/<str:action>/", views.line_step, name="line_step"),
    path("floor/", views.floor_board, name="floor_board"),
    path("floor/away/", views.floor_leave, name="floor_leave"),
    path("floor/away/<int:pk>/back/", views.floor_back, name="floor_back"),
]
