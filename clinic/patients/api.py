"""``/api/v1/patients/``: search (``?q=``), read, register, and BPJS eligibility checks."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.core.access import require_role
from clinic.core.audit import audit
from clinic.core.errors import ValidationFailed
from clinic.core.models import User
from clinic.patients import nik as ids
from clinic.patients.eligibility import (
    EligibilityResult,
    eligibility_check,
    eligibility_check_patient,
    recall_result,
    remember_result,
)
from clinic.patients.models import Patient
from clinic.patients.selectors import (
    EDIT_ROLES,
    VIEW_ROLES,
    access_patient,
    patient_search_result,
    patients_for,
)
from clinic.patients.services import PATIENT_FIELDS, patient_register

SEARCH_LIMIT = 20


class PatientSerializer(serializers.ModelSerializer[Patient]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Patient
        fields = [
            "id",
            "mrn",
            "nik",
            "bpjs_card_number",
            "name",
            "birth_date",
            "sex",
            "phone",
            "address",
            "rt",
            "rw",
            "province_code",
            "regency_code",
            "district_code",
            "village_code",
            "family_card_number",
            "likely_duplicate",
            "bpjs_eligibility",
            "bpjs_status_text",
            "bpjs_class",
            "bpjs_membership_type",
            "bpjs_provider_code",
            "bpjs_provider_name",
            "bpjs_arrears",
            "bpjs_prolanis",
            "bpjs_prb",
            "bpjs_insurer",
            "bpjs_checked_at",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj: Patient) -> str:
        return reverse("patients:detail", args=[obj.pk])


class PatientCreateSerializer(serializers.Serializer[Any]):
    """What a registration takes. Every rule is checked by the service (Indonesian messages)."""

    name = serializers.CharField(max_length=200, allow_blank=True)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=["L", "P"])
    nik = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=30)
    bpjs_card_number = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=30
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    address = serializers.CharField(required=False, allow_blank=True, max_length=400)
    rt = serializers.CharField(required=False, allow_blank=True, max_length=10)
    rw = serializers.CharField(required=False, allow_blank=True, max_length=10)
    province_code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    regency_code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    district_code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    village_code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    family_card_number = serializers.CharField(required=False, allow_blank=True, max_length=30)
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Register although a patient with the same name and birth date exists.",
    )
    eligibility_token = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The token of an eligibility check made before registering: its facts are "
        "stored on the new patient.",
    )


class EligibilityRequestSerializer(serializers.Serializer[Any]):
    card_number = serializers.CharField(required=False, allow_blank=True, max_length=30)
    nik = serializers.CharField(required=False, allow_blank=True, max_length=30)


class EligibilityResultSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=["verified", "inactive", "other_fktp", "not_found", "not_verified"]
    )
    message = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())
    checked_at = serializers.DateTimeField(allow_null=True)
    looked_up_by = serializers.ChoiceField(choices=["card", "nik"])
    card_number = serializers.CharField(allow_blank=True)
    nik = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    birth_date = serializers.DateField(allow_null=True)
    sex = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    active = serializers.BooleanField(allow_null=True)
    status_text = serializers.CharField(allow_blank=True)
    care_class = serializers.CharField(allow_blank=True)
    care_class_code = serializers.CharField(allow_blank=True)
    membership_type = serializers.CharField(allow_blank=True)
    membership_type_code = serializers.CharField(allow_blank=True)
    provider_code = serializers.CharField(allow_blank=True)
    provider_name = serializers.CharField(allow_blank=True)
    registered_here = serializers.BooleanField(allow_null=True)
    arrears = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    prolanis = serializers.CharField(allow_blank=True)
    prb = serializers.CharField(allow_blank=True)
    insurer_name = serializers.CharField(allow_blank=True)
    insurer_number = serializers.CharField(allow_blank=True)
    cob = serializers.BooleanField(allow_null=True)
    retry_later = serializers.BooleanField()
    token = serializers.CharField(
        required=False, help_text="Pass as eligibility_token when registering this participant."
    )


def _result_data(result: EligibilityResult, token: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        **result.to_json(),
        "birth_date": result.birth_date,
        "checked_at": result.checked_at,
        "arrears": result.arrears,
    }
    if token:
        data["token"] = token
    return dict(EligibilityResultSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="List or search patients",
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="NIK (16 digits), BPJS card (13), MRN (RM-000123), phone, or at "
                "least 3 letters of the name. With q, one page of at most `limit` (default 20, "
                "at most 100) matches in name order; `offset` is ignored.",
            )
        ],
    ),
    retrieve=extend_schema(summary="One patient (audited)"),
    create=extend_schema(
        summary="Register a patient (issues the MRN)",
        request=PatientCreateSerializer,
        responses={201: PatientSerializer},
    ),
)
class PatientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Patient],
):
    serializer_class = PatientSerializer
    lookup_value_regex = r"\d+"

    def _user(self) -> User:
        user: User = self.request.user  # type: ignore[assignment]
        return user

    def get_queryset(self) -> QuerySet[Patient]:
        return patients_for(self._user()).order_by("name", "id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self._user()
        require_role(user, *VIEW_ROLES)
        q = request.query_params.get("q", "")
        if not q:
            return super().list(request, *args, **kwargs)
        # A search answers one page: the first ``limit`` matches by name (the search box's
        # rules and indexes); ``next`` is null.
        try:
            limit = max(1, min(int(request.query_params.get("limit", SEARCH_LIMIT)), 100))
        except ValueError:
            limit = SEARCH_LIMIT
        result = patient_search_result(user=user, q=q, limit=limit)
        return Response(
            {
                "count": len(result.patients),
                "next": None,
                "previous": None,
                "results": PatientSerializer(result.patients, many=True).data,
            }
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = access_patient(self._user(), int(kwargs["pk"]))
        return Response(PatientSerializer(patient).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self._user()
        require_role(user, *EDIT_ROLES)
        if user.facility is None:
            raise ValidationFailed(_("Your account belongs to no clinic."))
        serializer = PatientCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        eligibility = recall_result(data.pop("eligibility_token", ""), facility_id=user.facility.pk)
        confirm = data.pop("confirm_duplicate", False)
        patient = patient_register(
            facility=user.facility,
            created_by=user,
            confirm_duplicate=confirm,
            eligibility=eligibility,
            **{k: v for k, v in data.items() if k in PATIENT_FIELDS},
        )
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Check BPJS eligibility by card number or NIK (PCare peserta)",
        operation_id="patients_eligibility_lookup",
        request=EligibilityRequestSerializer,
        responses={200: EligibilityResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="eligibility", url_name="eligibility-check")
    def eligibility_lookup(self, request: Request) -> Response:
        user = self._user()
        require_role(user, *EDIT_ROLES)
        if user.facility_id is None:
            raise ValidationFailed(_("Your account belongs to no clinic."))
        serializer = EligibilityRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        card = (serializer.validated_data.get("card_number") or "").strip()
        nik_value = (serializer.validated_data.get("nik") or "").strip()
        try:
            if card:
                card = ids.clean_card_number(card)
            elif nik_value:
                nik_value = ids.parse_nik(nik_value).nik
            else:
                message = _("Enter a BPJS card number or a NIK to check BPJS.")
                raise ValidationFailed(message, fields={"card_number": [message]})
        except ids.IdentityError as exc:
            raise ValidationFailed(
                exc.message, fields={"card_number" if card else "nik": [exc.message]}
            ) from exc
        result = eligibility_check(
            facility_id=user.facility_id, card_number=card or None, nik=None if card else nik_value
        )
        audit(user, "action", summary=f"BPJS eligibility check: {result.status}")
        token = remember_result(result, facility_id=user.facility_id)
        return Response(_result_data(result, token))

    @extend_schema(
        summary="Check a patient's BPJS eligibility and store the answer",
        operation_id="patients_eligibility_check",
        request=None,
        responses={200: EligibilityResultSerializer},
    )
    @action(detail=True, methods=["post"], url_path="eligibility", url_name="eligibility")
    def eligibility(self, request: Request, pk: str | None = None) -> Response:
        patient = access_patient(self._user(), int(str(pk)), for_edit=True)
        if not (patient.bpjs_card_number or patient.nik):
            raise ValidationFailed(_("This patient has neither a BPJS card number nor a NIK."))
        result = eligibility_check_patient(patient=patient)
        audit(self._user(), "action", patient, summary=f"BPJS eligibility check: {result.status}")
        return Response(_result_data(result))
