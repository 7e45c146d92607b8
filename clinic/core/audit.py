"""The one function every app calls to write the audit log.

    from clinic.core.audit import audit
    audit(user, "view", record)            # a read of a medical record
    audit(user, "update", visit, summary="poli changed")

The request (address, request id) is picked up from the current request when there is one.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from clinic.core.middleware import client_ip, current_request
from clinic.core.models import AuditAction, AuditEvent, Facility, User


def audit(
    actor: User | Any | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    summary: str = "",
    facility: Facility | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``obj``. Never pass secrets or identifiers
    (NIK, card numbers) in ``summary``: the object reference is enough to find them."""
    action = AuditAction(action)
    request = current_request()
    user = actor if isinstance(actor, User) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        facility = facility or getattr(obj, "facility", None)
    if facility is None and user is not None:
        facility = user.facility
    return AuditEvent.objects.create(
        facility=facility,
        actor=user,
        actor_username=user.get_username() if user else str(actor or ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        ip_address=client_ip(request) if request is not None else None,
        request_id=getattr(request, "request_id", "") if request is not None else "",
    )
