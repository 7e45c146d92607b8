"""Signals the clinic connects to its audit log (the outbox cannot import the clinic).

* ``job_retried(sender=SyncJob, job, by)``: a person asked for another try.
* ``job_cancelled(sender=SyncJob, job, by)``: a person cancelled a job.
* ``service_paused(sender=ServicePause, pause, by, paused)``: the pause switch was turned on
  (``paused=True``) or off.

They are sent inside the service's transaction, so an audit row commits with the change.
"""

from __future__ import annotations

from django.dispatch import Signal

job_retried = Signal()
job_cancelled = Signal()
service_paused = Signal()
