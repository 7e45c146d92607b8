"""Build a :class:`~bridging.transport.http.ServiceConfig` from a facility's stored credentials.

Antrean FKTP and iCare (FKTP) use the PCare consumer (PROTOCOL.md §2.4, §6): on those two
services a blank cons-id, secret or user_key (and on iCare a blank PCare username or password)
is taken from the same facility's PCare credential of the same environment. In particular the
Antrean FKTP user_key defaults to the PCare one and can be set apart when BPJS issued its own.
"""

from __future__ import annotations

from django.apps import apps

from bridging.credentials.defaults import SERVICE_LABELS, SERVICES
from bridging.credentials.models import BpjsCredential, Environment
from bridging.transport.errors import ConfigurationError
from bridging.transport.http import ServiceConfig

__all__ = ["INHERITS_FROM_PCARE", "facility_environment", "service_config"]

#: Services whose blank fields are taken from the PCare credential, and which fields.
INHERITS_FROM_PCARE: dict[str, tuple[str, ...]] = {
    "antreanfktp": ("cons_id", "secret", "user_key"),
    "icare": ("cons_id", "secret", "user_key", "username", "password"),
}
#: Services that send X-authorization (PCare login) on the calls the clinic makes.
NEEDS_LOGIN = frozenset({"pcare", "icare"})

_FIELD_LABELS = {
    "cons_id": "Consumer ID",
    "secret": "consumer secret",
    "user_key": "user_key",
    "username": "username PCare",
    "password": "password PCare",
}


def facility_environment(facility_id: int) -> str:
    """The facility's active BPJS environment (read without importing the clinic)."""
    facility_model = apps.get_model("core", "Facility")
    environment = (
        facility_model.objects.filter(pk=facility_id)
        .values_list("bpjs_environment", flat=True)
        .first()
    )
    if environment is None:
        raise ConfigurationError(
            "Faskes tidak ditemukan; kredensial BPJS tidak dapat dibaca.",
            reason="unknown_facility",
        )
    return str(environment)


def _environment_label(environment: str) -> str:
    return str(dict(Environment.choices).get(environment, environment))


def service_config(
    *, facility_id: int, service: str, environment: str | None = None
) -> ServiceConfig:
    """The transport configuration of ``service`` for one facility and environment.

    ``environment`` defaults to the facility's ``bpjs_environment``. Raises
    ``ConfigurationError`` (Indonesian message for the clinic's staff) when the credential is
    missing or incomplete, or a stored secret cannot be decrypted.
    """
    if service not in SERVICES:
        raise ConfigurationError(
            f"Layanan BPJS tidak dikenal: {service}.", service=service, reason="unknown_service"
        )
    if environment is None:
        environment = facility_environment(facility_id)
    if environment not in Environment.values:
        raise ConfigurationError(
            f"Lingkungan BPJS tidak dikenal: {environment}.",
            service=service,
            reason="unknown_environment",
        )
    label = SERVICE_LABELS[service]
    env_label = _environment_label(environment)
    rows = {
        row.service: row
        for row in BpjsCredential.objects.filter(
            facility_id=facility_id,
            environment=environment,
            service__in={service, "pcare"},
        )
    }
    credential = rows.get(service)
    if credential is None:
        raise ConfigurationError(
            f"Kredensial BPJS {label} untuk lingkungan {env_label} belum diisi. Admin klinik "
            "dapat mengisinya di menu Kredensial BPJS; tidak ada data yang dikirim.",
            service=service,
            reason="missing_credentials",
        )
    values = {
        "cons_id": credential.cons_id.strip(),
        "secret": credential.secret,
        "user_key": credential.user_key,
        "username": credential.username.strip(),
        "password": credential.password,
    }
    pcare = rows.get("pcare")
    if pcare is not None:
        for name in INHERITS_FROM_PCARE.get(service, ()):
            if not values[name]:
                raw = getattr(pcare, name)
                values[name] = raw.strip() if name in {"cons_id", "username"} else raw
    required = ["cons_id", "secret", "user_key"]
    if service in NEEDS_LOGIN:
        required += ["username", "password"]
    missing = [_FIELD_LABELS[name] for name in required if not values[name]]
    if missing:
        raise ConfigurationError(
            f"Kredensial BPJS {label} untuk lingkungan {env_label} belum lengkap: "
            f"{', '.join(missing)} belum diisi. Lengkapi di menu Kredensial BPJS; tidak ada "
            "data yang dikirim.",
            service=service,
            reason="missing_credentials",
        )
    return ServiceConfig(
        service=service,
        base_url=credential.effective_base_url,
        cons_id=values["cons_id"],
        secret=values["secret"],
        user_key=values["user_key"],
        username=values["username"],
        password=values["password"],
        app_code=credential.app_code.strip() or "095",
        connect_timeout=float(credential.connect_timeout),
        read_timeout=float(credential.read_timeout),
    )
