"""API: ICD-10 search and reading a medical record (clinical roles only; reads audited)."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.core.models import User
from clinic.records.access import access_record, require_clinical
from clinic.records.icd10 import icd10_search
from clinic.records.models import MedicalRecord


class Icd10Serializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    non_specialist = serializers.BooleanField()


class DiagnosisSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    non_specialist = serializers.BooleanField()


class RecordSerializer(serializers.ModelSerializer):
    diagnoses = serializers.SerializerMethodField()
    bmi = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True)

    class Meta:
        model = MedicalRecord
        fields = [
            "id",
            "visit",
            "status",
            "systolic",
            "diastolic",
            "weight_kg",
            "height_cm",
            "bmi",
            "respiratory_rate",
            "heart_rate",
            "temperature_c",
            "waist_cm",
            "consciousness",
            "food_allergy",
            "air_allergy",
            "drug_allergy",
            "chief_complaint",
            "anamnesis",
            "physical_exam",
            "subjective",
            "objective",
            "assessment",
            "plan",
            "prognosis",
            "discharge",
            "signed_at",
            "pcare_visit_number",
            "diagnoses",
        ]

    def get_diagnoses(self, obj: MedicalRecord) -> list[dict[str, Any]]:
        return [DiagnosisSerializer(d).data for d in obj.diagnosis_list()]


class Icd10SearchView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="code prefix or words")],
        responses=Icd10Serializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_clinical(cast(User, request.user))
        rows = icd10_search(str(request.query_params.get("q", "")), limit=20)
        return Response(Icd10Serializer(rows, many=True).data)


class RecordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RecordSerializer)
    def get(self, request: Request, pk: int) -> Response:
        record = access_record(cast(User, request.user), pk)
        return Response(RecordSerializer(record).data)
