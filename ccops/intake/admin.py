"""Import batches in the Django admin (read-only: batches change only by running)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from ccops.intake.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "pk",
        "kind",
        "filename",
        "organisation",
        "status",
        "rows_read",
        "inserted",
        "updated",
        "unchanged",
        "rejected",
        "created_at",
    ]
    list_filter = ["kind", "status", "organisation"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
