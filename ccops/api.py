"""The JSON API (OpenAPI at /api/docs); each app adds its router. Session authentication."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from ccops.attendance.api import router as attendance_router
from ccops.audit.api import router as audit_router
from ccops.common.actions import Conflict
from ccops.core.errors import InputError
from ccops.intake.api import router as intake_router
from ccops.org.api import router as org_router
from ccops.org.services import user_for_token
from ccops.planning.api import router as planning_router
from ccops.policy.api import router as policy_router


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ccops_…` with a personal API token; acts as its user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user  # the same scoping, capabilities and audit as a session
        return user


api = NinjaAPI(
    title="ccops",
    version="1",
    description="Session cookie (the web app's login) or a personal API token as bearer.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/org", org_router)
api.add_router("/intake", intake_router)
api.add_router("/planning", planning_router)
api.add_router("/attendance", attendance_router)
api.add_router("/policy", policy_router)
api.add_router("/audit", audit_router)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "forbidden"}, status=403)


@api.exception_handler(Conflict)
def changed_meanwhile(request: HttpRequest, exc: Conflict) -> HttpResponse:
    """Someone changed the record since the caller read it: reload and try again."""
    detail = str(exc) or _("Someone else changed this meanwhile; reload it and try again.")
    return api.create_response(request, {"detail": detail}, status=409)


@api.exception_handler(DataError)
def unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
    """Values the database cannot hold (NUL characters, out-of-range numbers) are the
    client's error, not ours."""
    return api.create_response(request, {"detail": "a value cannot be stored"}, status=422)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """The messages, and where the error belongs to fields, which: `fields` maps each to
    its messages and `field` names it when it is the only one."""
    body: dict[str, Any] = {"detail": exc.messages}
    if hasattr(exc, "error_dict"):
        body["fields"] = exc.message_dict
        if len(exc.message_dict) == 1:
            body["field"] = next(iter(exc.message_dict))
    return api.create_response(request, body, status=422)


@api.exception_handler(InputError)
def bad_input(request: HttpRequest, exc: InputError) -> HttpResponse:
    """A planning input out of its domain: the field, the value and why, translated."""
    from ccops.planning.messages import describe

    body = {"detail": describe(exc), "field": exc.field, "code": exc.code, "row": exc.row}
    return api.create_response(request, body, status=422)
