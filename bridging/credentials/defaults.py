"""Where each BPJS service lives, per environment (PROTOCOL.md §1.1, SANDBOX.md "Where it runs").

No Django models here; the sandbox host comes from ``settings.BPJS_SANDBOX_URL`` at call time, so
a test or a machine that runs the sandbox elsewhere only changes that one setting.
"""

from __future__ import annotations

from django.conf import settings

__all__ = [
    "DEVELOPMENT_HOST",
    "ENVIRONMENTS",
    "PRODUCTION_HOST",
    "SANDBOX_TEST_CARD",
    "SERVICES",
    "SERVICE_LABELS",
    "default_base_url",
    "default_test_card",
]

SERVICES: tuple[str, ...] = ("pcare", "antreanfktp", "icare", "vclaim")
ENVIRONMENTS: tuple[str, ...] = ("sandbox", "development", "production")
SERVICE_LABELS: dict[str, str] = {
    "pcare": "PCare",
    "antreanfktp": "Antrean FKTP",
    "icare": "iCare JKN",
    "vclaim": "VClaim",
}

DEVELOPMENT_HOST = "https://apijkn-dev.bpjs-kesehatan.go.id"
PRODUCTION_HOST = "https://apijkn.bpjs-kesehatan.go.id"

# The sandbox uses the development gateway's service paths (SANDBOX.md).
_DEV_PATHS = {
    "pcare": "pcare-rest-dev",
    "antreanfktp": "antreanfktp_dev",
    "icare": "ihs_dev",
    "vclaim": "vclaim-rest-dev",
}
# Production iCare is ``wsihs`` (not ``ihs``), PROTOCOL.md §1.1 and §6.
_PRODUCTION_PATHS = {
    "pcare": "pcare-rest",
    "antreanfktp": "antreanfktp",
    "icare": "wsihs",
    "vclaim": "vclaim-rest",
}

SANDBOX_TEST_CARD = "0001000000001"  # BUDI SANTOSO, active, registered at the demo clinic


def default_base_url(environment: str, service: str) -> str:
    """The base URL used when a credential leaves its own blank."""
    if service not in SERVICES:
        raise ValueError(f"unknown BPJS service {service!r}")
    if environment == "sandbox":
        host = str(getattr(settings, "BPJS_SANDBOX_URL", "http://127.0.0.1:8001")).rstrip("/")
        return f"{host}/{_DEV_PATHS[service]}"
    if environment == "development":
        return f"{DEVELOPMENT_HOST}/{_DEV_PATHS[service]}"
    if environment == "production":
        return f"{PRODUCTION_HOST}/{_PRODUCTION_PATHS[service]}"
    raise ValueError(f"unknown BPJS environment {environment!r}")


def default_test_card(environment: str) -> str:
    """The card the connectivity check reads when the credential names none."""
    return SANDBOX_TEST_CARD if environment == "sandbox" else ""
