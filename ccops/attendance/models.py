"""Leave (ATT-02..07) and the days it may not fall on (ATT-05)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ccops.core.leave import LeaveKind


class BlackoutDay(models.Model):
    """A day no leave is granted (ATT-05): a billing day or a bill run the center names;
    public holidays come from the Chinese calendar and need no row. Empty site: every
    site."""

    TENANT_FIELD: ClassVar[str | None] = None

    class Kind(models.TextChoices):
        PUBLIC_HOLIDAY = "public_holiday", _("Public holiday")
        BILLING_DAY = "billing_day", _("Billing day")
        BILL_RUN_DAY = "bill_run_day", _("Bill run")

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    site = models.ForeignKey(
        "org.Site", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["day", "kind", "site"], name="blackout_once"),
        ]
        verbose_name = _("blackout day")
        verbose_name_plural = _("blackout days")

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class LeaveRequest(models.Model):
    """An agent's leave: asked, then approved or refused by the level its length calls
    for (ATT-02), or withdrawn. ``days`` counts night shifts double (ATT-06); a sick
    leave without a certificate is counted as personal (ATT-04). ``revision`` rises
    with each decision, so of two approvers at once one decides and the other is told."""

    TENANT_FIELD: ClassVar[str | None] = "person__organisation"

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Kind(models.TextChoices):
        MARRIAGE = LeaveKind.MARRIAGE.value, _("Marriage leave")
        MATERNITY = LeaveKind.MATERNITY.value, _("Maternity leave")
        BEREAVEMENT = LeaveKind.BEREAVEMENT.value, _("Bereavement leave")
        SICK = LeaveKind.SICK.value, _("Sick leave")
        PERSONAL = LeaveKind.PERSONAL.value, _("Personal leave")
        ANNUAL = LeaveKind.ANNUAL.value, _("Annual leave")

    class Level(models.TextChoices):
        AREA_MANAGER = "area_manager", _("Area manager")
        OPERATIONS_SUPERVISOR = "operations_supervisor", _("Operations supervisor")
        CENTER_DIRECTOR = "center_director", _("Center director")
        DEPARTMENT_MANAGER = "department_manager", _("Department manager")

    person = models.ForeignKey("org.Person", models.PROTECT, related_name="leave")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    counted_as = models.CharField(_("counted as"), max_length=12, choices=Kind.choices)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    days = models.DecimalField(_("days counted"), max_digits=6, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    certificate = models.BooleanField(_("hospital certificate"), default=False)
    sudden = models.BooleanField(_("sudden illness"), default=False)
    papers_due = models.DateField(_("papers due"), null=True, blank=True)
    approver_level = models.CharField(_("approved by"), max_length=24, choices=Level.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=200, blank=True)

    class Meta:
        ordering = ["-first_day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="leave_ends_after_it_starts"
            ),
        ]
        indexes = [models.Index(fields=["person", "first_day"])]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.first_day}..{self.last_day}"


class AttendanceSummary(models.Model):
    """A vendor's monthly attendance summary (ATT-12): computed from the published
    rosters and the clock, submitted by the 21st of the month after, audited by the
    client line by line (ATT-01), answered, and signed; signed, it no longer changes."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for audit")
        DISPUTED = "disputed", _("Disputed")
        SIGNED = "signed", _("Signed")

    organisation = models.ForeignKey(
        "org.Organisation", models.PROTECT, related_name="+", verbose_name=_("vendor")
    )
    month = models.DateField(_("month"))  # its first day
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    revision = models.PositiveIntegerField(_("revision"), default=1)
    due_on = models.DateField(_("due"))
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    unattributed = models.JSONField(_("punches near no shift"), default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "organisation_id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="summary_once"),
        ]
        verbose_name = _("attendance summary")
        verbose_name_plural = _("attendance summaries")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"

    @property
    def late(self) -> bool:
        """Submitted after its due day (or not yet, and the day has passed)."""
        from django.utils import timezone

        when = self.submitted_at.date() if self.submitted_at else timezone.localdate()
        return when > self.due_on


