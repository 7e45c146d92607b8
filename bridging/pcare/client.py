"""The typed PCare client (PROTOCOL.md §4.1, every endpoint but the unconfirmed Dec-2025 ones).

Every call sends X-authorization (the FKTP's PCare login). Methods take and return the models of
:mod:`bridging.pcare.schemas` and raise only :class:`~bridging.transport.errors.BridgingError`
subclasses. Look-ups that may find nothing return ``None`` when PCare answers code 204 ("no
data"): :meth:`get_participant`, :meth:`get_participant_by_nik`, :meth:`get_registration` and
:meth:`get_visit_referral`. Lists answer an empty list (or page) for 204.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from bridging.pcare.base import M, Page, ServiceClient, answer_fields, format_dmy, segment
from bridging.pcare.schemas import (
    Allergy,
    AllergyKind,
    CareSetting,
    CheckupRecord,
    CheckupResult,
    Club,
    ClubActivity,
    ClubActivityRequest,
    ClubActivityResult,
    ClubParticipant,
    ClubParticipantRequest,
    Consciousness,
    Diagnosis,
    DischargeStatus,
    Doctor,
    Drug,
    FacilityType,
    MedicineRequest,
    MedicineResult,
    Participant,
    Poli,
    ProcedureRef,
    ProcedureRequest,
    ProcedureResult,
    Prognosis,
    ProlanisGroup,
    Provider,
    ReferralHospital,
    ReferralLetter,
    Registration,
    RegistrationRequest,
    RegistrationResult,
    SpecialCategory,
    Specialty,
    Subspecialty,
    Visit,
    VisitMedicine,
    VisitProcedure,
    VisitRequest,
    VisitResult,
)
from bridging.transport.errors import NotFound

if TYPE_CHECKING:
    from bridging.transport.http import BpjsResponse

_NO_DATA = "204"


def _wire_id(value: str) -> int | str:
    """PCare's line ids (kdTindakanSK, kdMCU) are JSON numbers; keep any other form as text."""
    return int(value) if value.isdigit() else value


