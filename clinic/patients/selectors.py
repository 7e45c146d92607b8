"""Reading patients: the front desk's one search box, and access to one patient.

``patient_search`` decides what the text typed is and looks it up by the matching index:

==========================================  ===========================================
typed                                       looked up
==========================================  ===========================================
``RM-000123``, ``rm123`` or up to 7 digits  MRN, exact
16 digits                                   NIK, exact
13 digits                                   BPJS card number or phone, exact
``+…`` or other numbers (``08…``, ``62…``)  phone, exact on the normalized phone
anything else (3 characters or more)        part of the name, case-insensitive
==========================================  ===========================================

On PostgreSQL the name search uses the trigram index on ``UPPER(name)`` (migration 0003).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from clinic.core.access import facility_scope, get_for_user, require_role
from clinic.core.audit import audit
from clinic.core.models import Role, User
from clinic.patients.models import MRN_PREFIX, Patient, format_mrn
from clinic.patients.nik import clean_digits, normalize_name, normalize_phone

VIEW_ROLES = (Role.FRONTDESK, Role.NURSE, Role.DOCTOR, Role.CLINIC_ADMIN)
EDIT_ROLES = (Role.FRONTDESK, Role.CLINIC_ADMIN)
MIN_NAME_LENGTH = 3

_MRN = re.compile(rf"^{re.escape(MRN_PREFIX.rstrip('-'))}-?\s*(\d{{1,12}})$", re.IGNORECASE)


@dataclass(frozen=True)
class SearchQuery:
    kind: str  # "empty" | "too_short" | "mrn" | "nik" | "card_or_phone" | "phone" | "name"
    value: str  # the normalized value looked up


def classify_query(q: str) -> SearchQuery:
    text = (q or "").strip()
    if not text:
        return SearchQuery("empty", "")
    mrn = _MRN.match(text)
    if mrn:
        return SearchQuery("mrn", format_mrn(int(mrn.group(1))))
    digits = clean_digits(text)
    if digits.startswith("+"):
        digits = digits[1:]
        if digits.isdigit() and digits.isascii():
            return SearchQuery("phone", normalize_phone(digits))
    if digits.isdigit() and digits.isascii():
        if len(digits) == 16:
            return SearchQuery("nik", digits)
        if len(digits) == 13:
            return SearchQuery("card_or_phone", digits)
        if len(digits) <= 7:
            return SearchQuery("mrn", format_mrn(int(digits)))
        return SearchQuery("phone", normalize_phone(digits))
    name = normalize_name(text) if len(text) >= MIN_NAME_LENGTH else ""
    if len(name) < MIN_NAME_LENGTH:
        return SearchQuery("too_short", text)
    return SearchQuery("name", " ".join(text.split()))


def patients_for(user: User) -> QuerySet[Patient]:
    """The patients ``user`` may see: their facility's, for any staff role."""
    if not user.is_authenticated or user.role not in VIEW_ROLES:
        return Patient.objects.none()
    return facility_scope(Patient.objects.all(), user)


def filter_patients(patients: QuerySet[Patient], query: SearchQuery) -> QuerySet[Patient]:
    """Narrow ``patients`` to those matching a classified query (none for empty/too short)."""
    if query.kind == "mrn":
        return patients.filter(mrn=query.value)
    if query.kind == "nik":
        return patients.filter(nik=query.value)
    if query.kind == "card_or_phone":
        return patients.filter(
            Q(bpjs_card_number=query.value) | Q(phone_normalized=normalize_phone(query.value))
        )
    if query.kind == "phone":
        return patients.filter(phone_normalized=query.value)
    if query.kind == "name":
        return patients.filter(name__icontains=query.value)
    return patients.none()


def patient_search(*, user: User, q: str, limit: int = 20) -> list[Patient]:
    """Up to ``limit`` patients of the user's facility matching ``q`` (see module doc)."""
    query = classify_query(q)
    if query.kind in ("empty", "too_short"):
        return []
    patients = filter_patients(patients_for(user), query)
    return list(patients.order_by("name", "id")[:limit])


def access_patient(
    user: User, pk: int, *, for_edit: bool = False, log_view: bool = True
) -> Patient:
    """One patient of the user's facility (404 otherwise). ``for_edit`` needs a front-desk or
    admin role (403 otherwise). Reading the record is audited unless ``log_view`` is false."""
    require_role(user, *(EDIT_ROLES if for_edit else VIEW_ROLES))
    patient = get_for_user(Patient.objects.select_related("facility"), user, pk=pk)
    if log_view and not for_edit:
        audit(user, "view", patient)
    return patient
