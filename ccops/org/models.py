"""Organisations (the client and its vendors), sites, seat types, queues, teams, people, accounts.

Every vendor-owned model names the field that carries its organisation in
``TENANT_FIELD``; the scoping in ``ccops.org.access`` reads it. Shared reference data
(sites, seat types, queues) has ``TENANT_FIELD = None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccops.core import identity
from ccops.org.roles import CLIENT_ROLES, Role

IDENTITY_MESSAGES = {
    "national_id_format": _("A national ID number is 17 digits followed by a digit or X."),
    "national_id_check": _("The national ID number's check digit does not match."),
    "phone_format": _("A phone number is an 11-digit mobile or a landline with area code."),
}


class Organisation(models.Model):
    """The client that owns the hotline, or one of its outsourcing vendors."""

    TENANT_FIELD: ClassVar[str | None] = "id"

    class Kind(models.TextChoices):
        CLIENT = "client", _("Client")
        VENDOR = "vendor", _("Vendor")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_id(self) -> int:
        return self.pk


class Site(models.Model):
    """A workplace: the provincial center or a city center."""

    TENANT_FIELD: ClassVar[str | None] = None

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial center")
        CITY = "city", _("City center")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    city = models.CharField(_("city"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent site"),
    )
    seats = models.PositiveIntegerField(_("physical seats"), default=0)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class SeatType(models.Model):
    """A specialised seat (专席) with the skill bar an agent must clear to sit there."""

    TENANT_FIELD: ClassVar[str | None] = None

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    min_knowledge_score = models.PositiveSmallIntegerField(_("minimum knowledge score"))
    min_typing_cpm = models.PositiveSmallIntegerField(_("minimum typing speed (chars/min)"))
    max_lookup_seconds = models.PositiveSmallIntegerField(_("maximum knowledge-base lookup (s)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("seat type")
        verbose_name_plural = _("seat types")

    def __str__(self) -> str:
        return self.name


class Queue(models.Model):
    """An ACD queue (skill group) whose calls are answered at one seat type."""

    TENANT_FIELD: ClassVar[str | None] = None

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    seat_type = models.ForeignKey(
        SeatType, models.PROTECT, related_name="queues", verbose_name=_("seat type")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Team(models.Model):
    """A team (班组) of about twenty agents under a team lead."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    site = models.ForeignKey(Site, models.PROTECT, related_name="teams", verbose_name=_("site"))
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    queue = models.ForeignKey(
        Queue,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("queue"),
        help_text=_("The queue the team answers; planning staffs it from this queue's demand."),
    )
    lead = models.ForeignKey(
        "Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("team lead"),
    )

    class Meta:
        ordering = ["organisation__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="team_code_per_org")
        ]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.lead_id and self.lead and self.lead.organisation_id != self.organisation_id:
            raise ValidationError(
                {"lead": _("The team lead must belong to the same organisation.")}
            )


class Person(models.Model):
    """A member of staff, client or vendor, with the personal data PIPL asks us to guard."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"
    PERSONAL_FIELDS: ClassVar[dict[str, Callable[[str], str]]] = {
        "phone": identity.mask_phone,
        "national_id": identity.mask_national_id,
    }

    class Status(models.TextChoices):
        TRAINING = "training", _("In training")
        PROBATION = "probation", _("On probation")
        ACTIVE = "active", _("Active")
        LEAVING = "leaving", _("Serving notice")
        LEFT = "left", _("Left")

    class Education(models.TextChoices):
        SECONDARY = "secondary", _("Secondary school")
        COLLEGE = "college", _("College diploma")
        BACHELOR = "bachelor", _("Bachelor")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    class Position(models.TextChoices):
        AGENT = "agent", _("Agent")
        BACK_OFFICE = "back_office", _("Back-office agent")
        TEAM_LEAD = "team_lead", _("Team lead")
        TEAM_LEAD_ASSISTANT = "team_lead_assistant", _("Team-lead assistant")
        SUPERVISOR = "supervisor", _("Site supervisor")
        COACH = "coach", _("Business coach")
        QA_INSPECTOR = "qa_inspector", _("QA inspector")
        TRAINER = "trainer", _("Trainer")
        PERFORMANCE_OFFICER = "performance_officer", _("Performance officer")
        PROJECT_MANAGER = "project_manager", _("Project manager")
        PLANNER = "planner", _("Workforce planner")
        OTHER = "other", _("Other")

    class ShiftClass(models.TextChoices):
        """Employee-friendly shift classes (rule PLAN-07)."""

        NONE = "", _("None")
        LONG_REST = "long_rest", _("Long rest (staff from other towns)")
        FAMILY_HOURS = "family_hours", _("Family hours (carers)")
        NO_NIGHT = "no_night", _("No evening or night (pregnancy)")
        CLASS_TIMETABLE = "class_timetable", _("Around class timetable (students)")

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="people", verbose_name=_("organisation")
    )
    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    national_id = models.CharField(_("national ID number"), max_length=18, blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    hire_date = models.DateField(_("hire date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    position = models.CharField(
        _("position"), max_length=24, choices=Position.choices, default=Position.AGENT
    )
    site = models.ForeignKey(
        Site, models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("site")
    )
    team = models.ForeignKey(
        Team,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    skills = models.ManyToManyField(
        SeatType, blank=True, related_name="qualified_people", verbose_name=_("skills")
    )
    shift_class = models.CharField(
        _("shift class"), max_length=20, choices=ShiftClass.choices, blank=True, default=""
    )
    acd_account = models.CharField(
        _("agent account"),
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The login id (工号) in the phone system."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["organisation__code", "employee_no"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.employee_no} {self.name}"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.team_id and self.team.organisation_id != self.organisation_id:
            errors["team"] = _("The team belongs to another organisation.")
        for field, normalise in (
            ("phone", identity.normalise_phone),
            ("national_id", identity.normalise_national_id),
        ):
            value = getattr(self, field)
            if value:
                try:
                    setattr(self, field, normalise(value))
                except identity.IdentityError as exc:
                    errors[field] = IDENTITY_MESSAGES[exc.code]
        if errors:
            raise ValidationError(errors)

    @property
    def phone_masked(self) -> str:
        return identity.mask_phone(self.phone)

    @property
    def national_id_masked(self) -> str:
        return identity.mask_national_id(self.national_id)


class Profile(models.Model):
    """A user account's organisation and role; vendor roles confine it to its vendor."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="accounts", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    person = models.OneToOneField(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("person"),
    )

    class Meta:
        ordering = ["organisation__code", "user__username"]
        verbose_name = _("user account")
        verbose_name_plural = _("user accounts")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"

    def clean(self) -> None:
        if not self.organisation_id or not self.role:
            return
        client_role = self.role in CLIENT_ROLES
        if client_role != (self.organisation.kind == Organisation.Kind.CLIENT):
            raise ValidationError(
                {"role": _("Client roles belong to the client, vendor roles to a vendor.")}
            )
        if self.person_id and self.person.organisation_id != self.organisation_id:
            raise ValidationError({"person": _("The person belongs to another organisation.")})


class ApiToken(models.Model):
    """A personal bearer token for scripts that call the API (e.g. a nightly ACD upload).

    Only a SHA-256 hash is stored; the token is shown once, when it is made. It acts as
    its user, with the user's role and vendor, and stops working when revoked or when
    the user is deactivated.
    """

    TENANT_FIELD: ClassVar[str | None] = None

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