class PcareClient(ServiceClient):
    """PCare (FKTP) over a :class:`~bridging.transport.http.Transport` for service ``pcare``."""

    service: ClassVar[str] = "pcare"
    service_label: ClassVar[str] = "PCare"

    # --- plumbing ----------------------------------------------------------------------------

    def _call(self, method: str, path: str, operation: str, body: Any = None) -> BpjsResponse:
        return self._request(method, path, operation=operation, body=body, authorization=True)

    def _get_or_none(self, path: str, operation: str) -> BpjsResponse | None:
        try:
            return self._call("GET", path, operation)
        except NotFound as exc:
            if exc.code == _NO_DATA:
                return None
            raise

    def _edited(self, kind: type[M], response: BpjsResponse, operation: str, fallback: M) -> M:
        """An edit's answer names the record again; when it does not, the request named it."""
        if not answer_fields(response.data):
            return fallback
        return self._written(kind, response, operation)

    def _list(self, path: str, operation: str, item: Any) -> list[Any]:
        response = self._get_or_none(path, operation)
        if response is None:
            return []
        return self._parse_list(item, response, operation)

    def _page(self, path: str, operation: str, item: Any) -> Page[Any]:
        response = self._get_or_none(path, operation)
        if response is None:
            return Page[Any](count=0, items=[])
        return self._parse_page(item, response, operation)

    # --- reference data ----------------------------------------------------------------------

    def search_diagnoses(self, keyword: str, start: int = 0, limit: int = 100) -> Page[Diagnosis]:
        """ICD-10 diagnoses whose code or name matches ``keyword``."""
        path = f"diagnosa/{segment(keyword)}/{start}/{limit}"
        return self._page(path, "search_diagnoses", Diagnosis)

    def list_doctors(self, start: int = 0, limit: int = 100) -> Page[Doctor]:
        return self._page(f"dokter/{start}/{limit}", "list_doctors", Doctor)

    def list_consciousness_levels(self) -> list[Consciousness]:
        return self._list("kesadaran", "list_consciousness_levels", Consciousness)

    def list_polis(self, start: int = 0, limit: int = 100) -> Page[Poli]:
        return self._page(f"poli/fktp/{start}/{limit}", "list_polis", Poli)

    def list_providers(self, start: int = 0, limit: int = 100) -> Page[Provider]:
        """The referral-area providers ("provider rayonisasi")."""
        return self._page(f"provider/{start}/{limit}", "list_providers", Provider)

    def list_discharge_statuses(self, *, inpatient: bool) -> list[DischargeStatus]:
        flag = "true" if inpatient else "false"
        return self._list(
            f"statuspulang/rawatInap/{flag}", "list_discharge_statuses", DischargeStatus
        )

    def list_allergies(self, kind: AllergyKind) -> list[Allergy]:
        return self._list(f"alergi/jenis/{AllergyKind(kind).value}", "list_allergies", Allergy)

    def list_prognoses(self) -> list[Prognosis]:
        return self._list("prognosa", "list_prognoses", Prognosis)

    def list_specialties(self) -> list[Specialty]:
        return self._list("spesialis", "list_specialties", Specialty)

    def list_subspecialties(self, specialty_code: str) -> list[Subspecialty]:
        path = f"spesialis/{segment(specialty_code)}/subspesialis"
        return self._list(path, "list_subspecialties", Subspecialty)

    def list_facility_types(self) -> list[FacilityType]:
        return self._list("spesialis/sarana", "list_facility_types", FacilityType)

    def list_special_categories(self) -> list[SpecialCategory]:
        return self._list("spesialis/khusus", "list_special_categories", SpecialCategory)

    def find_referral_hospitals(
        self, subspecialty_code: str, facility_type_code: str, planned_date: date
    ) -> list[ReferralHospital]:
        """Hospitals that take a referral to a subspecialty on ``planned_date``."""
        path = (
            f"spesialis/rujuk/subspesialis/{segment(subspecialty_code)}"
            f"/sarana/{segment(facility_type_code)}/tglEstRujuk/{format_dmy(planned_date)}"
        )
        return self._list(path, "find_referral_hospitals", ReferralHospital)

    def find_special_referral_hospitals(
        self,
        category_code: str,
        card_number: str,
        planned_date: date,
        subspecialty_code: str | None = None,
    ) -> list[ReferralHospital]:
        """Hospitals for a special referral; THA and HEM also need ``subspecialty_code``."""
        path = f"spesialis/rujuk/khusus/{segment(category_code)}"
        if subspecialty_code is not None:
            path += f"/subspesialis/{segment(subspecialty_code)}"
        path += f"/noKartu/{segment(card_number)}/tglEstRujuk/{format_dmy(planned_date)}"
        return self._list(path, "find_special_referral_hospitals", ReferralHospital)

    # --- peserta -----------------------------------------------------------------------------

    def get_participant(self, card_number: str) -> Participant | None:
        """The participant with this JKN card number, or ``None`` when PCare has none (204)."""
        response = self._get_or_none(f"peserta/{segment(card_number)}", "get_participant")
        if response is None:
            return None
        parsed: Participant = self._parse(
            Participant, response.data, response=response, operation="get_participant"
        )
        return parsed

    def get_participant_by_nik(self, nik: str) -> Participant | None:
        """The participant with this NIK, or ``None`` when PCare has none (204)."""
        response = self._get_or_none(f"peserta/nik/{segment(nik)}", "get_participant_by_nik")
        if response is None:
            return None
        parsed: Participant = self._parse(
            Participant, response.data, response=response, operation="get_participant_by_nik"
        )
        return parsed

    # --- pendaftaran -------------------------------------------------------------------------

    def add_registration(self, request: RegistrationRequest) -> RegistrationResult:
        """Register a visit; returns PCare's queue number (``noUrut``)."""
        operation = "add_registration"
        response = self._call("POST", "pendaftaran", operation, request.to_wire())
        return self._written(RegistrationResult, response, operation)

    def get_registration(self, queue_number: str, registration_date: date) -> Registration | None:
        """One registration, or ``None`` when PCare has none (204)."""
        operation = "get_registration"
        path = (
            f"pendaftaran/noUrut/{segment(queue_number)}/tglDaftar/{format_dmy(registration_date)}"
        )
        response = self._get_or_none(path, operation)
        if response is None:
            return None
        parsed: Registration = self._parse(
            Registration, response.data, response=response, operation=operation
        )
        return parsed

    def list_registrations(
        self, registration_date: date, start: int = 0, limit: int = 100
    ) -> Page[Registration]:
        """The clinic's registrations of a day, oldest first."""
        path = f"pendaftaran/tglDaftar/{format_dmy(registration_date)}/{start}/{limit}"
        return self._page(path, "list_registrations", Registration)

    def find_registration(
        self, card_number: str, registration_date: date, poli_code: str, *, page_size: int = 100
    ) -> Registration | None:
        """The registration of a card at a poli on a date, or ``None``.

        For reconciling a write that may have been applied (a timed-out ``add_registration``):
        look it up before sending it again.
        """
        start = 0
        while True:
            page = self.list_registrations(registration_date, start, page_size)
            for item in page.items:
                poli = item.poli.code if item.poli is not None else None
                card = item.participant.card_number if item.participant is not None else None
                if card == card_number and poli == poli_code:
                    return item
            start += len(page.items)
            if not page.items or start >= page.count:
                return None

    def delete_registration(
        self, card_number: str, registration_date: date, queue_number: str, poli_code: str
    ) -> None:
        path = (
            f"pendaftaran/peserta/{segment(card_number)}"
            f"/tglDaftar/{format_dmy(registration_date)}"
            f"/noUrut/{segment(queue_number)}/kdPoli/{segment(poli_code)}"
        )
        self._call("DELETE", path, "delete_registration")

    # --- kunjungan ---------------------------------------------------------------------------

    def add_visit(self, request: VisitRequest) -> VisitResult:
        """Add the encounter (``kunjungan/V1``); returns its ``noKunjungan``.

        With a referral the visit number is also the referral number a hospital finds in VClaim.
        """
        operation = "add_visit"
        body = request.model_copy(update={"visit_number": None}).to_wire()
        response = self._call("POST", "kunjungan/V1", operation, body)
        return self._written(VisitResult, response, operation)

    def edit_visit(self, visit_number: str, request: VisitRequest) -> VisitResult:
        """Replace the encounter ``visit_number`` with ``request`` (same body as an add)."""
        operation = "edit_visit"
        body = request.model_copy(update={"visit_number": visit_number}).to_wire()
        response = self._call("PUT", "kunjungan/V1", operation, body)
        return self._edited(
            VisitResult, response, operation, VisitResult(visit_number=visit_number)
        )

    def delete_visit(self, visit_number: str) -> None:
        self._call("DELETE", f"kunjungan/{segment(visit_number)}", "delete_visit")

    def get_visit_referral(self, visit_number: str) -> ReferralLetter | None:
        """The referral letter of a visit, or ``None`` when PCare has none (204)."""
        operation = "get_visit_referral"
        response = self._get_or_none(f"kunjungan/rujukan/{segment(visit_number)}", operation)
        if response is None:
            return None
        parsed: ReferralLetter = self._parse(
            ReferralLetter, response.data, response=response, operation=operation
        )
        return parsed

    def list_participant_visits(self, card_number: str) -> Page[Visit]:
        """A participant's visit history."""
        path = f"kunjungan/peserta/{segment(card_number)}"
        return self._page(path, "list_participant_visits", Visit)

    def find_visit(self, card_number: str, visit_date: date, poli_code: str) -> Visit | None:
        """The participant's visit at a poli on a date, or ``None`` (to reconcile a timed-out
        ``add_visit`` before sending it again)."""
        for item in self.list_participant_visits(card_number).items:
            poli = item.poli.code if item.poli is not None else None
            if item.visit_date == visit_date and poli == poli_code:
                return item
        return None

    # --- obat --------------------------------------------------------------------------------

    def search_drugs(self, keyword: str, start: int = 0, limit: int = 100) -> Page[Drug]:
        """DPHO formulary drugs whose code or name matches ``keyword``."""
        path = f"obat/dpho/{segment(keyword)}/{start}/{limit}"
        return self._page(path, "search_drugs", Drug)

    def list_visit_medicines(self, visit_number: str) -> Page[VisitMedicine]:
        path = f"obat/kunjungan/{segment(visit_number)}"
        return self._page(path, "list_visit_medicines", VisitMedicine)

    def add_medicine(self, request: MedicineRequest) -> MedicineResult:
        """Add a drug to a visit; returns ``kdObatSK`` (and ``kdRacikan`` when PCare gave one)."""
        operation = "add_medicine"
        body = request.model_copy(update={"medicine_id": 0}).to_wire()
        response = self._call("POST", "obat/kunjungan", operation, body)
        return self._written(MedicineResult, response, operation)

    def delete_medicine(self, medicine_id: str, visit_number: str) -> None:
        path = f"obat/{segment(medicine_id)}/kunjungan/{segment(visit_number)}"
        self._call("DELETE", path, "delete_medicine")

    # --- tindakan ----------------------------------------------------------------------------

    def list_procedure_refs(
        self, care_setting: CareSetting, start: int = 0, limit: int = 100
    ) -> Page[ProcedureRef]:
        path = f"tindakan/kdTkp/{CareSetting(care_setting).value}/{start}/{limit}"
        return self._page(path, "list_procedure_refs", ProcedureRef)

    def list_visit_procedures(self, visit_number: str) -> Page[VisitProcedure]:
        path = f"tindakan/kunjungan/{segment(visit_number)}"
        return self._page(path, "list_visit_procedures", VisitProcedure)

    def add_procedure(self, request: ProcedureRequest) -> ProcedureResult:
        """Add a procedure to a visit; returns ``kdTindakanSK``."""
        operation = "add_procedure"
        body = request.model_copy(update={"procedure_id": 0}).to_wire()
        response = self._call("POST", "tindakan", operation, body)
        return self._written(ProcedureResult, response, operation)

    def edit_procedure(self, procedure_id: str, request: ProcedureRequest) -> ProcedureResult:
        """Replace the procedure line ``procedure_id`` (a ``kdTindakanSK``) with ``request``."""
        operation = "edit_procedure"
        update = {"procedure_id": _wire_id(procedure_id)}
        response = self._call(
            "PUT", "tindakan", operation, request.model_copy(update=update).to_wire()
        )
        fallback = ProcedureResult(procedure_id=procedure_id)
        return self._edited(ProcedureResult, response, operation, fallback)

    def delete_procedure(self, procedure_id: str, visit_number: str) -> None:
        path = f"tindakan/{segment(procedure_id)}/kunjungan/{segment(visit_number)}"
        self._call("DELETE", path, "delete_procedure")

    # --- MCU ---------------------------------------------------------------------------------

    def list_checkups(self, visit_number: str) -> Page[CheckupRecord]:
        path = f"MCU/kunjungan/{segment(visit_number)}"
        return self._page(path, "list_checkups", CheckupRecord)

    def add_checkup(self, record: CheckupRecord) -> CheckupResult:
        """Add a medical check-up to a visit; returns ``kdMCU``."""
        operation = "add_checkup"
        body = record.model_copy(update={"checkup_id": 0}).to_wire()
        response = self._call("POST", "MCU", operation, body)
        return self._written(CheckupResult, response, operation)

    def edit_checkup(self, checkup_id: str, record: CheckupRecord) -> CheckupResult:
        """Replace the check-up ``checkup_id`` (a ``kdMCU``) with ``record``."""
        operation = "edit_checkup"
        body = record.model_copy(update={"checkup_id": _wire_id(checkup_id)}).to_wire()
        response = self._call("PUT", "MCU", operation, body)
        return self._edited(
            CheckupResult, response, operation, CheckupResult(checkup_id=checkup_id)
        )

    def delete_checkup(self, checkup_id: str, visit_number: str) -> None:
        path = f"MCU/{segment(checkup_id)}/kunjungan/{segment(visit_number)}"
        self._call("DELETE", path, "delete_checkup")

    # --- kelompok (Prolanis) -----------------------------------------------------------------

    def list_clubs(self, group: ProlanisGroup) -> list[Club]:
        return self._list(f"kelompok/club/{ProlanisGroup(group).value}", "list_clubs", Club)

    def list_club_activities(self, month: date) -> list[ClubActivity]:
        """Group activities of the month containing ``month``."""
        path = f"kelompok/kegiatan/{format_dmy(month)}"
        return self._list(path, "list_club_activities", ClubActivity)

    def list_club_participants(self, activity_id: str) -> list[ClubParticipant]:
        path = f"kelompok/peserta/{segment(activity_id)}"
        return self._list(path, "list_club_participants", ClubParticipant)

    def add_club_activity(self, request: ClubActivityRequest) -> ClubActivityResult:
        """Add a group activity; returns its ``eduId``."""
        operation = "add_club_activity"
        body = request.model_copy(update={"activity_id": None}).to_wire()
        response = self._call("POST", "kelompok/kegiatan", operation, body)
        return self._written(ClubActivityResult, response, operation)

    def add_club_participant(self, activity_id: str, card_number: str) -> None:
        request = ClubParticipantRequest(activity_id=activity_id, card_number=card_number)
        self._call("POST", "kelompok/peserta", "add_club_participant", request.to_wire())

    def delete_club_activity(self, activity_id: str) -> None:
        self._call("DELETE", f"kelompok/kegiatan/{segment(activity_id)}", "delete_club_activity")

    def delete_club_participant(self, activity_id: str, card_number: str) -> None:
        path = f"kelompok/peserta/{segment(activity_id)}/{segment(card_number)}"
        self._call("DELETE", path, "delete_club_participant")
