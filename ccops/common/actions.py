"""Create, update and delete, each atomic and audited; views, the API and imports call these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ccops.audit import services as audit

M = TypeVar("M", bound=models.Model)


class Conflict(Exception):
    """The record changed since the user loaded it (optimistic version check)."""


def refuse_null_characters(obj: models.Model) -> None:
    """No text field may hold NUL: PostgreSQL cannot store it and it hides text in SQLite."""
    bad = {
        f.name: [_("Null characters are not allowed.")]
        for f in obj._meta.concrete_fields
        if isinstance(getattr(obj, f.attname), str) and "\x00" in getattr(obj, f.attname)
    }
    if bad:
        raise ValidationError(bad)


def _m2m_snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, list[Any]]:
    return {name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in names}


def do_create(obj: M, *, acting_user: Any, m2m: dict[str, Iterable[Any]] | None = None) -> M:
    """Validate and insert `obj` (and its many-to-many values), with an audit row."""
    with transaction.atomic():
        refuse_null_characters(obj)
        obj.full_clean()
        obj.save()
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
        after = audit.snapshot(obj) | _m2m_snapshot(obj, (m2m or {}).keys())
        audit.record("create", obj, actor=acting_user, after=after)
    return obj


def do_update(
    obj: M,
    *,
    acting_user: Any,
    expected_version: int | None = None,
    m2m: dict[str, Iterable[Any]] | None = None,
) -> M:
    """Save the changed `obj` if nobody changed it meanwhile; audit only what differs."""
    model = type(obj)
    with transaction.atomic():
        stored = model._default_manager.select_for_update().get(pk=obj.pk)
        has_version = hasattr(stored, "version")
        if has_version and expected_version is not None and stored.version != expected_version:
            raise Conflict
        before = audit.snapshot(stored) | _m2m_snapshot(stored, (m2m or {}).keys())
        refuse_null_characters(obj)
        obj.full_clean()
        if has_version:
            obj.version = stored.version + 1  # type: ignore[attr-defined]
        obj.save()
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
        after = audit.snapshot(obj) | _m2m_snapshot(obj, (m2m or {}).keys())
        old, new = audit.diff(before, after)
        new.pop("version", None)
        if new:
            old.pop("version", None)
            audit.record("update", obj, actor=acting_user, before=old, after=new)
    return obj


def do_delete(obj: models.Model, *, acting_user: Any) -> None:
    """Delete `obj`, keeping its last values in the audit trail."""
    with transaction.atomic():
        entry = audit.entry("delete", obj, actor=acting_user, before=audit.snapshot(obj))
        obj.delete()
        entry.save()
