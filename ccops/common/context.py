"""Request-scoped facts the audit trail needs: who, from where, which request."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    """Where a change came from; the audit trail copies it onto every row."""

    request_id: str = ""
    ip: str | None = None
    user_id: int | None = None


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "ccops_request",
    default=RequestContext(),  # noqa: B039 (frozen, so sharing it is safe)
)


def current() -> RequestContext:
    return _current.get()


def bind(ctx: RequestContext) -> contextvars.Token[RequestContext]:
    return _current.set(ctx)


def unbind(token: contextvars.Token[RequestContext]) -> None:
    _current.reset(token)


def navigation(request: Any) -> dict[str, Any]:
    """Template context: the menu entries the signed-in user may open."""
    from ccops.org.roles import menu_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_for(user)}
