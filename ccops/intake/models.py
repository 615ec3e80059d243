"""Imported operational data and the batches (with their ledgers) that brought it in.

The operational tables take millions of rows a day, so their references carry no
database constraint and no single-column index: the import resolves and checks every
reference before it writes (and Django still PROTECTs referenced rows from deletion),
while constraint checks at commit, one key-share lock per row, cost about half of a
large import's time. Composite indexes serve the queries these tables answer.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def fact_reference(*args: Any, **kwargs: Any) -> models.ForeignKey[Any, Any]:
    """A reference from an operational table: no database constraint, no own index."""
    return models.ForeignKey(*args, db_constraint=False, db_index=False, **kwargs)


class ImportBatch(models.Model):
    """One uploaded file and what became of each of its rows.

    The ledger always balances: rows_read = inserted + updated + unchanged + rejected.
    """

    TENANT_FIELD: ClassVar[str | None] = "organisation"
    AGENT_VISIBLE: ClassVar[bool] = False

    class Kind(models.TextChoices):
        ACD = "acd", _("ACD interval statistics")
        CDR = "cdr", _("Call detail records")
        STATES = "states", _("Agent state changes")
        CLOCK = "clock", _("Clock records")
        PEOPLE = "people", _("People")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Rejected")

    organisation = models.ForeignKey(
        "org.Organisation",
        models.PROTECT,
        related_name="import_batches",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(_("stored file"), max_length=100)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    inserted = models.PositiveIntegerField(_("inserted"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.filename}"

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.inserted + self.updated + self.unchanged + self.rejected

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class AcdInterval(models.Model):
    """ACD statistics for one queue and one interval; the client's own data."""

    TENANT_FIELD: ClassVar[str | None] = None
    CLIENT_ONLY: ClassVar[bool] = True

    queue = fact_reference("org.Queue", models.PROTECT, verbose_name=_("queue"))
    interval_start = models.DateTimeField(_("interval start"))
    interval_minutes = models.PositiveSmallIntegerField(_("interval length (min)"))
    offered = models.PositiveIntegerField(_("offered"))
    answered = models.PositiveIntegerField(_("answered"))
    abandoned = models.PositiveIntegerField(_("abandoned"))
    answered_in_threshold = models.PositiveIntegerField(_("answered within threshold"))
    abandoned_in_threshold = models.PositiveIntegerField(_("abandoned within threshold"))
    talk_seconds = models.BigIntegerField(_("talk (s)"))
    hold_seconds = models.BigIntegerField(_("hold (s)"))
    acw_seconds = models.BigIntegerField(_("after-call work (s)"))
    batch = fact_reference(ImportBatch, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["queue_id", "interval_start"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "interval_start"], name="acd_queue_interval")
        ]
        verbose_name = _("ACD interval")
        verbose_name_plural = _("ACD intervals")

    def __str__(self) -> str:
        return f"{self.queue_id} {self.interval_start:%Y-%m-%d %H:%M}"


class CallRecord(models.Model):
    """One leg of one call; owned by the organisation of the agent who took it."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"

    call_id = models.CharField(_("call id"), max_length=64)
    leg = models.PositiveSmallIntegerField(_("leg"), default=1)
    organisation = fact_reference(
        "org.Organisation", models.PROTECT, verbose_name=_("organisation")
    )
    queue = fact_reference("org.Queue", models.PROTECT, null=True, verbose_name=_("queue"))
    person = fact_reference("org.Person", models.PROTECT, null=True, verbose_name=_("agent"))
    arrived_at = models.DateTimeField(_("arrival"))
    answered_at = models.DateTimeField(_("answer"), null=True)
    ended_at = models.DateTimeField(_("end"))
    talk_seconds = models.PositiveIntegerField(_("talk (s)"), default=0)
    hold_seconds = models.PositiveIntegerField(_("hold (s)"), default=0)
    acw_seconds = models.PositiveIntegerField(_("after-call work (s)"), default=0)
    transferred = models.BooleanField(_("transferred"), default=False)
    disposition = models.CharField(_("disposition"), max_length=40, blank=True)
    batch = fact_reference(ImportBatch, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["arrived_at", "call_id", "leg"]
        constraints = [models.UniqueConstraint(fields=["call_id", "leg"], name="cdr_call_leg")]
        indexes = [
            models.Index(fields=["organisation", "arrived_at"], name="cdr_org_time"),
            models.Index(fields=["person", "arrived_at"], name="cdr_person_time"),
        ]
        verbose_name = _("call record")
        verbose_name_plural = _("call records")

    def __str__(self) -> str:
        return f"{self.call_id}/{self.leg}"


class AgentState(models.Model):
    """A period an agent spent in one phone-system state."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"

    class State(models.TextChoices):
        LOGGED_IN = "logged_in", _("Logged in")
        READY = "ready", _("Ready")
        NOT_READY = "not_ready", _("Not ready")
        ON_CALL = "on_call", _("On call")
        ACW = "acw", _("After-call work")
        LOGGED_OUT = "logged_out", _("Logged out")

    organisation = fact_reference(
        "org.Organisation", models.PROTECT, verbose_name=_("organisation")
    )
    person = fact_reference("org.Person", models.PROTECT, verbose_name=_("agent"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    started_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(_("end"), null=True)
    batch = fact_reference(ImportBatch, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["person_id", "started_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "started_at"], name="state_person_start")
        ]
        indexes = [models.Index(fields=["organisation", "started_at"], name="state_org_time")]
        verbose_name = _("agent state")
        verbose_name_plural = _("agent states")

    def __str__(self) -> str:
        return f"{self.person_id} {self.state} {self.started_at:%Y-%m-%d %H:%M}"


class ClockPunch(models.Model):
    """A clock-in or clock-out recorded by the vendor's attendance device."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"

    class Direction(models.TextChoices):
        IN = "in", _("In")
        OUT = "out", _("Out")

    organisation = fact_reference(
        "org.Organisation", models.PROTECT, verbose_name=_("organisation")
    )
    person = fact_reference("org.Person", models.PROTECT, verbose_name=_("person"))
    punched_at = models.DateTimeField(_("punch time"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    device = models.CharField(_("device"), max_length=60, blank=True)
    batch = fact_reference(ImportBatch, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["person_id", "punched_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "punched_at", "direction"], name="punch_person_time_dir"
            )
        ]
        indexes = [models.Index(fields=["organisation", "punched_at"], name="punch_org_time")]
        verbose_name = _("clock record")
        verbose_name_plural = _("clock records")

    def __str__(self) -> str:
        return f"{self.person_id} {self.direction} {self.punched_at:%Y-%m-%d %H:%M}"
