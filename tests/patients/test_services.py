"""Registration: validation in Indonesian with nothing saved, duplicates, the MRN."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from clinic.core.errors import ValidationFailed
from clinic.core.models import AuditEvent
from clinic.patients.models import FamilyLink, MrnCounter, Patient
from clinic.patients.services import (
    DuplicatePatient,
    LikelyDuplicate,
    family_link_add,
    mrn_issue,
    patient_register,
    patient_update,
)

BUDI = {
    "name": "Budi  Santoso",
    "birth_date": date(1985, 7, 5),
    "sex": "L",
    "nik": "3273010507850001",
    "bpjs_card_number": "0001000000001",
    "phone": "+62 812-0000-0001",
}

pytestmark = pytest.mark.django_db


def register(facility, user, **fields):
    return patient_register(facility=facility, created_by=user, **{**BUDI, **fields})


def test_registration_issues_mrn_and_normalizes(facility, frontdesk):
    patient = register(facility, frontdesk)
    assert patient.mrn == "RM-000001"
    assert patient.name == "BUDI SANTOSO"
    assert patient.name_key == "BUDI SANTOSO"
    assert patient.phone == "+62 812-0000-0001"
    assert patient.phone_normalized == "081200000001"
    assert patient.likely_duplicate is False
    event = AuditEvent.objects.get(action="create", object_id=str(patient.pk))
    assert event.object_type == "patients.patient"
    assert "3273010507850001" not in event.summary and "BUDI" not in event.summary


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"nik": "327301050785000"}, "nik", "NIK harus 16 digit (yang diisi 15 digit)."),
        (
            {"bpjs_card_number": "000100000000A"},
            "bpjs_card_number",
            "Nomor kartu BPJS hanya boleh berisi angka.",
        ),
        (
            {"birth_date": timezone.localdate() + timedelta(days=1), "nik": None},
            "birth_date",
            "Tanggal lahir tidak boleh di masa depan.",
        ),
        (
            {"birth_date": date(1985, 7, 6)},
            "nik",
            "Tanggal lahir pada NIK (05-07-1985) tidak sama dengan tanggal lahir yang diisi "
            "(06-07-1985).",
        ),
        (
            {"sex": "P"},
            "nik",
            "Jenis kelamin pada NIK (laki-laki) tidak sama dengan jenis kelamin yang diisi "
            "(perempuan).",
        ),
        ({"name": " "}, "name", "Nama wajib diisi."),
        (
            {"phone": "08abc"},
            "phone",
            "Nomor telepon hanya boleh berisi angka, spasi, dan tanda hubung.",
        ),
        (
            {"province_code": "32", "regency_code": "3173"},
            "regency_code",
            "Kode wilayah ini tidak termasuk wilayah di atasnya.",
        ),
        (
            {"family_card_number": "327301"},
            "family_card_number",
            "Nomor kartu keluarga (KK) harus 16 digit.",
        ),
    ],
)
def test_bad_input_gets_an_indonesian_message_and_saves_nothing(
    facility, frontdesk, fields, field, message
):
    with pytest.raises(ValidationFailed) as exc:
        register(facility, frontdesk, **fields)
    assert exc.value.fields == {field: [message]}
    assert exc.value.message == message
    assert Patient.objects.count() == 0
    assert MrnCounter.objects.filter(facility=facility, last_number__gt=0).count() == 0
    assert AuditEvent.objects.filter(action="create").count() == 0


def test_several_problems_are_all_reported(facility, frontdesk):
    with pytest.raises(ValidationFailed) as exc:
        register(facility, frontdesk, nik="327301050785000", bpjs_card_number="12", sex="X")
    assert sorted(exc.value.fields) == ["bpjs_card_number", "nik", "sex"]


def test_second_registration_with_same_nik_is_refused_with_a_link(facility, frontdesk):
    first = register(facility, frontdesk)
    with pytest.raises(DuplicatePatient) as exc:
        register(facility, frontdesk, bpjs_card_number=None, name="BUDI S")
    assert exc.value.status == 409
    assert exc.value.message == "Pasien dengan NIK ini sudah terdaftar: RM-000001."
    assert exc.value.fields["existing_patient"] == [f"/patients/{first.pk}/"]
    assert exc.value.existing == first
    assert Patient.objects.count() == 1


def test_same_card_number_is_refused_too(facility, frontdesk):
    first = register(facility, frontdesk)
    with pytest.raises(DuplicatePatient) as exc:
        register(facility, frontdesk, nik=None, name="ORANG LAIN")
    assert exc.value.fields == {
        "bpjs_card_number": ["Pasien dengan nomor kartu BPJS ini sudah terdaftar: RM-000001."],
        "existing_patient": [f"/patients/{first.pk}/"],
    }


def test_same_nik_in_another_facility_is_allowed(facility, other_facility, frontdesk):
    register(facility, frontdesk)
    other = register(other_facility, None)
    assert other.mrn == "RM-000001"
    assert other.facility == other_facility


def test_likely_duplicate_needs_confirmation_and_is_flagged(facility, frontdesk):
    first = register(facility, frontdesk, nik=None, bpjs_card_number=None)
    with pytest.raises(LikelyDuplicate) as exc:
        register(facility, frontdesk, nik=None, bpjs_card_number=None, name="budi santoso.")
    assert exc.value.candidates == [first]
    assert exc.value.message.startswith(
        "Sudah ada pasien dengan nama dan tanggal lahir yang sama (RM-000001)."
    )
    assert Patient.objects.count() == 1
    second = register(
        facility,
        frontdesk,
        nik=None,
        bpjs_card_number=None,
        name="budi santoso.",
        confirm_duplicate=True,
    )
    assert second.likely_duplicate is True
    assert second.mrn == "RM-000002"


def test_mrn_is_never_reused_after_a_delete(facility, frontdesk):
    first = register(facility, frontdesk, nik=None, bpjs_card_number=None, name="SATU")
    second = register(facility, frontdesk, nik=None, bpjs_card_number=None, name="DUA")
    assert (first.mrn, second.mrn) == ("RM-000001", "RM-000002")
    second.delete()
    third = register(facility, frontdesk, nik=None, bpjs_card_number=None, name="TIGA")
    assert third.mrn == "RM-000003"


def test_refused_registration_does_not_consume_a_number(facility, frontdesk):
    register(facility, frontdesk)
    with pytest.raises(DuplicatePatient):
        register(facility, frontdesk, name="LAIN")
    nxt = register(facility, frontdesk, nik=None, bpjs_card_number=None, name="LAIN")
    assert nxt.mrn == "RM-000002"


def test_mrn_issue_counts_up_within_a_transaction(facility):
    with transaction.atomic():
        assert mrn_issue(facility) == "RM-000001"
        assert mrn_issue(facility) == "RM-000002"


def test_update_changes_fields_keeps_mrn_and_checks_nik(facility, frontdesk):
    patient = register(facility, frontdesk)
    updated = patient_update(patient=patient, updated_by=frontdesk, phone="0813 1111 2222")
    assert updated.mrn == "RM-000001"
    assert updated.phone_normalized == "081311112222"
    with pytest.raises(ValidationFailed) as exc:
        patient_update(patient=updated, updated_by=frontdesk, birth_date=date(1985, 7, 6))
    assert list(exc.value.fields) == ["nik"]
    assert AuditEvent.objects.filter(action="update", object_id=str(patient.pk)).count() == 1


def test_update_refuses_a_nik_of_another_patient(facility, frontdesk):
    register(facility, frontdesk)
    other = register(facility, frontdesk, nik=None, bpjs_card_number=None, name="LAIN")
    with pytest.raises(DuplicatePatient):
        patient_update(patient=other, updated_by=frontdesk, nik="3273010507850001")


def test_family_link_adds_the_reverse_link(facility, frontdesk):
    parent = register(facility, frontdesk)
    child = register(
        facility,
        frontdesk,
        nik=None,
        bpjs_card_number=None,
        name="ANAK BUDI",
        birth_date=date(2015, 1, 2),
    )
    family_link_add(patient=parent, relative=child, relation="child", created_by=frontdesk)
    assert FamilyLink.objects.get(patient=child, relative=parent).relation == "parent"
    assert FamilyLink.objects.get(patient=parent, relative=child).relation == "child"


def test_family_link_across_facilities_is_refused(facility, other_facility, frontdesk):
    here = register(facility, frontdesk)
    there = register(other_facility, None)
    with pytest.raises(ValidationFailed) as exc:
        family_link_add(patient=here, relative=there, relation="spouse", created_by=frontdesk)
    assert exc.value.message == "Anggota keluarga harus pasien klinik ini."
