"""Import batches in the Django admin (read-only: batches change only by running)."""

from __future__ import annotations

from django.contrib import admin

from ccops.common.admin import ReadOnlyAdmin
from ccops.intake.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
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
