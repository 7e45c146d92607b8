from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from bridging.outbox.models import SyncJob
from clinic.core.errors import ValidationFailed
from clinic.core.models import AuditEvent
from clinic.queues.models import (
    DoctorSchedule,
    EligibilityStatus,
    Poli,
    QueueCounter,
    QueueTicket,
    Visit,
)
from clinic.queues.services import QuotaFull, visit_register, visits_due_pendaftaran
from tests.queues.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def register(clinic, patient, day, **overrides):
    kwargs = {
        "facility": clinic.facility,
        "patient": patient,
        "poli": clinic.umum,
        "visit_date": day,
        "payer": "bpjs",
        "is_sick_visit": None,
        "tkp": "10",
        "complaint": "demam sejak kemarin",
        "source": "frontdesk",
    }
    kwargs.update(overrides)
    return visit_register(**kwargs)


def assert_nothing_saved():
    assert Visit.objects.count() == 0
    assert QueueTicket.objects.count() == 0
    assert SyncJob.objects.count() == 0
    assert list(QueueCounter.objects.values_list("last_number", flat=True)) in ([], [0])


def jobs():
    return sorted(SyncJob.objects.values_list("operation", "idempotency_key"))


def test_walk_in_bpjs_visit_gets_number_and_enqueues_pendaftaran_and_antrean_add(
    clinic, pasien, today, frontdesk
):
    visit = register(clinic, pasien, today, created_by=frontdesk)
    ticket = visit.ticket
    assert (ticket.label, ticket.number, ticket.source, ticket.jkn_antrean) == (
        "A-1",
        1,
        "frontdesk",
        True,
    )
    assert visit.doctor == clinic.dokter_umum
    assert ticket.schedule.doctor == clinic.dokter_umum
    assert visit.is_sick_visit is True
    assert visit.eligibility == EligibilityStatus.NOT_VERIFIED
    assert jobs() == [
        ("antrean.add", f"antrean.add:visit:{visit.pk}"),
        ("pcare.pendaftaran.add", f"pcare.pendaftaran.add:visit:{visit.pk}"),
    ]
    assert set(SyncJob.objects.values_list("subject_type", "subject_id")) == {
        ("queues.visit", str(visit.pk))
    }
    assert (
        AuditEvent.objects.filter(
            action="create", object_type="queues.visit", object_id=str(visit.pk)
        ).count()
        == 1
    )


def test_mobile_jkn_booking_does_not_send_antrean_add(clinic, pasien, today):
    visit = register(clinic, pasien, today, source="mobilejkn")
    assert visit.ticket.jkn_antrean is True
    assert jobs() == [("pcare.pendaftaran.add", f"pcare.pendaftaran.add:visit:{visit.pk}")]


def test_mobile_jkn_booking_ahead_sends_pendaftaran_on_its_day(clinic, pasien, today):
    visit = register(clinic, pasien, today + timedelta(days=2), source="mobilejkn")
    assert jobs() == []
    assert visits_due_pendaftaran(today + timedelta(days=2)) == 1
    assert jobs() == [("pcare.pendaftaran.add", f"pcare.pendaftaran.add:visit:{visit.pk}")]
    assert visits_due_pendaftaran(today + timedelta(days=2)) == 0


def test_self_pay_and_insured_visits_send_nothing_to_bpjs(clinic, pasien, pasien_umum, today):
    register(clinic, pasien_umum, today, payer="umum")
    visit = register(
        clinic, pasien, today, payer="insurance", insurer_name="ASURANSI SEHAT SEJAHTERA"
    )
    assert visit.insurer_name == "ASURANSI SEHAT SEJAHTERA"
    assert visit.eligibility == EligibilityStatus.NOT_APPLICABLE
    assert jobs() == []
    assert list(QueueTicket.objects.values_list("label", flat=True)) == ["A-1", "A-2"]


def test_sick_visit_defaults_from_the_poli_and_can_be_overridden(clinic, pasien, today):
    assert register(clinic, pasien, today, poli=clinic.kia).is_sick_visit is False
    other = PatientFactory(facility=clinic.facility)
    assert register(clinic, other, today, poli=clinic.kia, is_sick_visit=True).is_sick_visit


