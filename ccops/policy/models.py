"""Rule parameters a center has changed from the defaults, and the history of changes."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleOverride(models.Model):
    """A rule's value for the whole center, one site, one vendor, or a vendor at a site."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"
    TENANT_NULL_IS_SHARED: ClassVar[bool] = True

    rule_id = models.CharField(_("rule"), max_length=16, db_index=True)
    site = models.ForeignKey(
        "org.Site", models.CASCADE, null=True, blank=True, verbose_name=_("site")
    )
    organisation = models.ForeignKey(
        "org.Organisation", models.CASCADE, null=True, blank=True, verbose_name=_("vendor")
    )
    value = models.JSONField(_("value"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["rule_id", "site_id", "organisation_id"]
        # One override per scope; NULL means "all", so each NULL pattern gets its own index.
        constraints = [
            models.UniqueConstraint(
                fields=fields, condition=models.Q(**cond), name=f"rule_override_{name}"
            )
            for name, fields, cond in (
                ("center", ["rule_id"], {"site__isnull": True, "organisation__isnull": True}),
                (
                    "site",
                    ["rule_id", "site"],
                    {"site__isnull": False, "organisation__isnull": True},
                ),
                (
                    "vendor",
                    ["rule_id", "organisation"],
                    {"site__isnull": True, "organisation__isnull": False},
                ),
                (
                    "both",
                    ["rule_id", "site", "organisation"],
                    {"site__isnull": False, "organisation__isnull": False},
                ),
            )
        ]
        verbose_name = _("rule override")
        verbose_name_plural = _("rule overrides")

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.site or '*'} / {self.organisation or '*'}"


class RuleChange(models.Model):
    """One change of a rule's value: who, when, old and new (never edited)."""

    TENANT_FIELD: ClassVar[str | None] = "organisation"
    TENANT_NULL_IS_SHARED: ClassVar[bool] = True

    rule_id = models.CharField(_("rule"), max_length=16, db_index=True)
    site = models.ForeignKey(
        "org.Site", models.SET_NULL, null=True, blank=True, verbose_name=_("site")
    )
    organisation = models.ForeignKey(
        "org.Organisation", models.SET_NULL, null=True, blank=True, verbose_name=_("vendor")
    )
    old_value = models.JSONField(_("old value"), null=True)
    new_value = models.JSONField(_("new value"), null=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("rule change")
        verbose_name_plural = _("rule changes")

    def __str__(self) -> str:
        return f"{self.rule_id} {self.changed_at:%Y-%m-%d}"
