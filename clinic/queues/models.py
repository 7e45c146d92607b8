"""Polis, doctors and their weekly schedules: what the queue and Mobile JKN book against."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinic.core.models import Facility


class Poli(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="polis")
    name = models.CharField(_("name"), max_length=100)
    pcare_code = models.CharField(_("PCare poli code"), max_length=3)
    queue_prefix = models.CharField(_("queue prefix"), max_length=2)
    is_sick_visit = models.BooleanField(
        _("sick-visit poli"), default=True, help_text=_("PCare poliSakit: curative visits.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["facility", "pcare_code"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "pcare_code"], name="poli_unique_code"),
            models.UniqueConstraint(fields=["facility", "queue_prefix"], name="poli_unique_prefix"),
        ]

    def __str__(self) -> str:
        return f"Poli {self.name}"


class Doctor(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="doctors")
    name = models.CharField(_("name"), max_length=150)
    pcare_code = models.CharField(_("PCare doctor code"), max_length=20)
    user = models.OneToOneField(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="doctor"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "pcare_code"], name="doctor_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DoctorSchedule(models.Model):
    """A doctor's practice hours at a poli on one weekday, with the daily quota."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="schedules")
    poli = models.ForeignKey(Poli, on_delete=models.CASCADE, related_name="schedules")
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    daily_quota = models.PositiveIntegerField(_("daily quota"))

    class Meta:
        ordering = ["poli", "weekday", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["poli", "doctor", "weekday", "start_time"], name="schedule_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="schedule_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doctor} {self.get_weekday_display()} {self.hours}"

    @property
    def hours(self) -> str:
        return f"{self.start_time:%H:%M}-{self.end_time:%H:%M}"


class Payer(models.TextChoices):
    BPJS = "bpjs", _("BPJS")
    SELF_PAY = "umum", _("Self-pay (umum)")
    INSURANCE = "insurance", _("Private insurer")


class Tkp(models.TextChoices):
    RJTP = "10", _("Outpatient (RJTP)")
    RITP = "20", _("Inpatient (RITP)")
    PROMOTIF = "50", _("Promotive")


class EligibilityStatus(models.TextChoices):
    NOT_APPLICABLE = "n/a", _("Not applicable")
    VERIFIED = "verified", _("Verified active")
    NOT_VERIFIED = "not_verified", _("Eligibility not verified")
    INACTIVE = "inactive", _("Not active")
    OTHER_FKTP = "other_fktp", _("Registered at another FKTP")


class VisitStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_SERVICE = "in_service", _("In service")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    """One patient's visit to one poli on one day."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="visits")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="visits")
    poli = models.ForeignKey(Poli, on_delete=models.PROTECT, related_name="visits")
    doctor = models.ForeignKey(
        Doctor, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    visit_date = models.DateField(_("visit date"), db_index=True)
    payer = models.CharField(_("payer"), max_length=10, choices=Payer.choices, default=Payer.BPJS)
    insurer_name = models.CharField(_("insurer"), max_length=100, blank=True)
    is_sick_visit = models.BooleanField(_("sick visit"), default=True)
    tkp = models.CharField(_("TKP"), max_length=2, choices=Tkp.choices, default=Tkp.RJTP)
    complaint = models.CharField(_("complaint"), max_length=500, blank=True)
    eligibility = models.CharField(
        _("eligibility"),
        max_length=15,
        choices=EligibilityStatus.choices,
        default=EligibilityStatus.NOT_APPLICABLE,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.REGISTERED
    )
    pcare_no_urut = models.CharField(_("PCare queue number (noUrut)"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-visit_date", "-id"]
        indexes = [
            models.Index(fields=["facility", "visit_date", "poli"]),
            # "Has this patient a visit at that poli that day?" (every booking asks, under
            # the patient's lock): one index entry, whatever the day's visit count.
            models.Index(fields=["patient", "visit_date", "poli"], name="visit_patient_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_date} {self.poli} #{self.pk}"


class QueueCounter(models.Model):
    """The one number sequence per facility, poli and day, shared by the front desk, the
    kiosk and Mobile JKN. Incremented with a conditional UPDATE inside the allocating
    transaction: the row lock serialises allocations for the same poli and day. Every ticket
    of that poli and day takes its number here, so ``last_number`` also bounds how many
    tickets the day has."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    poli = models.ForeignKey(Poli, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    last_number = models.PositiveIntegerField(default=0)
    # Kept by database triggers on the ticket table (migration queues/0005), whatever code
    # path writes a ticket: how many of the day's tickets are waiting, and how many were
    # called. Read with the number, under the same lock, so a booking needs no count of the
    # day's tickets. Plain integers (no CHECK): a count must never block a ticket's write.
    waiting = models.IntegerField(default=0)
    called = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "poli", "date"], name="queue_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.poli_id} {self.date}: {self.last_number}"


class TicketSource(models.TextChoices):
    FRONTDESK = "frontdesk", _("Front desk")
    KIOSK = "kiosk", _("Kiosk")
    MOBILE_JKN = "mobilejkn", _("Mobile JKN")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    IN_SERVICE = "in_service", _("In service")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")
    TRANSFERRED = "transferred", _("Sent to another poli")


#: Statuses that still hold a place in the doctor's quota and on the board.
OPEN_TICKET_STATUSES = (
    TicketStatus.WAITING,
    TicketStatus.CALLED,
    TicketStatus.IN_SERVICE,
    TicketStatus.SKIPPED,
)
#: Statuses that count against the doctor's daily quota: the open ones, and those served.
COUNTED_TICKET_STATUSES = (*OPEN_TICKET_STATUSES, TicketStatus.DONE)


class QueueTicket(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="tickets")
    poli = models.ForeignKey(Poli, on_delete=models.PROTECT, related_name="tickets")
    schedule = models.ForeignKey(
        DoctorSchedule, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    date = models.DateField(_("date"))
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("queue number"), max_length=10)
    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="ticket"
    )
    source = models.CharField(_("source"), max_length=10, choices=TicketSource.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=200, blank=True)
    transferred_to = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_from",
        verbose_name=_("sent to"),
    )
    # True when BPJS Antrean FKTP knows this number (a Mobile JKN booking, or a walk-in JKN
    # patient reported with antrean/add): calls and cancellations are then reported to it.
    jkn_antrean = models.BooleanField(_("known to Mobile JKN"), default=False)

    #: Not stored. Set by ``services.ticket_allocate`` on a ticket it issues, read from the
    #: counter under its lock: how many of the poli's tickets that day were waiting before
    #: this one, and how many had been called (None on loaded tickets).
    waiting_before: int | None = None
    called_count: int | None = None
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "poli", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "poli", "date", "number"], name="queue_ticket_unique_number"
            )
        ]
        indexes = [models.Index(fields=["facility", "date", "poli", "status"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.date})"


class CallOutcome(models.IntegerChoices):
    """Antrean FKTP ``antrean/panggil`` status."""

    PRESENT = 1, _("Present")
    ABSENT = 2, _("Did not come")


class QueueCall(models.Model):
    """One report to BPJS that a Mobile JKN queue number was called: present or a no-show.

    A row per report, so each report is its own outbox job with its own idempotency key."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(QueueTicket, on_delete=models.CASCADE, related_name="calls")
    outcome = models.PositiveSmallIntegerField(_("outcome"), choices=CallOutcome.choices)
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.outcome} {self.at:%H:%M:%S}"