def test_unknown_poli_is_refused_in_indonesian_and_nothing_is_saved(
    clinic, other_clinic, pasien, today
):
    message = "Poli tidak dikenal: pilih salah satu poli aktif di klinik ini."
    for poli in (None, other_clinic.umum):
        with pytest.raises(ValidationFailed) as refused:
            register(clinic, pasien, today, poli=poli)
        assert refused.value.message == message
        assert refused.value.fields == {"poli": [message]}
    Poli.objects.filter(pk=clinic.gigi.pk).update(is_active=False)
    clinic.gigi.refresh_from_db()
    with pytest.raises(ValidationFailed, match="Poli tidak dikenal"):
        register(clinic, pasien, today, poli=clinic.gigi)
    assert_nothing_saved()


def test_closed_day_is_refused_in_indonesian(clinic, pasien, today):
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    tuesday = monday + timedelta(days=1)
    DoctorSchedule.objects.filter(poli=clinic.umum).exclude(weekday=0).delete()
    with pytest.raises(ValidationFailed) as refused:
        register(clinic, pasien, tuesday)
    assert refused.value.code == "poli_closed"
    assert refused.value.message == (f"Poli Umum tutup pada hari Selasa {tuesday:%d-%m-%Y}.")
    assert_nothing_saved()
    assert register(clinic, pasien, monday, source="mobilejkn").ticket.label == "A-1"


def test_past_date_missing_insurer_and_cardless_bpjs_are_refused(
    clinic, pasien, pasien_umum, today
):
    cases = [
        (
            {"visit_date": today - timedelta(days=1)},
            "visit_date",
            "Tanggal kunjungan sudah lewat.",
        ),
        ({"payer": "insurance", "insurer_name": " "}, "insurer_name", "Isi nama asuransi."),
        (
            {"patient": pasien_umum},
            "payer",
            "Pasien ini tidak punya nomor kartu BPJS: pilih bayar sendiri (umum) atau asuransi.",
        ),
        ({"tkp": "99"}, "tkp", "TKP tidak dikenal: pilih RJTP, RITP atau promotif."),
        ({"payer": "gratis"}, "payer", "Pilih penjamin: BPJS, umum atau asuransi."),
    ]
    for overrides, field, message in cases:
        kwargs = {"visit_date": today}
        kwargs.update(overrides)
        with pytest.raises(ValidationFailed) as refused:
            register(clinic, kwargs.pop("patient", pasien), kwargs.pop("visit_date"), **kwargs)
        assert refused.value.fields == {field: [message]}
    assert_nothing_saved()


def test_full_quota_refuses_the_visit_and_leaves_no_gap(clinic, today):
    DoctorSchedule.objects.filter(poli=clinic.umum).update(daily_quota=2)
    a = register(clinic, PatientFactory(facility=clinic.facility), today)
    b = register(clinic, PatientFactory(facility=clinic.facility), today)
    late = PatientFactory(facility=clinic.facility)
    with pytest.raises(QuotaFull) as refused:
        register(clinic, late, today)
    assert refused.value.message == (
        "Kuota dr. ANDI PRATAMA di Poli Umum pada tanggal tersebut sudah penuh."
    )
    assert Visit.objects.filter(patient=late).count() == 0
    assert [a.ticket.number, b.ticket.number] == [1, 2]
    assert QueueCounter.objects.get(poli=clinic.umum, date=today).last_number == 2


def _evening_session_of_dr_budi(clinic, day, *, quota):
    """A second doctor's afternoon session at Poli Umum on ``day``'s weekday."""
    from datetime import time

    from clinic.queues.models import Doctor

    budi = Doctor.objects.create(facility=clinic.facility, name="dr. BUDI", pcare_code="131493")
    return DoctorSchedule.objects.create(
        facility=clinic.facility,
        poli=clinic.umum,
        doctor=budi,
        weekday=day.weekday(),
        start_time=time(15),
        end_time=time(20),
        daily_quota=quota,
    )


def test_the_session_with_most_quota_left_is_chosen(clinic, today):
    _evening_session_of_dr_budi(clinic, today, quota=3)
    DoctorSchedule.objects.filter(poli=clinic.umum, doctor=clinic.dokter_umum).update(daily_quota=2)
    doctors = [
        register(clinic, PatientFactory(facility=clinic.facility), today).doctor.name
        for _ in range(5)
    ]
    assert doctors == ["dr. BUDI", "dr. ANDI PRATAMA", "dr. BUDI", "dr. ANDI PRATAMA", "dr. BUDI"]
    with pytest.raises(QuotaFull, match="Semua kuota di Poli Umum"):
        register(clinic, PatientFactory(facility=clinic.facility), today)