class SummaryLine(models.Model):
    """One agent's month in a summary: what the rules count and fine (ATT-08..10), each
    fine with its rule and events, the days with a missing punch; and the client's
    dispute of the line with the vendor's answer."""

    TENANT_FIELD: ClassVar[str | None] = "summary__organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    class State(models.TextChoices):
        OK = "ok", _("Not disputed")
        DISPUTED = "disputed", _("Disputed")
        ANSWERED = "answered", _("Answered")

    summary = models.ForeignKey(AttendanceSummary, models.CASCADE, related_name="lines")
    person = models.ForeignKey("org.Person", models.PROTECT, related_name="+")
    shifts = models.PositiveSmallIntegerField(_("shifts"), default=0)
    late_count = models.PositiveSmallIntegerField(_("late"), default=0)
    early_count = models.PositiveSmallIntegerField(_("early"), default=0)
    absent_days = models.PositiveSmallIntegerField(_("absent days"), default=0)
    half_day_absences = models.PositiveSmallIntegerField(_("half-day absences"), default=0)
    fine_total = models.DecimalField(_("fines"), max_digits=10, decimal_places=2, default=0)
    no_bonus = models.BooleanField(_("no monthly bonus"), default=False)
    dismissal = models.BooleanField(_("dismissal threshold reached"), default=False)
    fines = models.JSONField(_("fine lines"), default=list, blank=True)
    flagged = models.JSONField(_("missing punches"), default=list, blank=True)
    # Against the phone system (ATT-01): seconds in the scheduled activity and on the
    # phones over the seconds scheduled, and what an auditor should look at.
    adherence_seconds = models.PositiveIntegerField(_("seconds adhering"), default=0)
    conformance_seconds = models.PositiveIntegerField(_("seconds conforming"), default=0)
    scheduled_seconds = models.PositiveIntegerField(_("seconds scheduled"), default=0)
    phone_seconds = models.PositiveIntegerField(_("seconds scheduled on the phones"), default=0)
    discrepancies = models.JSONField(_("discrepancies"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="ok")
    dispute = models.TextField(_("dispute"), blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["summary_id", "person__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "person"], name="summary_line_once"),
        ]
        verbose_name = _("summary line")
        verbose_name_plural = _("summary lines")

    def __str__(self) -> str:
        return f"{self.summary_id} {self.person_id}"

    @property
    def adherence(self) -> float | None:
        return self.adherence_seconds / self.scheduled_seconds if self.scheduled_seconds else None

    @property
    def conformance(self) -> float | None:
        return self.conformance_seconds / self.phone_seconds if self.phone_seconds else None


class AwayFromSeat(models.Model):
    """An agent away from their seat (FLOOR-03): a break on one of the team's tokens
    (FLOOR-02), or a short absence for another reason; open until they are back."""

    TENANT_FIELD: ClassVar[str | None] = "person__organisation"

    class Kind(models.TextChoices):
        BREAK = "break", _("Break")
        RESTROOM = "restroom", _("Restroom")
        OTHER = "other", _("Other")

    person = models.ForeignKey("org.Person", models.PROTECT, related_name="+")
    team = models.ForeignKey("org.Team", models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    holds_token = models.BooleanField(_("holds a break token"), default=False)
    left_at = models.DateTimeField(_("left"))
    back_at = models.DateTimeField(_("back"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-left_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(back_at__isnull=True), name="away_once"
            ),
        ]
        indexes = [models.Index(fields=["team", "back_at"])]
        verbose_name = _("away from seat")
        verbose_name_plural = _("away from seat")

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.left_at:%H:%M}"


class TokenWait(models.Model):
    """An agent in the team's queue for the next break token (FLOOR-02)."""

    TENANT_FIELD: ClassVar[str | None] = "person__organisation"

    person = models.ForeignKey("org.Person", models.PROTECT, related_name="+")
    team = models.ForeignKey("org.Team", models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    done_at = models.DateTimeField(_("left the queue"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(done_at__isnull=True), name="wait_once"
            ),
        ]
        verbose_name = _("token queue entry")
        verbose_name_plural = _("token queue")

    def __str__(self) -> str:
        return f"{self.person_id} {self.asked_at:%H:%M}"
