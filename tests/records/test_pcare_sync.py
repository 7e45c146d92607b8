"""Signing sends the record to PCare through the outbox: kunjungan after the pendaftaran, then
obat and tindakan; 412 answers are explained and can be fixed and re-sent; voiding deletes."""

from __future__ import annotations

import pytest

from bridging.outbox.models import JobState, SyncJob
from clinic.records import services, sync
from clinic.records.problems import job_problem
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


def _kunjungan_requests(sandbox) -> list[dict]:
    log = sandbox.control("GET", "/requests", None, limit=200, service="pcare")["requests"]
    return [r for r in log if r["path"].endswith("kunjungan/V1")]


def test_kunjungan_is_never_attempted_before_its_pendaftaran_is_sent(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, delivered
):
    from bridging.outbox.runner import run_job

    record = encounter(triaged(visit, perawat), dokter, ["R51"])
    services.record_sign(record=record, by=dokter)
    add = sync.kunjungan_job(record)
    assert add is not None
    assert list(add.depends_on.all()) == [pendaftaran]

    assert run_job(add.pk) == "blocked"
    assert run_job(add.pk) == "blocked"
    assert _kunjungan_requests(sandbox) == []
    add.refresh_from_db()
    assert (add.state, add.attempts) == (JobState.WAITING, 0)

    assert run_job(pendaftaran.pk) == "sent"
    assert run_job(add.pk) == "sent"
    assert len(_kunjungan_requests(sandbox)) == 1


def test_a_412_is_explained_and_the_fixed_visit_is_sent_again(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs, client_for
):
    doctor.pcare_code = "999999"
    doctor.save()
    record = encounter(triaged(visit, perawat), dokter, ["R51"])
    services.record_sign(record=record, by=dokter)
    run_jobs()

    add = sync.kunjungan_job(record)
    assert add.state == JobState.ATTENTION
    problem = job_problem(add)
    assert problem["problem"] is True
    assert [(f["field"], f["message"]) for f in problem["field_errors"]] == [
        ("kdDokter", "Kode dokter tidak ditemukan")
    ]
    page = client_for(dokter).get(f"/records/visits/{visit.pk}/").content.decode()
    assert "Kode dokter tidak ditemukan" in page
    assert 'data-testid="resend-pcare.kunjungan.add"' in page

    doctor.pcare_code = "131491"
    doctor.save()
    response = client_for(dokter).post(f"/records/{record.pk}/jobs/{add.pk}/resend/")
    assert response.status_code == 302
    run_jobs()
    add.refresh_from_db()
    assert add.state == JobState.SENT
    [kunjungan] = sandbox_state(sandbox, "kunjungan")
    assert kunjungan["request"]["kdDokter"] == "131491"


def test_a_tacc_refusal_is_fixed_by_an_addendum_which_sends_the_visit_again(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs
):
    record = encounter(triaged(visit, perawat), dokter, ["A09"], discharge="4")
    vertical_referral(record, dokter)
    # PCare flags the diagnosis although our table did not at signing (it can differ).
    record.diagnoses.update(non_specialist=False)
    services.record_sign(record=record, by=dokter)
    run_jobs()
    add = sync.kunjungan_job(record)
    assert add.state == JobState.ATTENTION
    assert [f["field"] for f in job_problem(add)["field_errors"]] == ["kdTacc"]

    services.addendum_add(
        record=record,
        by=dokter,
        text="TACC ditambahkan: keluhan sudah lebih dari 7 hari.",
        tacc={"tacc": "1", "tacc_reason": ">= 7 Hari"},
    )
    run_jobs()
    add.refresh_from_db()
    assert add.state == JobState.SENT
    [kunjungan] = sandbox_state(sandbox, "kunjungan")
    assert (kunjungan["request"]["kdTacc"], kunjungan["request"]["alasanTacc"]) == (
        1,
        ">= 7 Hari",
    )


