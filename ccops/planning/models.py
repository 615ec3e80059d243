"""Forecasts, staffing plans and head-count plans: the client's planning records.

Forecasts and interval staffing are the client's own working data (vendors receive the
published demand in the roster workflow); head-count lines name the vendor asked to
staff them, and each vendor sees only its own.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccops.planning.basis import translated_basis


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


INTERVAL_CHOICES = [(15, _("15 minutes")), (30, _("30 minutes")), (60, _("60 minutes"))]


class Forecast(models.Model):
    """One forecast run of call volume and handle time for a seat type (at a site, or
    center-wide): its settings, progress, chosen method and, once published, the
    version staffing and rosters follow."""

    TENANT_FIELD: ClassVar[str | None] = None
    CLIENT_ONLY: ClassVar[bool] = True

    class Method(models.TextChoices):
        AUTO = "auto", _("Automatic (best back-test)")
        SEASONAL_NAIVE = "seasonal_naive", _("Same week last week")
        TOP_DOWN = "top_down", _("Daily totals x intraday profile")
        MSTL = "mstl", _("MSTL")
        AUTO_ETS = "auto_ets", _("AutoETS")

    seat_type = models.ForeignKey(
        "org.SeatType", models.PROTECT, related_name="+", verbose_name=_("seat type")
    )
    site = models.ForeignKey(
        "org.Site",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Empty: every site answering this seat type's queues."),
    )
    interval_minutes = models.PositiveSmallIntegerField(
        _("interval length"), choices=INTERVAL_CHOICES, default=30
    )
    horizon_start = models.DateField(_("first forecast day"), null=True, blank=True)
    horizon_days = models.PositiveSmallIntegerField(
        _("days to forecast"), default=28, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default="auto")
    billing_days = models.JSONField(
        _("billing days of the month"),
        default=list,
        blank=True,
        help_text=_("Days of the month when bills go out, e.g. 1, 2, 28 (PLAN-02)."),
    )
    chosen_method = models.CharField(_("method used"), max_length=40, blank=True)
    backtest = models.JSONField(_("back-test WAPE by method"), default=dict, blank=True)
    history_start = models.DateField(_("history from"), null=True, blank=True)
    history_end = models.DateField(_("history to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")

    def __str__(self) -> str:
        where = self.site or _("all sites")
        return f"#{self.pk} {self.seat_type} / {where}"

    def chosen_method_display(self) -> str:
        """The method used, in words: an average of methods reads "A + B"."""
        return method_label(self.chosen_method)


def method_label(code: str) -> str:
    """A forecast method's name in words; "a+b" (an average of two) reads "A + B"."""
    names = dict(Forecast.Method.choices) | {"ensemble": _("Ensemble (average of three)")}
    return " + ".join(str(names.get(part, part)) for part in code.split("+") if part)


class ForecastInterval(models.Model):
    """Forecast calls (with an 80 % band) and handle time for one open interval; the
    planner's adjustment, when there is one, replaces the calls."""

    TENANT_FIELD: ClassVar[str | None] = None
    CLIENT_ONLY: ClassVar[bool] = True

    forecast = models.ForeignKey(Forecast, models.CASCADE, related_name="intervals")
    start = models.DateTimeField(_("interval start"))
    calls = models.FloatField(_("calls"))
    lower = models.FloatField(_("lower bound"))
    upper = models.FloatField(_("upper bound"))
    aht = models.FloatField(_("handle time (s)"))
    adjusted = models.FloatField(_("adjusted calls"), null=True, blank=True)

    class Meta:
        ordering = ["forecast_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["forecast", "start"], name="forecast_interval")
        ]
        verbose_name = _("forecast interval")
        verbose_name_plural = _("forecast intervals")

    def __str__(self) -> str:
        return f"{self.forecast_id} {self.start:%Y-%m-%d %H:%M}"

    @property
    def final_calls(self) -> float:
        return self.calls if self.adjusted is None else self.adjusted


