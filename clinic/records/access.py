"""Who may see and change medical records. Only clinical staff (nurses, doctors) see clinical
content; every read of a record is written to the audit log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from clinic.core.access import get_for_user, require_role
from clinic.core.audit import audit
from clinic.core.models import Role, User
from clinic.queues.models import Visit
from clinic.records.models import MedicalRecord

CLINICAL_ROLES = (Role.NURSE, Role.DOCTOR)


def require_clinical(user: User) -> None:
    """403 for anyone but a nurse or a doctor (front desk and admins included)."""
    require_role(user, *CLINICAL_ROLES)


def require_doctor(user: User) -> None:
    require_role(user, Role.DOCTOR)


def access_visit(user: User, visit_pk: int) -> Visit:
    """The visit, for clinical work on it (403 for non-clinical staff, 404 for another
    facility's visit). Not audited by itself: the record read is."""
    require_clinical(user)
    visit: Visit = get_for_user(
        Visit.objects.select_related("patient", "poli", "doctor", "facility"), user, pk=visit_pk
    )
    return visit


def access_record(user: User, record_pk: int, *, audit_read: bool = True) -> MedicalRecord:
    """A medical record the user may read; the read is audited."""
    require_clinical(user)
    record: MedicalRecord = get_for_user(
        MedicalRecord.objects.select_related("visit__poli", "visit__doctor", "patient", "doctor"),
        user,
        pk=record_pk,
    )
    if audit_read:
        audit(user, "view", record, summary="medical record read")
    return record


def record_of_visit(user: User, visit: Visit, *, audit_read: bool = True) -> MedicalRecord:
    """The visit's record, created empty on first clinical access; the read is audited."""
    require_clinical(user)
    if visit.facility_id != user.facility_id:
        raise PermissionDenied
    defaults = {
        "facility_id": visit.facility_id,
        "patient_id": visit.patient_id,
        "chief_complaint": visit.complaint[:500],
        "doctor_id": visit.doctor_id,
    }
    try:
        with transaction.atomic():
            record, created = MedicalRecord.objects.get_or_create(visit=visit, defaults=defaults)
    except IntegrityError:  # opened at the same moment by someone else
        record, created = MedicalRecord.objects.get(visit=visit), False
    if created:
        audit(user, "create", record, summary="medical record opened")
    if audit_read:
        audit(user, "view", record, summary="medical record read")
    return record
