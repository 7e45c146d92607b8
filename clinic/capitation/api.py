"""``/api/v1/capitation/dashboard/?month=YYYY-MM``: the KBK figures and capitation (read-only;
clinic admins and doctors)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.capitation import indicators
from clinic.capitation.periods import parse_month
from clinic.core.access import require_role
from clinic.core.models import Role, User


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


class DashboardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        require_role(user, Role.CLINIC_ADMIN, Role.DOCTOR)
        assert user.facility is not None
        month = parse_month(request.query_params.get("month"), timezone.localdate())
        board = indicators.dashboard(user.facility, month, timezone.localdate())
        figures = {
            code: {
                "value": _decimal(f.value),
                "projected": _decimal(f.projected),
                "numerator": f.numerator,
                "denominator": f.denominator,
                "projected_numerator": f.projected_numerator,
                "rating": f.rating,
                "projected_rating": f.projected_rating,
                "target": _decimal(f.target),
                "unit": f.unit,
            }
            for code, f in board.figures.items()
        }
        capitation = board.capitation
        tariff = capitation.choice.tariff if capitation else None
        return Response(
            {
                "month": month.strftime("%Y-%m"),
                "roster_month": board.roster_month.strftime("%Y-%m")
                if board.roster_month
                else None,
                "roster_size": board.roster_size,
                "open_days_total": board.period.open_days_total,
                "open_days_elapsed": board.period.open_days_elapsed,
                "indicators": figures,
                "rppt_rule": board.rule_set.description if board.rule_set else None,
                "score": _decimal(board.score),
                "projected_score": _decimal(board.projected_score),
                "share_percent": _decimal(board.share_percent),
                "projected_share_percent": _decimal(board.projected_share_percent),
                "tariff": _decimal(tariff.amount) if tariff else None,
                "tariff_source": tariff.legal_source if tariff else None,
                "full_capitation": _decimal(capitation.full_amount if capitation else None),
                "expected_capitation": _decimal(capitation.expected_amount if capitation else None),
                "received": _decimal(
                    capitation.received.amount if capitation and capitation.received else None
                ),
            }
        )
