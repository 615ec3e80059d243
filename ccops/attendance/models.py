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
