from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from clinic.core.audit import audit


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit(user, "login")


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit(user, "logout")


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The username typed is recorded (it is what an admin needs to spot a guessing attack),
    # the password never is.
    audit(str(credentials.get("username", ""))[:150], "login_failed")


# --- Bridging apps cannot import the clinic: they send signals, the audit log listens. -------


def _connect_bridging_audit() -> None:
    from bridging.credentials.signals import credential_changed
    from bridging.outbox.signals import job_cancelled, job_retried, service_paused

    def _credential_changed(
        sender: Any,
        credential: Any,
        user: Any,
        created: bool,
        changed_fields: list[str],
        **kwargs: Any,
    ) -> None:
        audit(
            user,
            "create" if created else "update",
            credential,
            summary=f"{credential.environment}/{credential.service}: "
            + ", ".join(sorted(changed_fields))[:200],
        )

    def _job_retried(sender: Any, job: Any, by: Any, **kwargs: Any) -> None:
        audit(by, "action", job, summary=f"retry {job.operation}")

    def _job_cancelled(sender: Any, job: Any, by: Any, **kwargs: Any) -> None:
        audit(by, "action", job, summary=f"cancel {job.operation}")

    def _service_paused(sender: Any, pause: Any, by: Any, paused: bool, **kwargs: Any) -> None:
        state = "paused" if paused else "resumed"
        audit(by, "action", pause, summary=f"{pause.service} {state}")

    credential_changed.connect(_credential_changed, weak=False, dispatch_uid="audit-credential")
    job_retried.connect(_job_retried, weak=False, dispatch_uid="audit-job-retried")
    job_cancelled.connect(_job_cancelled, weak=False, dispatch_uid="audit-job-cancelled")
    service_paused.connect(_service_paused, weak=False, dispatch_uid="audit-service-paused")


_connect_bridging_audit()
