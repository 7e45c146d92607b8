"""API: ``visits`` (registering one allocates its queue ticket) and ``queue-tickets``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.core.access import facility_scope, require_role
from clinic.core.audit import audit
from clinic.core.errors import ValidationFailed
from clinic.core.models import User
from clinic.patients.models import Patient
from clinic.queues import services, sync
from clinic.queues.models import (
    Doctor,
    DoctorSchedule,
    Payer,
    Poli,
    QueueTicket,
    TicketSource,
    TicketStatus,
    Tkp,
    Visit,
)
from clinic.queues.views import REGISTER_ROLES, STAFF_ROLES


class SyncJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    operation = serializers.CharField()
    operation_label = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    remote_id = serializers.CharField()


class VisitSerializer(serializers.ModelSerializer):
    queue_number = serializers.SerializerMethodField()
    queue_position = serializers.SerializerMethodField()
    ticket_id = serializers.SerializerMethodField()
    ticket_status = serializers.SerializerMethodField()
    ticket_source = serializers.SerializerMethodField()
    poli_name = serializers.CharField(source="poli.name", read_only=True)
    sync = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "patient",
            "poli",
            "poli_name",
            "doctor",
            "visit_date",
            "payer",
            "insurer_name",
            "is_sick_visit",
            "tkp",
            "complaint",
            "status",
            "queue_number",
            "queue_position",
            "ticket_id",
            "ticket_status",
            "ticket_source",
            "pcare_no_urut",
            "sync",
        ]
        read_only_fields = fields

    def _ticket(self, obj: Visit) -> QueueTicket | None:
        cache: dict[int, QueueTicket | None] = self.__dict__.setdefault("_tickets", {})
        if obj.pk not in cache:
            cache[obj.pk] = QueueTicket.objects.filter(visit=obj).first()
        return cache[obj.pk]

    def get_queue_number(self, obj: Visit) -> str | None:
        ticket = self._ticket(obj)
        return ticket.label if ticket else None

    def get_queue_position(self, obj: Visit) -> int | None:
        ticket = self._ticket(obj)
        return ticket.number if ticket else None

    def get_ticket_id(self, obj: Visit) -> int | None:
        ticket = self._ticket(obj)
        return ticket.pk if ticket else None

    def get_ticket_status(self, obj: Visit) -> str | None:
        ticket = self._ticket(obj)
        return ticket.status if ticket else None

    def get_ticket_source(self, obj: Visit) -> str | None:
        ticket = self._ticket(obj)
        return ticket.source if ticket else None

    @extend_schema_field(SyncJobSerializer(many=True))
    def get_sync(self, obj: Visit) -> list[dict[str, Any]]:
        return [sync.job_summary(job) for job in sync.visit_jobs(obj)]


class VisitCreateSerializer(serializers.Serializer):
    patient = serializers.IntegerField()
    poli = serializers.IntegerField()
    doctor = serializers.IntegerField(required=False, allow_null=True)
    schedule = serializers.IntegerField(required=False, allow_null=True)
    visit_date = serializers.DateField(required=False)
    payer = serializers.CharField(default=Payer.BPJS)
    insurer_name = serializers.CharField(required=False, allow_blank=True, default="")
    is_sick_visit = serializers.BooleanField(required=False, allow_null=True, default=None)
    tkp = serializers.CharField(default=Tkp.RJTP)
    complaint = serializers.CharField(required=False, allow_blank=True, default="")
    ticket = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="A kiosk ticket the patient already holds (same poli and day).",
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class TransferSerializer(serializers.Serializer):
    poli = serializers.IntegerField()


class CallNextSerializer(serializers.Serializer):
    poli = serializers.IntegerField()


class QueueTicketSerializer(serializers.ModelSerializer):
    poli_name = serializers.CharField(source="poli.name", read_only=True)

    class Meta:
        model = QueueTicket
        fields = [
            "id",
            "poli",
            "poli_name",
            "date",
            "number",
            "label",
            "visit",
            "source",
            "status",
            "called_at",
            "call_count",
            "finished_at",
            "cancel_reason",
            "transferred_to",
            "jkn_antrean",
        ]
        read_only_fields = fields


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _one(qs: QuerySet[Any], user: User, pk: int | None) -> Any:
    if pk is None:
        return None
    return facility_scope(qs, user).filter(pk=pk).first()


@extend_schema_view(
    create=extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer}),
)
class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Visits of the user's facility. Creating one allocates its queue number and enqueues the
    BPJS jobs; the answer carries ``queue_number`` and the ``sync`` states."""

    serializer_class = VisitSerializer

    def get_queryset(self) -> QuerySet[Visit]:
        qs = facility_scope(Visit.objects.select_related("poli"), _user(self.request))
        day = parse_date(self.request.query_params.get("date", "") or "")
        if day:
            qs = qs.filter(visit_date=day)
        return qs.order_by("-visit_date", "-id")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        visit = self.get_object()
        audit(_user(request), "view", visit)
        return Response(VisitSerializer(visit).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = _user(request)
        require_role(user, *REGISTER_ROLES)
        data_in = VisitCreateSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        if user.facility is None:
            raise ValidationFailed(_("Your account belongs to no clinic."))
        visit = services.visit_register(
            facility=user.facility,
            patient=_one(Patient.objects.all(), user, data["patient"]),
            poli=_one(Poli.objects.all(), user, data["poli"]),
            doctor=_one(Doctor.objects.all(), user, data.get("doctor")),
            schedule=_one(DoctorSchedule.objects.all(), user, data.get("schedule")),
            visit_date=data.get("visit_date") or timezone.localdate(),
            payer=data["payer"],
            insurer_name=data["insurer_name"],
            is_sick_visit=data["is_sick_visit"],
            tkp=data["tkp"],
            complaint=data["complaint"],
            source=TicketSource.FRONTDESK,
            created_by=user,
            ticket=self._ticket(user, data.get("ticket")),
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    def _ticket(self, user: User, pk: int | None) -> QueueTicket | None:
        if pk is None:
            return None
        ticket = _one(QueueTicket.objects.all(), user, pk)
        if ticket is None:
            message = _("Unknown queue number.")
            raise ValidationFailed(message, fields={"ticket": [message]})
        ticket_found: QueueTicket = ticket
        return ticket_found


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("poli", OpenApiTypes.INT),
            OpenApiParameter("date", OpenApiTypes.DATE, description="default: today"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=TicketStatus.values),
        ]
    )
)
class QueueTicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Queue tickets of the user's facility, and the moves of the call screen."""

    serializer_class = QueueTicketSerializer

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        require_role(_user(request), *STAFF_ROLES)

    def get_queryset(self) -> QuerySet[QueueTicket]:
        qs = facility_scope(QueueTicket.objects.select_related("poli"), _user(self.request))
        if self.action == "list":
            params = self.request.query_params
            day = parse_date(params.get("date", "") or "") or timezone.localdate()
            qs = qs.filter(date=day)
            if (poli := params.get("poli", "")).isdigit():
                qs = qs.filter(poli_id=int(poli))
            if (wanted := params.get("status", "")) in TicketStatus.values:
                qs = qs.filter(status=wanted)
        return qs.order_by("date", "poli__pcare_code", "number")

    def _done(self, ticket: QueueTicket) -> Response:
        return Response(QueueTicketSerializer(ticket).data)

    @extend_schema(request=None, responses=QueueTicketSerializer)
    @action(detail=True, methods=["post"])
    def call(self, request: Request, pk: str | None = None) -> Response:
        return self._done(services.ticket_call(ticket=self.get_object(), user=_user(request)))

    @extend_schema(request=None, responses=QueueTicketSerializer)
    @action(detail=True, methods=["post"])
    def recall(self, request: Request, pk: str | None = None) -> Response:
        return self._done(services.ticket_recall(ticket=self.get_object(), user=_user(request)))

    @extend_schema(request=None, responses=QueueTicketSerializer)
    @action(detail=True, methods=["post"])
    def skip(self, request: Request, pk: str | None = None) -> Response:
        return self._done(services.ticket_skip(ticket=self.get_object(), user=_user(request)))

    @extend_schema(request=None, responses=QueueTicketSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        ticket = services.ticket_start_service(ticket=self.get_object(), user=_user(request))
        return self._done(ticket)

    @extend_schema(request=None, responses=QueueTicketSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str | None = None) -> Response:
        return self._done(services.ticket_finish(ticket=self.get_object(), user=_user(request)))

    @extend_schema(request=CancelSerializer, responses=QueueTicketSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=False)
        reason = str(body.data.get("reason", "") or "")
        return self._done(services.ticket_cancel(ticket=ticket, reason=reason, user=_user(request)))

    @extend_schema(request=TransferSerializer, responses=QueueTicketSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        body = TransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to_poli = _one(Poli.objects.all(), _user(request), body.validated_data["poli"])
        if to_poli is None:
            message = _("Unknown poli: choose one of this clinic's active polis.")
            raise ValidationFailed(message, fields={"poli": [message]})
        new = services.ticket_transfer(ticket=ticket, to_poli=to_poli, user=_user(request))
        return self._done(new)

    @extend_schema(
        request=CallNextSerializer,
        responses={200: QueueTicketSerializer, 204: None},
    )
    @action(detail=False, methods=["post"], url_path="call-next")
    def call_next(self, request: Request) -> Response:
        body = CallNextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        poli = _one(Poli.objects.all(), _user(request), body.validated_data["poli"])
        if poli is None:
            message = _("Unknown poli: choose one of this clinic's active polis.")
            raise ValidationFailed(message, fields={"poli": [message]})
        ticket = services.ticket_call_next(poli=poli, day=timezone.localdate(), user=_user(request))
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._done(ticket)
