"""Rule history in the Django admin (changes go through the audited rule pages)."""

from __future__ import annotations

from django.contrib import admin

from ccops.common.admin import ReadOnlyAdmin
from ccops.policy.models import RuleChange


@admin.register(RuleChange)
class RuleChangeAdmin(ReadOnlyAdmin):
    list_display = ["rule_id", "site", "organisation", "changed_by", "changed_at", "reason"]
    list_filter = ["rule_id"]
