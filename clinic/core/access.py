"""Who may see what. Every patient-related record belongs to a facility; staff see only
their own facility's. Later apps add one ``access_*`` function per kind of record here or in
their own ``access.py``, built on these."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from clinic.core.models import Role, User

M = TypeVar("M", bound=models.Model)


def facility_scope(
    queryset: models.QuerySet[M], user: User, field: str = "facility"
) -> models.QuerySet[M]:
    """Only the rows of the user's facility (none for a user without one)."""
    if not user.is_authenticated or user.facility_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.facility_id})


def get_for_user(queryset: models.QuerySet[M], user: User, **lookup: object) -> M:
    """One row of the user's facility, or 404: another facility's row does not exist for them."""
    try:
        return facility_scope(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc


def require_role(user: User, *roles: Role | str) -> None:
    if not user.is_authenticated or user.role not in roles:
        raise PermissionDenied
