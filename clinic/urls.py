from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from bridging.antrean_ws import views as antrean_ws_views
from clinic.core import api as core_api
from clinic.core import views as core_views
from clinic.core.forms import LoginForm
from clinic.portal import views as portal_views

# Each app's urls.py holds its pages (``urlpatterns``) and its API (``api_urlpatterns``).
APP_URLS = {
    "patients": "clinic.patients.urls",
    "queues": "clinic.queues.urls",
    "records": "clinic.records.urls",
    "referrals": "clinic.referrals.urls",
    "capitation": "clinic.capitation.urls",
    "uat": "bridging.uat.urls",
    "credentials": "bridging.credentials.urls",
    "outbox": "bridging.outbox.urls",
}


def _api(module: str) -> list:
    from importlib import import_module

    return list(import_module(module).api_urlpatterns)


api_v1 = [
    path("auth/token/", core_api.ObtainTokenView.as_view(), name="api-token"),
    path("me/", core_api.MeView.as_view(), name="api-me"),
    *[entry for module in APP_URLS.values() for entry in _api(module)],
]

urlpatterns = [
    path("", portal_views.home, name="home"),
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
    path("poli/", portal_views.poli_list, name="poli-list"),
    path("poli/<int:pk>/", portal_views.poli_detail, name="poli-detail"),
    path("admin-klinik/audit/", core_views.audit_log, name="audit-log"),
    path("healthz", core_views.healthz, name="healthz"),
    *[path(f"{prefix}/", include(module)) for prefix, module in APP_URLS.items()],
    # The Antrean FKTP web service BPJS calls (Mobile JKN), PROTOCOL.md 5.1.
    path("ws/antreanfktp/", include("bridging.antrean_ws.urls")),
    # The bare base URL answers like any unknown path (metadata 201), never with a redirect.
    path("ws/antreanfktp", antrean_ws_views.endpoint, {"path": ""}),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
]


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """HTTP 400: the Antrean FKTP web service answers BPJS with ``metadata`` even then."""
    if antrean_ws_views.is_ws_path(request.path):
        return antrean_ws_views.bad_request(request, exception)
    return defaults.bad_request(request, exception)


handler400 = bad_request