class Adjustment(models.Model):
    """A planner's change to a forecast: a factor on a range of days (and times), with
    the reason (a billing day, an event, an incident)."""

    TENANT_FIELD: ClassVar[str | None] = None
    CLIENT_ONLY: ClassVar[bool] = True

    class Kind(models.TextChoices):
        BILLING = "billing", _("Billing period")
        EVENT = "event", _("Event or campaign")
        INCIDENT = "incident", _("Incident")
        OTHER = "other", _("Other")

    forecast = models.ForeignKey(Forecast, models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    first_day = models.DateField(_("from day"))
    last_day = models.DateField(_("to day"))
    start_time = models.TimeField(_("from time"), null=True, blank=True)
    end_time = models.TimeField(_("to time"), null=True, blank=True)
    factor = models.FloatField(
        _("factor"),
        validators=[MinValueValidator(0.0), MaxValueValidator(20.0)],
        help_text=_("1.3 adds 30 %, 0.8 takes 20 % away."),
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["forecast_id", "created_at", "pk"]
        verbose_name = _("forecast adjustment")
        verbose_name_plural = _("forecast adjustments")

    def __str__(self) -> str:
        return f"{self.first_day}..{self.last_day} x{self.factor}"


class PlanningEvent(models.Model):
    """A known day that is not a normal day, entered before forecasting: a campaign or
    a billing run with its expected uplift (holidays come from the statutory calendar)."""

    TENANT_FIELD: ClassVar[str | None] = None
    CLIENT_ONLY: ClassVar[bool] = True

    name = models.CharField(_("name"), max_length=120)
    seat_type = models.ForeignKey(
        "org.SeatType",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seat type"),
        help_text=_("Empty: every seat type."),
    )
    first_day = models.DateField(_("from day"))
    last_day = models.DateField(_("to day"))
    uplift = models.FloatField(
        _("uplift factor"),
        validators=[MinValueValidator(0.0), MaxValueValidator(20.0)],
        help_text=_("Expected calls as a multiple of a normal day, e.g. 1.5."),
    )

    class Meta:
        ordering = ["-first_day", "pk"]
        verbose_name = _("planning event")
        verbose_name_plural = _("planning events")

    def __str__(self) -> str:
        return self.name


class StaffingPlan(models.Model):
    """Agents needed per interval of a forecast for a service target and shrinkage, and
    the monthly head-count plan by role and vendor that follows."""

    TENANT_FIELD: ClassVar[str | None] = None
    CLIENT_ONLY: ClassVar[bool] = True

    forecast = models.ForeignKey(Forecast, models.CASCADE, related_name="staffing_plans")
    service_level = models.FloatField(
        _("service level target"), validators=[MinValueValidator(0.01), MaxValueValidator(0.999)]
    )
    threshold_seconds = models.PositiveSmallIntegerField(_("answered within (s)"))
    asa_seconds = models.PositiveSmallIntegerField(_("ASA target (s)"), null=True, blank=True)
    max_occupancy = models.FloatField(
        _("occupancy cap"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
    )
    patience_seconds = models.PositiveSmallIntegerField(
        _("callers' patience (s)"),
        null=True,
        blank=True,
        help_text=_("Given: Erlang A, which counts abandoned calls. Empty: Erlang C."),
    )
    break_minutes_per_hour = models.FloatField(_("breaks (min per hour)"))
    briefings = models.FloatField(_("briefings share"), default=0.0)
    training = models.FloatField(_("training share"), default=0.0)
    leave = models.FloatField(_("leave share"), default=0.0)
    absence = models.FloatField(_("absence share"), default=0.0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("staffing plan")
        verbose_name_plural = _("staffing plans")

    def __str__(self) -> str:
        return f"#{self.pk} {self.service_level:.0%}/{self.threshold_seconds}s"


class StaffingInterval(models.Model):
    """Required agents on the phones, agents to schedule and the service they achieve in
    one interval."""

    TENANT_FIELD: ClassVar[str | None] = None
    CLIENT_ONLY: ClassVar[bool] = True

    plan = models.ForeignKey(StaffingPlan, models.CASCADE, related_name="intervals")
    start = models.DateTimeField(_("interval start"))
    calls = models.FloatField(_("calls"))
    aht = models.FloatField(_("handle time (s)"))
    required = models.PositiveIntegerField(_("required agents"))
    scheduled = models.FloatField(_("scheduled agents"))
    service_level = models.FloatField(_("service level"))
    asa = models.FloatField(_("ASA (s)"))
    occupancy = models.FloatField(_("occupancy"))

    class Meta:
        ordering = ["plan_id", "start"]
        constraints = [models.UniqueConstraint(fields=["plan", "start"], name="staffing_interval")]
        verbose_name = _("staffing interval")
        verbose_name_plural = _("staffing intervals")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.start:%Y-%m-%d %H:%M}"


class HeadcountLine(models.Model):
    """People of one role a vendor is asked to staff in a month (ORG-01..07)."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"

    class Role(models.TextChoices):
        AGENT = "agent", _("Agents")
        STANDBY = "standby", _("Standby agents")
        BACK_OFFICE = "back_office", _("Back-office agents")
        TEAM_LEAD = "team_lead", _("Team leads")
        SUPERVISOR = "supervisor", _("Site supervisors")
        COACH = "coach", _("Business coaches")
        BUSINESS_SUPERVISOR = "business_supervisor", _("Business supervisors")
        QA_INSPECTOR = "qa_inspector", _("QA inspectors")

    plan = models.ForeignKey(StaffingPlan, models.CASCADE, related_name="headcount")
    organisation = models.ForeignKey(
        "org.Organisation", models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    month = models.DateField(_("month"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    count = models.PositiveIntegerField(_("people"))
    rule = models.CharField(_("rule"), max_length=10, blank=True)
    basis = models.CharField(_("basis"), max_length=120, blank=True)
    side = models.CharField(
        _("staffed by"),
        max_length=10,
        choices=[("vendor", _("vendor")), ("client", _("client"))],
    )

    class Meta:
        ordering = ["plan_id", "month", "organisation_id", "pk"]
        verbose_name = _("head-count line")
        verbose_name_plural = _("head-count lines")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.role} {self.count}"

    def basis_display(self) -> str:
        """The basis in the reader's language."""
        return translated_basis(self.basis)


class ShiftTemplate(models.Model):
    """A shift rosters may use: when it starts, its length (lunch included), whether it
    counts as a night shift, and the site and seat types it serves (empty: all)."""

    TENANT_FIELD: ClassVar[str | None] = None

    code = models.CharField(_("code"), max_length=16, unique=True)
    start = models.TimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(60), MaxValueValidator(16 * 60)]
    )
    night = models.BooleanField(_("night shift"), default=False)
    site = models.ForeignKey(
        "org.Site",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Empty: every site."),
    )
    seat_types = models.ManyToManyField(
        "org.SeatType",
        blank=True,
        related_name="+",
        verbose_name=_("seat types"),
        help_text=_("Empty: every seat type."),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["start", "minutes", "code"]
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")

    def __str__(self) -> str:
        return f"{self.code} {self.start:%H:%M} +{self.minutes // 60}h{self.minutes % 60:02d}"

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute


class PublishedDemand(models.Model):
    """Agents a vendor must have on the phones in each interval of one week, for a seat
    type at a site, published by the client from a staffing plan (PLAN-05)."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    organisation = models.ForeignKey(
        "org.Organisation", models.PROTECT, related_name="+", verbose_name=_("vendor")
    )
    seat_type = models.ForeignKey(
        "org.SeatType", models.PROTECT, related_name="+", verbose_name=_("seat type")
    )
    site = models.ForeignKey(
        "org.Site", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    week_start = models.DateField(_("week of"))
    interval_minutes = models.PositiveSmallIntegerField(_("interval length"))
    required = models.JSONField(_("agents required per interval"), default=list)
    staffing_plan = models.ForeignKey(
        StaffingPlan, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), auto_now=True)

    class Meta:
        ordering = ["-week_start", "organisation_id", "seat_type_id", "pk"]
        verbose_name = _("published demand")
        verbose_name_plural = _("published demand")

    def __str__(self) -> str:
        return f"{self.week_start:%Y-%m-%d} {self.seat_type_id}/{self.site_id}"

    @property
    def agent_hours(self) -> float:
        return sum(self.required) * self.interval_minutes / 60


class Roster(models.Model):
    """One version of a vendor's named roster for a week of published demand: drafted
    (generated, edited or imported), submitted, then approved or returned by the client.
    ``revision`` rises with every change, so a second writer is told of the first.
    A multi-skill roster also answers the demand of other seat types of that week
    (``also_covers``); its shifts then name their seat type (``E0800@VIP``)."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved and published")
        RETURNED = "returned", _("Returned for changes")

    demand = models.ForeignKey(PublishedDemand, models.CASCADE, related_name="rosters")
    also_covers = models.ManyToManyField(
        PublishedDemand,
        blank=True,
        related_name="covering_rosters",
        verbose_name=_("also covers"),
        help_text=_("Other seat types of the same week answered by the same agents."),
    )
    organisation = models.ForeignKey(
        "org.Organisation", models.PROTECT, related_name="+", verbose_name=_("vendor")
    )
    number = models.PositiveIntegerField(_("version"))
    based_on = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("from")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    revision = models.PositiveIntegerField(_("revision"), default=1)
    source = models.CharField(_("made by"), max_length=12, default="generated")
    objective = models.FloatField(_("cost"), null=True, blank=True)
    lower_bound = models.FloatField(_("lower bound"), null=True, blank=True)
    penalties = models.JSONField(_("rules bent"), default=list, blank=True)
    options = models.JSONField(_("rules"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["demand_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["demand", "number"], name="roster_version")]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")

    def __str__(self) -> str:
        return f"{self.demand} v{self.number}"


class RosterShift(models.Model):
    """One person's shift on one day of a roster, with the start of each break and of
    lunch (minutes from that day's midnight)."""

    TENANT_FIELD: ClassVar[str | None] = "roster__organisation"

    roster = models.ForeignKey(Roster, models.CASCADE, related_name="shifts")
    person = models.ForeignKey("org.Person", models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    code = models.CharField(_("shift"), max_length=50)  # template code, @seat type if several
    start_minute = models.PositiveSmallIntegerField(_("starts (minute of the day)"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    breaks = models.JSONField(_("breaks"), default=list, blank=True)
    lunch = models.PositiveSmallIntegerField(_("lunch"), null=True, blank=True)
    lunch_minutes = models.PositiveSmallIntegerField(_("lunch length"), default=0)

    class Meta:
        ordering = ["roster_id", "person_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "person", "day"], name="roster_person_day")
        ]
        verbose_name = _("rostered shift")
        verbose_name_plural = _("rostered shifts")

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.code}"


class RosterRun(models.Model):
    """A roster being generated in the background: its settings, live progress (best
    cost so far and the bound), and how it ended. A run that fails or is cancelled
    leaves every roster as it was."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    demand = models.ForeignKey(PublishedDemand, models.CASCADE, related_name="runs")
    also_covers = models.ManyToManyField(
        PublishedDemand, blank=True, related_name="+", verbose_name=_("also covers")
    )
    based_on = models.ForeignKey(
        Roster,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changing as little as possible from"),
    )
    organisation = models.ForeignKey(
        "org.Organisation", models.PROTECT, related_name="+", verbose_name=_("vendor")
    )
    options = models.JSONField(_("settings"), default=dict)
    time_limit = models.PositiveIntegerField(
        _("time limit (s)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(3600)]
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="queued")
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    best = models.FloatField(_("best cost so far"), null=True, blank=True)
    bound = models.FloatField(_("lower bound"), null=True, blank=True)
    engine = models.CharField(_("engine"), max_length=12, blank=True)
    cancel_requested = models.BooleanField(default=False)
    roster = models.ForeignKey(Roster, models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField(_("error"), blank=True)
    conflicts = models.JSONField(_("rules in conflict"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster run")
        verbose_name_plural = _("roster runs")

    def __str__(self) -> str:
        return f"run #{self.pk} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state not in (self.State.QUEUED, self.State.RUNNING)

    @property
    def conflict_lines(self) -> list[str]:
        """The rules in conflict, in the reader's language."""
        from ccops.planning.messages import conflict_words

        return [conflict_words(c) for c in self.conflicts]

    @property
    def gap(self) -> float | None:
        if self.best is None or self.bound is None or not self.best:
            return None
        return max(self.best - self.bound, 0.0) / self.best


class RosterNote(models.Model):
    """What happened to a roster version and why: submitted, approved or returned, with
    the reviewer's comments."""

    TENANT_FIELD: ClassVar[str | None] = "roster__organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        COMMENTED = "commented", _("Commented")

    roster = models.ForeignKey(Roster, models.CASCADE, related_name="notes")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["roster_id", "at", "pk"]
        verbose_name = _("roster note")
        verbose_name_plural = _("roster notes")

    def __str__(self) -> str:
        return f"{self.roster_id} {self.action}"


class ShiftSwap(models.Model):
    """Two agents of a published roster exchange days (ATT-11, the swap form): the
    requester's shift on ``day`` and the partner's on ``partner_day`` (the same day when
    empty; a day off counts, so a shift can be given away). The partner accepts, a team
    lead or the vendor's planner approves, and the roster changes only if both weeks
    still keep every rule."""

    TENANT_FIELD: ClassVar[str | None] = "roster__organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the colleague")
        ACCEPTED = "accepted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    roster = models.ForeignKey(Roster, models.CASCADE, related_name="swaps")
    requester = models.ForeignKey("org.Person", models.PROTECT, related_name="+")
    partner = models.ForeignKey("org.Person", models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    partner_day = models.DateField(_("colleague's day"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="requested")
    answer = models.CharField(_("answer"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")

    def __str__(self) -> str:
        return f"{self.requester_id}<->{self.partner_id} {self.day}"


class OvertimeOffer(models.Model):
    """Extra hours the client asks of a vendor where the published roster falls short
    (FLOOR-08): a day, a time, how long and how many people. The vendor's agents take
    it; the client audits later who came."""

    TENANT_FIELD: ClassVar[str | None] = "demand__organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    demand = models.ForeignKey(PublishedDemand, models.CASCADE, related_name="overtime")
    day = models.DateField(_("day"))
    start_minute = models.PositiveSmallIntegerField(_("starts (minute of the day)"))
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(8 * 60)]
    )
    seats = models.PositiveSmallIntegerField(
        _("people wanted"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["day", "start_minute", "pk"]
        verbose_name = _("overtime offer")
        verbose_name_plural = _("overtime offers")

    def __str__(self) -> str:
        return f"{self.day} {self.clock} +{self.minutes}"

    @property
    def clock(self) -> str:
        return f"{self.start_minute // 60:02d}:{self.start_minute % 60:02d}"


class OvertimeTake(models.Model):
    """An agent who took an overtime offer, and the client's audit of whether they
    came (None until audited)."""

    TENANT_FIELD: ClassVar[str | None] = "offer__demand__organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    offer = models.ForeignKey(OvertimeOffer, models.CASCADE, related_name="takes")
    person = models.ForeignKey("org.Person", models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    audited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["offer_id", "taken_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "person"], name="overtime_once_per_person")
        ]
        verbose_name = _("overtime taken")
        verbose_name_plural = _("overtime taken")

    def __str__(self) -> str:
        return f"{self.offer_id} {self.person_id}"
