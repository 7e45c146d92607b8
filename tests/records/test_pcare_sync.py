"""Signing sends the record to PCare through the outbox: kunjungan after the pendaftaran, then
obat and tindakan; 412 answers are explained and can be fixed and re-sent; voiding deletes."""

from __future__ import annotations

import pytest

from bridging.outbox.models import JobState, SyncJob
from clinic.records import services, sync
from tests.records.conftest import sandbox_state
from tests.records.helpers import drug_and_procedure, encounter, triaged, vertical_referral

pytestmark = pytest.mark.django_db


def _jobs(operation: str) -> list[SyncJob]:
    return list(SyncJob.objects.filter(operation=operation).order_by("id"))


def test_signed_record_reaches_pcare_with_its_diagnoses_drugs_procedures_and_referral(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs
):
    record = encounter(triaged(visit, perawat), dokter, ["A09", "R51"], discharge="4")
    vertical_referral(record, dokter, tacc="1", tacc_reason="< 3 Hari")
    drug_and_procedure(record, dokter)
    services.record_sign(record=record, by=dokter)

    run_jobs()

    add = _jobs(sync.KUNJUNGAN_ADD)[0]
    assert add.state == JobState.SENT
    record.refresh_from_db()
    assert record.pcare_visit_number == add.remote_id
    assert record.referral.pcare_number == add.remote_id
    [kunjungan] = sandbox_state(sandbox, "kunjungan")
    assert kunjungan["noKunjungan"] == add.remote_id
    assert kunjungan["deleted"] is False
    body = kunjungan["request"]
    assert body["kdDiag1"] == "A09"
    assert body["kdDiag2"] == "R51"
    assert body["kdStatusPulang"] == "4"
    assert body["rujukLanjut"]["kdppk"] == "0999R001"
    assert body["kdTacc"] == 1
    assert body["alasanTacc"] == "< 3 Hari"
    assert [o["kdObat"] for o in kunjungan["obat"]] == ["110100020"]
    assert [t["kdTindakan"] for t in kunjungan["tindakan"]] == ["01001"]
    assert [t["biaya"] for t in kunjungan["tindakan"]] == [15000]
    assert [j.state for j in _jobs(sync.OBAT_ADD)] == [JobState.SENT]
    assert [j.state for j in _jobs(sync.TINDAKAN_ADD)] == [JobState.SENT]
    assert record.prescriptions.get().pcare_id == _jobs(sync.OBAT_ADD)[0].remote_id
    assert record.procedures.get().pcare_id == _jobs(sync.TINDAKAN_ADD)[0].remote_id
