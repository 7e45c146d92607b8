from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clinic.core import api as core_api
from clinic.core import views as core_views
from clinic.core.forms import LoginForm

api_v1 = [
    path("auth/token/", core_api.ObtainTokenView.as_view(), name="api-token"),
    path("me/", core_api.MeView.as_view(), name="api-me"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("poli/", core_views.poli_list, name="poli-list"),
    path("poli/<int:pk>/", core_views.poli_detail, name="poli-detail"),
    path("admin-klinik/audit/", core_views.audit_log, name="audit-log"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
]