def test_an_addendum_that_changes_pcare_data_edits_the_kunjungan(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs
):
    record = encounter(triaged(visit, perawat), dokter, ["R51"])
    services.record_sign(record=record, by=dokter)
    run_jobs()
    services.addendum_add(record=record, by=dokter, text="Catatan saja.")
    assert _jobs(sync.KUNJUNGAN_EDIT) == []

    services.addendum_add(
        record=record, by=dokter, text="Koreksi diagnosis.", diagnoses=["R51", "I10"]
    )
    run_jobs()
    [edit] = _jobs(sync.KUNJUNGAN_EDIT)
    assert edit.state == JobState.SENT
    [kunjungan] = sandbox_state(sandbox, "kunjungan")
    assert len(kunjungan["requests"]) == 2
    assert kunjungan["request"]["kdDiag2"] == "I10"
    assert kunjungan["request"]["noKunjungan"] == record.pcare_visit_number


def test_voiding_deletes_the_kunjungan_then_the_pendaftaran(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs
):
    record = encounter(triaged(visit, perawat), dokter, ["R51"])
    drug_and_procedure(record, dokter)
    services.record_sign(record=record, by=dokter)
    run_jobs()
    services.record_void(record=record, by=dokter, reason="salah pasien")
    visit.refresh_from_db()
    assert visit.status == "cancelled"
    [delete] = _jobs(sync.KUNJUNGAN_DELETE)
    [pendaftaran_delete] = _jobs(sync.PENDAFTARAN_DELETE)
    assert delete in pendaftaran_delete.depends_on.all()
    run_jobs()
    delete.refresh_from_db()
    pendaftaran_delete.refresh_from_db()
    assert (delete.state, pendaftaran_delete.state) == (JobState.SENT, JobState.SENT)
    [kunjungan] = sandbox_state(sandbox, "kunjungan")
    assert kunjungan["deleted"] is True
    [registration] = sandbox_state(sandbox, "pendaftaran")
    assert registration["deleted"] is True


def test_voiding_before_sending_cancels_what_was_not_sent(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs
):
    record = encounter(triaged(visit, perawat), dokter, ["R51"])
    drug_and_procedure(record, dokter)
    services.record_sign(record=record, by=dokter)
    services.record_void(record=record, by=dokter, reason="batal")
    assert {j.state for j in _jobs(sync.KUNJUNGAN_ADD) + _jobs(sync.OBAT_ADD)} == {
        JobState.CANCELLED
    }
    assert _jobs(sync.KUNJUNGAN_DELETE) == []
    run_jobs()
    assert _kunjungan_requests(sandbox) == []


def test_a_drug_and_a_procedure_added_by_addendum_go_to_pcare(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs, client_for
):
    record = encounter(triaged(visit, perawat), dokter, ["R51"])
    services.record_sign(record=record, by=dokter)
    run_jobs()
    response = client_for(dokter).post(
        f"/records/{record.pk}/addenda/",
        {
            "text": "Tambahan obat dan tindakan.",
            "new_drug_dpho": "1",
            "new_drug_drug_code": "110100020",
            "new_drug_drug_name": "Parasetamol tab 500 mg",
            "new_drug_signa1": "3",
            "new_drug_signa2": "1",
            "new_drug_quantity": "10",
            "new_procedure_code": "02002",
            "new_procedure_name": "Perawatan luka",
            "new_procedure_fee": "30000",
        },
    )
    assert response.status_code == 302
    addendum = record.addenda.get()
    assert [c["field"] for c in addendum.changes] == ["prescription", "procedure"]
    assert _jobs(sync.KUNJUNGAN_EDIT) == []
    run_jobs()
    assert [j.state for j in _jobs(sync.OBAT_ADD) + _jobs(sync.TINDAKAN_ADD)] == [
        JobState.SENT,
        JobState.SENT,
    ]
    [kunjungan] = sandbox_state(sandbox, "kunjungan")
    assert [o["kdObat"] for o in kunjungan["obat"]] == ["110100020"]
    assert [t["kdTindakan"] for t in kunjungan["tindakan"]] == ["02002"]
    assert record.prescriptions.get().addendum == addendum
