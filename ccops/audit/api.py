"""Audit trail endpoint (administrators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ccops.audit.views import filtered_entries

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any
    after: Any
    ip: str | None
    request_id: str
    note: str


@router.get("/entries", response=list[AuditOut])
def list_entries(request: HttpRequest, limit: int = 200, offset: int = 0) -> Any:
    return filtered_entries(request)[offset : offset + min(max(limit, 1), 2000)]
