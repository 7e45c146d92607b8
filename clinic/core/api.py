"""API shell: one error format, the token endpoint and a small ``me`` endpoint."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from clinic.core.audit import audit
from clinic.core.errors import ClinicError

_CODES = {
    status.HTTP_400_BAD_REQUEST: "validation_failed",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, list):
        return [str(x) for item in detail for x in _flatten(item)]
    if isinstance(detail, dict):
        return [str(x) for item in detail.values() for x in _flatten(item)]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render every error as ``{"code", "message", "fields"}``."""
    if isinstance(exc, ClinicError):
        return Response(
            {"code": exc.code, "message": exc.message, "fields": exc.fields}, status=exc.status
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields: dict[str, list[str]] = {}
    message: str
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        for key, value in response.data.items():
            fields[str(key)] = _flatten(value)
        message = str(_("Some data is not valid."))
        if list(fields) == ["non_field_errors"]:
            message = fields.pop("non_field_errors")[0]
    elif isinstance(response.data, dict) and "detail" in response.data:
        message = str(response.data["detail"])
    else:
        message = "; ".join(_flatten(response.data))
    code = getattr(getattr(exc, "detail", None), "code", None)
    if not isinstance(code, str) or isinstance(exc, exceptions.ValidationError):
        code = _CODES.get(response.status_code, "error")
    response.data = {"code": code, "message": message, "fields": fields}
    return response


class LoginRateThrottle(AnonRateThrottle):
    rate = "20/min"


class TokenSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token (same lockout rules as the login page)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [LoginRateThrottle]

    def get_authenticate_header(self, request: Request) -> str:
        # A wrong password is a 401 (with a challenge), not a 403.
        return "Token"

    @extend_schema(
        request=TokenSerializer,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request: Request) -> Response:
        from django.contrib.auth import authenticate

        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise exceptions.AuthenticationFailed(_("Wrong username or password."))
        token, _created = Token.objects.get_or_create(user=user)
        audit(user, "login", summary="api token")
        return Response({"token": token.key})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "role": serializers.CharField(),
                "facility": serializers.CharField(allow_null=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user = request.user
        facility = getattr(user, "facility", None)
        return Response(
            {
                "username": user.get_username(),
                "role": getattr(user, "role", ""),
                "facility": facility.bpjs_provider_code if facility else None,
            }
        )
