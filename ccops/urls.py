from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from ccops.api import api
from ccops.common import views as common_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("org/", include("ccops.org.urls")),
    path("rules/", include("ccops.policy.urls")),
    path("intake/", include("ccops.intake.urls")),
    path("planning/", include("ccops.planning.urls")),
    path("attendance/", include("ccops.attendance.urls")),
    path("audit/", include("ccops.audit.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
