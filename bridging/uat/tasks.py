"""The Celery task that runs a UAT started from the admin pages."""

from __future__ import annotations

from celery import shared_task

from bridging.uat import runner
from bridging.uat.models import RunState, UatRun


# Not acks_late: a run that a dying worker leaves behind must not start again by itself (its
# steps write test data); the admin starts a new one.
@shared_task(name="bridging.uat.run_uat", acks_late=False, ignore_result=True)
def run_uat(run_id: int) -> str:
    """Run UAT ``run_id`` if it is still queued; a no-op otherwise."""
    claimed = UatRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(state=RunState.RUNNING)
    if not claimed:
        return "not-queued"
    run = UatRun.objects.get(pk=run_id)
    run = runner.execute(run)
    return str(run.state)
