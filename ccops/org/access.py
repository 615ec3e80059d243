"""Tenancy: the one place that decides which rows a user may see or change.

Every view and API endpoint fetches rows through `restrict` or `access`, which filter
by the user's scope inside the query, so another vendor's rows answer 404 and never
appear in lists, exports, aggregates or search.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from ccops.org.roles import Role, can, is_vendor_user, organisation_id_of, role_of

M = TypeVar("M", bound=models.Model)


def tenant_field(model: type[models.Model]) -> str | None:
    """The lookup that leads from `model` to its organisation id, or None if shared."""
    field: str | None = getattr(model, "TENANT_FIELD", None)
    if field is None:
        return None
    return field if field == "id" or field.endswith("_id") else f"{field}_id"


def restrict(queryset: models.QuerySet[M], user: Any) -> models.QuerySet[M]:
    """The rows of `queryset` that `user` may see."""
    role = role_of(user)
    if role is None:
        return queryset.none()
    if not is_vendor_user(user):
        return queryset
    model = queryset.model
    if getattr(model, "CLIENT_ONLY", False):
        return queryset.none()
    lookup = tenant_field(model)
    if lookup is None:
        return queryset
    own = Q(**{lookup: organisation_id_of(user)})
    if getattr(model, "TENANT_NULL_IS_SHARED", False):
        own |= Q(**{f"{lookup}__isnull": True})
    queryset = queryset.filter(own)
    if role == Role.AGENT:
        queryset = _own_records_only(queryset, user)
    return queryset


def _own_records_only(queryset: models.QuerySet[M], user: Any) -> models.QuerySet[M]:
    """Agents see their own person record and records about themselves only."""
    if getattr(queryset.model, "AGENT_VISIBLE", True) is False:
        return queryset.none()
    person_id = getattr(getattr(user, "profile", None), "person_id", None)
    model = queryset.model
    if model._meta.label_lower == "org.person":
        return queryset.filter(pk=person_id)
    if any(f.name == "person" for f in model._meta.get_fields()):
        return queryset.filter(person_id=person_id)
    return queryset


def access(
    model_or_qs: type[M] | models.QuerySet[M],
    user: Any,
    pk: Any,
    *,
    write: str | None = None,
) -> M:
    """The row `pk` if `user` may see it (else 404); `write` names the capability to change it.

    The 404 comes first so a user cannot learn that another vendor's row exists.
    """
    queryset = (
        model_or_qs
        if isinstance(model_or_qs, models.QuerySet)
        else model_or_qs._default_manager.all()
    )
    try:
        obj = restrict(queryset, user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write is not None and not can(user, write):
        raise PermissionDenied
    return obj


def require(user: Any, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def own_organisation_id(user: Any) -> int | None:
    """The organisation a new row of a vendor user must belong to (None for client users)."""
    return organisation_id_of(user) if is_vendor_user(user) else None
