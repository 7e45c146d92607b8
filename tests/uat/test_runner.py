"""The runner on its own: production safety, and no exception ever escapes a step."""

from __future__ import annotations

import pytest

from bridging.uat import runner
from bridging.uat.models import RunState, UatRun
from bridging.uat.scenarios.base import registry
from tests.support.sandbox import free_port

pytestmark = pytest.mark.django_db


def _production_run(facility, **fields) -> UatRun:
    return UatRun.objects.create(
        facility=facility,
        environment="production",
        clinic_url=f"http://127.0.0.1:{free_port()}/ws/antreanfktp",
        **fields,
    )


def test_production_skips_every_writing_step_unless_confirmed(facility):
    run = runner.execute(_production_run(facility))
    verdicts = {s.key: s.verdict for s in run.steps.all()}
    writing = [spec.key for spec in registry() if spec.writes]
    assert writing
    assert {verdicts[key] for key in writing} == {"skipped"}
    assert run.state == RunState.FINISHED
    # Without production credentials nothing is sent: the reading steps end in errors.
    peserta = run.steps.get(name="peserta_by_card")
    assert (peserta.verdict, peserta.exchanges) == ("error", [])
    assert "ConfigurationError" in peserta.message


def test_confirmed_production_run_attempts_the_writing_steps(facility):
    run = runner.execute(_production_run(facility, writes_confirmed=True))
    step = run.steps.get(name="pendaftaran_add")
    assert step.verdict == "error"
    assert "belum diisi" in step.message


def test_a_step_that_raises_is_recorded_as_an_error_and_the_run_goes_on(facility, monkeypatch):
    from bridging.uat.scenarios import icare

    def boom(ctx):
        raise RuntimeError("unexpected")

    spec = next(s for s in registry(["icare"]) if s.name == "validate")
    monkeypatch.setattr(
        "bridging.uat.runner.registry",
        lambda groups=None: [type(spec)(spec.group, spec.name, spec.title, spec.expectation, boom)],
    )
    run = UatRun.objects.create(facility=facility, environment="sandbox", groups=["icare"])
    run = runner.execute(run)
    step = run.steps.get()
    assert (step.verdict, step.message) == ("error", "RuntimeError: unexpected")
    assert (run.state, run.errors, run.progress_done) == (RunState.FINISHED, 1, 1)
    assert icare.G == "icare"
