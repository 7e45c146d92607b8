from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from clinic.core.models import BpjsEnvironment

BADGE_TEXT = {
    BpjsEnvironment.SANDBOX: "SANDBOX",
    BpjsEnvironment.DEVELOPMENT: "BPJS DEVELOPMENT",
    BpjsEnvironment.PRODUCTION: "PRODUCTION",
}


def clinic(request: HttpRequest) -> dict[str, Any]:
    """The facility and its BPJS environment badge, on every page."""
    user = getattr(request, "user", None)
    facility = (
        getattr(user, "facility", None) if user is not None and user.is_authenticated else None
    )
    env = facility.bpjs_environment if facility else None
    return {
        "current_facility": facility,
        "bpjs_environment": env,
        "bpjs_environment_badge": BADGE_TEXT.get(env, "") if env else "",
    }
