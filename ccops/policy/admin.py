"""Rule history in the Django admin (changes go through the audited rule pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from ccops.policy.models import RuleChange


@admin.register(RuleChange)
class RuleChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["rule_id", "site", "organisation", "changed_by", "changed_at", "reason"]
    list_filter = ["rule_id"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