def test_chosen_doctor_without_a_session_that_day_is_refused(clinic, pasien, today):
    with pytest.raises(ValidationFailed) as refused:
        register(clinic, pasien, today, doctor=clinic.dokter_gigi)
    assert refused.value.code == "poli_closed"
    assert_nothing_saved()


def test_due_pendaftaran_task_enqueues_todays_bookings_made_ahead(clinic, pasien, today):
    from clinic.queues.models import QueueTicket as Ticket
    from clinic.queues.tasks import enqueue_due_pendaftaran

    visit = register(clinic, pasien, today, source="mobilejkn")
    SyncJob.objects.all().delete()  # as if it had been booked on an earlier day
    assert Ticket.objects.filter(visit=visit).count() == 1
    assert enqueue_due_pendaftaran() == 1
    assert jobs() == [("pcare.pendaftaran.add", f"pcare.pendaftaran.add:visit:{visit.pk}")]
    assert enqueue_due_pendaftaran() == 0


def test_a_kiosk_number_is_taken_over_by_the_visit(clinic, pasien, today):
    from clinic.queues.services import kiosk_ticket_take

    register(clinic, PatientFactory(facility=clinic.facility), today)
    kiosk = kiosk_ticket_take(poli=clinic.umum)
    visit = register(clinic, pasien, today, ticket=kiosk)
    assert (visit.ticket.pk, visit.ticket.label, visit.ticket.source) == (kiosk.pk, "A-2", "kiosk")
    assert visit.ticket.jkn_antrean is True
    assert QueueCounter.objects.get(poli=clinic.umum, date=today).last_number == 2
    assert ("antrean.add", f"antrean.add:visit:{visit.pk}") in jobs()
    other = PatientFactory(facility=clinic.facility)
    with pytest.raises(ValidationFailed) as refused:
        register(clinic, other, today, ticket=kiosk)
    assert refused.value.fields == {
        "ticket": [
            "Nomor antrean itu tidak bisa dipakai: milik poli atau hari lain, "
            "atau sudah dipakai kunjungan lain."
        ]
    }
    assert Visit.objects.filter(patient=other).count() == 0


def test_given_sessions_are_tried_in_the_order_given(clinic, today):
    evening = _evening_session_of_dr_budi(clinic, today, quota=5)
    budi = evening.doctor
    morning = DoctorSchedule.objects.get(
        poli=clinic.umum, doctor=clinic.dokter_umum, weekday=today.weekday()
    )
    morning.daily_quota = 1
    morning.save()
    sessions = [morning, evening]  # the morning first, though the evening has more quota left
    first = register(clinic, PatientFactory(facility=clinic.facility), today, schedules=sessions)
    second = register(clinic, PatientFactory(facility=clinic.facility), today, schedules=sessions)
    assert (first.doctor, first.ticket.schedule) == (clinic.dokter_umum, morning)
    # The morning is full: the evening session takes the patient, and the visit its doctor.
    assert (second.doctor, second.ticket.schedule) == (budi, evening)
    assert [first.ticket.number, second.ticket.number] == [1, 2]


def test_given_sessions_must_belong_to_the_poli_and_the_day(clinic, pasien, today):
    gigi = DoctorSchedule.objects.filter(poli=clinic.gigi, weekday=today.weekday()).first()
    other_day = (
        DoctorSchedule.objects.filter(poli=clinic.umum).exclude(weekday=today.weekday()).first()
    )
    with pytest.raises(ValidationFailed) as refused:
        register(clinic, pasien, today, schedules=[gigi])
    assert refused.value.fields == {
        "schedule": ["Jadwal praktik itu bukan milik poli dan dokter ini."]
    }
    with pytest.raises(ValidationFailed) as closed:
        register(clinic, pasien, today, schedules=[other_day])
    assert closed.value.code == "poli_closed"
    with pytest.raises(ValidationFailed) as none:
        register(clinic, pasien, today, schedules=[])
    assert none.value.code == "poli_closed"
    assert_nothing_saved()
