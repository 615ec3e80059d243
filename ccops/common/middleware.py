"""Middleware: request ids for the audit trail, and the security headers we promise."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from ccops.common import context

Handler = Callable[[HttpRequest], HttpResponse]


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and binds it for auditing."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = context.bind(context.RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.unbind(token)
        response["X-Request-ID"] = request_id
        return response


class ActorMiddleware:
    """Adds the authenticated user to the bound request context."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = context.current()
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        token = context.bind(context.RequestContext(ctx.request_id, ctx.ip, user_id))
        try:
            return self.get_response(request)
        finally:
            context.unbind(token)


class NullCharacterMiddleware:
    """Query strings with NUL characters are refused (400): no database stores them."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in v for values in request.GET.lists() for v in values[1]):
            return HttpResponseBadRequest("NUL characters are not allowed in the query string.")
        return self.get_response(request)


class ForbiddenAuditMiddleware:
    """Every refused attempt (403) is written to the audit trail and the security log."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403 and user is not None and user.is_authenticated:
            from ccops.audit.services import security_event

            security_event("forbidden", f"{request.method} {request.path}"[:500], actor=user)
        return response


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (nothing from elsewhere) and no caching of personal data."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "no-store")
        return response
