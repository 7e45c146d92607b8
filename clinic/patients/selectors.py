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

Results come in name order. On PostgreSQL a name search always goes through the trigram index
on ``UPPER(name)`` (migration 0003) and collects at most NAME_CANDIDATES matches; when more
match, the page shows the first by name of those and asks for more of the name
(``SearchResult.more``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from clinic.core.access import facility_scope, get_for_user, require_role
from clinic.core.audit import audit
from clinic.core.models import Role, User
from clinic.patients.models import MRN_PREFIX, Patient, format_mrn
from clinic.patients.nik import clean_digits, normalize_name, normalize_phone

VIEW_ROLES = (Role.FRONTDESK, Role.NURSE, Role.DOCTOR, Role.CLINIC_ADMIN)
EDIT_ROLES = (Role.FRONTDESK, Role.CLINIC_ADMIN)
MIN_NAME_LENGTH = 3
#: A name search collects at most this many matches (PostgreSQL) and shows the first by name;
#: past that the front desk is asked to type more of the name.
NAME_CANDIDATES = 200
#: How many names (in name order) the first pass of a name search reads from the index.
NAME_WINDOW = 2000

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


@dataclass(frozen=True)
class SearchResult:
    query: SearchQuery
    patients: list[Patient]
    #: More patients match than were considered: the list is the first ``limit`` by name of
    #: NAME_CANDIDATES matches (name search) or of all matches; ask for more of the name.
    more: bool


def patient_search_result(*, user: User, q: str, limit: int = 20) -> SearchResult:
    """Up to ``limit`` patients of the user's facility matching ``q`` (see module doc), in
    name order, and whether more match."""
    query = classify_query(q)
    if query.kind in ("empty", "too_short"):
        return SearchResult(query, [], False)
    patients = filter_patients(patients_for(user), query)
    if query.kind == "name" and connection.vendor == "postgresql":
        if not user.is_authenticated or user.role not in VIEW_ROLES or user.facility_id is None:
            return SearchResult(query, [], False)
        found, more = _name_search_postgresql(user.facility_id, query.value, limit)
        return SearchResult(query, found, more)
    found = list(patients.order_by("name", "id")[: limit + 1])
    return SearchResult(query, found[:limit], len(found) > limit)


def patient_search(*, user: User, q: str, limit: int = 20) -> list[Patient]:
    """Up to ``limit`` patients of the user's facility matching ``q`` (see module doc)."""
    return patient_search_result(user=user, q=q, limit=limit).patients


_PLANS_OFF = (
    # Only the trigram index (a bitmap scan), whatever the planner guesses about the pattern.
    "enable_seqscan",
    "enable_indexscan",
    "enable_indexonlyscan",
    # Switched-off plans look very expensive to the planner, which would then compile the
    # query with JIT (hundreds of milliseconds).
    "jit",
)


def _bitmap_only(sql: str, params: list[int | str]) -> list[Patient]:
    """Run one query for patients with only bitmap scans allowed, in few round trips. When we
    are inside the caller's transaction, ``SET LOCAL`` would outlive this query, so the
    settings are reset at once."""
    nested = connection.in_atomic_block
    off = "; ".join(f"SET LOCAL {setting} = off" for setting in _PLANS_OFF)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(off)
        try:
            return list(Patient.objects.raw(sql, params))
        finally:
            if nested:
                cursor.execute("; ".join(f"RESET {setting}" for setting in _PLANS_OFF))


def _like_contains(value: str) -> str:
    escaped = value.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _name_search_postgresql(facility_id: int, value: str, limit: int) -> tuple[list[Patient], bool]:
    """The first ``limit`` by name of the patients whose name contains ``value``, and whether
    more match.

    PostgreSQL cannot estimate how many names contain a substring, so left to itself it
    sometimes walks the whole name index for a rare part (seconds on 500,000 patients) or
    sorts tens of thousands of matches for a common one. So, in at most two queries:

    1. the facility's first NAME_WINDOW names in name order, read from the
       ``(facility, name, id)`` index only: when more than ``limit`` of them match, the first
       ``limit`` are the answer (a common part, whose matches are spread over the alphabet:
       the case the trigram index is slowest at);
    2. otherwise the trigram index on ``UPPER(name)`` collects the matches, at most
       NAME_CANDIDATES of them, and those are sorted by name.
    """
    table = connection.ops.quote_name(Patient._meta.db_table)  # a constant, not user input
    pattern = _like_contains(value)
    window_sql = (
        "SELECT p.* FROM ("  # noqa: S608
        f"SELECT id, name FROM {table} WHERE facility_id = %s ORDER BY name, id LIMIT %s"
        f") AS w JOIN {table} AS p ON p.id = w.id "
        "WHERE UPPER(w.name::text) LIKE %s ORDER BY w.name, w.id LIMIT %s"
    )
    rows = list(Patient.objects.raw(window_sql, [facility_id, NAME_WINDOW, pattern, limit + 1]))
    if len(rows) > limit:
        return rows[:limit], True
    trigram_sql = (
        "SELECT c.*, COUNT(*) OVER () AS matches FROM ("  # noqa: S608
        f"SELECT * FROM {table} WHERE facility_id = %s AND UPPER(name::text) LIKE %s "
        "LIMIT %s) AS c ORDER BY c.name, c.id LIMIT %s"
    )
    rows = _bitmap_only(trigram_sql, [facility_id, pattern, NAME_CANDIDATES + 1, limit])
    matches = int(getattr(rows[0], "matches", 0)) if rows else 0
    return rows, matches > limit


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
