"""Generic JSON endpoints (list, get, create, update, delete) for simple scoped models.

No ``from __future__ import annotations`` here on purpose: django-ninja reads endpoint
annotations at run time, and these endpoints are built inside a function, so their
schema classes are local names that string annotations could not resolve.
"""

import inspect
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, ProtectedError
from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.orm import create_schema

from ccops.audit import services as audit
from ccops.common.actions import do_create, do_delete, do_update
from ccops.org.access import access, own_organisation_id, require, restrict
from ccops.org.models import Organisation


def validation_error(exc: ValidationError) -> HttpError:
    """A model validation failure as a 422 naming each field."""
    if hasattr(exc, "error_dict"):
        return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    return HttpError(422, " ".join(exc.messages))


def assign_organisation(request: HttpRequest, requested: int | None) -> int:
    """The organisation a new row belongs to: a vendor user's own, whatever was sent."""
    own = own_organisation_id(request.user)
    if own is not None:
        if requested not in (None, own):
            audit.security_event(
                "mass_assignment", f"organisation_id={requested} ignored", actor=request.user
            )
        return own
    if requested is None:
        raise HttpError(422, "organisation_id: required")
    return access(Organisation, request.user, requested).pk


def check_references(request: HttpRequest, model: type[Model], data: dict[str, Any]) -> None:
    """Every referenced row must be visible to the user (404 otherwise, as direct access)."""
    for field in model._meta.concrete_fields:
        value = data.get(field.attname)
        if field.is_relation and value is not None and field.attname != "organisation_id":
            access(field.related_model, request.user, value)


def _query_signature(filters: tuple[str, ...]) -> inspect.Signature:
    """A list endpoint's signature: its filters as optional query parameters."""
    request = inspect.Parameter(
        "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest
    )
    return inspect.Signature(
        [request]
        + [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=int | None if name.endswith("_id") else str | None,
            )
            for name in filters
        ]
    )


def register_crud(
    router: Router,
    *,
    model: type[Model],
    name: str,
    plural: str,
    path: str,
    fields: list[str],
    capability: str,
    filters: tuple[str, ...] = (),
) -> None:
    """List, get, create, update (PATCH) and delete endpoints for a simple model.

    Reads go through the tenancy scope; writes need `capability`, keep a vendor user's
    rows in its own vendor and are audited like the pages.
    """
    with translation.override("en"):
        out = create_schema(model, name=f"{model.__name__}Out", fields=["id", *fields])
        body = create_schema(model, name=f"{model.__name__}In", fields=fields)
        patch = create_schema(
            model, name=f"{model.__name__}Patch", fields=fields, optional_fields="__all__"
        )

    def list_rows(request, **query):  # type: ignore[no-untyped-def]
        picked = {k: v for k, v in query.items() if v is not None}
        return restrict(model._default_manager.all(), request.user).filter(**picked)

    list_rows.__signature__ = _query_signature(filters)  # type: ignore[attr-defined]

    def get_row(request: HttpRequest, pk: int) -> Any:
        return access(model, request.user, pk)

    def create_row(request: HttpRequest, payload: body) -> Any:  # type: ignore[valid-type]
        require(request.user, capability)
        data = payload.dict(by_alias=True)  # type: ignore[attr-defined]
        if "organisation_id" in data:
            data["organisation_id"] = assign_organisation(request, data["organisation_id"])
        check_references(request, model, data)
        try:
            obj = do_create(model(**data), acting_user=request.user)
        except ValidationError as exc:
            raise validation_error(exc) from exc
        return Status(201, obj)

    def update_row(request: HttpRequest, pk: int, payload: patch) -> Any:  # type: ignore[valid-type]
        obj = access(model, request.user, pk, write=capability)
        data = payload.dict(by_alias=True, exclude_unset=True)  # type: ignore[attr-defined]
        requested = data.pop("organisation_id", None)
        if requested is not None and requested != obj.organisation_id:
            audit.security_event(
                "mass_assignment", f"organisation_id={requested} ignored", actor=request.user
            )
        check_references(request, model, data)
        for key, value in data.items():
            setattr(obj, key, value)
        try:
            return do_update(obj, acting_user=request.user)
        except ValidationError as exc:
            raise validation_error(exc) from exc

    def delete_row(request: HttpRequest, pk: int) -> Any:
        obj = access(model, request.user, pk, write=capability)
        try:
            do_delete(obj, acting_user=request.user)
        except ProtectedError as exc:
            raise HttpError(409, "still in use") from exc
        return Status(204, None)

    words = name.replace("_", " ")
    operations = [
        (
            router.get,
            "",
            list[out],
            f"list_{plural}",
            list_rows,
            f"List {plural.replace('_', ' ')}",
        ),
        (router.get, "/{pk}", out, f"get_{name}", get_row, f"Get a {words}"),
        (router.post, "", {201: out}, f"create_{name}", create_row, f"Create a {words}"),
        (router.patch, "/{pk}", out, f"update_{name}", update_row, f"Change a {words}"),
        (router.delete, "/{pk}", {204: None}, f"delete_{name}", delete_row, f"Delete a {words}"),
    ]
    for method, suffix, response, operation, view, summary in operations:
        # by_alias: references go out as "<field>_id", the way they come in
        route = method(
            f"/{path}{suffix}",
            response=response,
            url_name=operation,
            operation_id=operation,
            summary=summary,
            by_alias=True,
        )
        route(view)
