"""Writing the audit trail: every change made through the product calls `record`."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from ccops.audit.models import AuditEntry
from ccops.common import context

security_log = logging.getLogger("ccops.security")


def json_value(value: Any) -> Any:
    """A JSON-safe form of a model field value."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Concrete field values of `obj` (foreign keys as ids), for before/after records.

    Personal data (a model's PERSONAL_FIELDS) is kept masked: the audit trail records
    that a phone number changed, not the number.
    """
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    masks = getattr(obj, "PERSONAL_FIELDS", {})
    return {
        name: _masked(masks[name], getattr(obj, name))
        if name in masks
        else json_value(getattr(obj, name))
        for name in names
    }


def _masked(mask: Any, value: str) -> str:
    """The masked value plus a keyed fingerprint, so that two numbers with the same mask
    still differ in the trail. The key is the server's secret: without it the few
    unmasked digits cannot be guessed back from the fingerprint."""
    if not value:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{mask(value)}#{digest[:8]}"


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _actor(actor: Any) -> tuple[int | None, str]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.pk, actor.get_username()
    user_id = context.current().user_id
    if user_id is None:
        return None, "system"
    user = get_user_model().objects.filter(pk=user_id).first()
    return user_id, user.get_username() if user else ""


def entry(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    organisation_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """An unsaved audit row carrying the current request's id, IP and actor."""
    ctx = context.current()
    actor_id, actor_name = _actor(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        if organisation_id is None:
            organisation_id = getattr(obj, "organisation_id", None)
    return AuditEntry(
        actor_id=actor_id,
        actor_name=actor_name,
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        ip=ctx.ip,
        request_id=ctx.request_id,
        note=note[:500],
    )


def record(action: str, obj: models.Model | None = None, **kwargs: Any) -> AuditEntry:
    """Write one audit row now (inside the caller's transaction)."""
    row = entry(action, obj, **kwargs)
    row.save()
    return row


def record_many(rows: Iterable[AuditEntry]) -> int:
    """Write prepared audit rows in bulk (imports that change many records)."""
    created = AuditEntry.objects.bulk_create(list(rows), batch_size=2000)
    return len(created)


def security_event(action: str, note: str, **kwargs: Any) -> AuditEntry:
    """An audit row for a refused attempt, mirrored to the security log."""
    row = record(f"security.{action}", note=note, **kwargs)
    security_log.warning("%s actor=%s %s", action, row.actor_name, note)
    return row
