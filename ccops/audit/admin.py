"""The audit trail in the Django admin: readable, never editable."""

from __future__ import annotations

from django.contrib import admin

from ccops.audit.models import AuditEntry
from ccops.common.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "request_id", "note"]
