"""Telling the user on the next page how a step went: why it was refused, that someone
else changed the record meanwhile, or that the page was stale."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ccops.common.actions import Conflict


def tell_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def run_step(request: HttpRequest, action: Callable[[], object], done: str = "") -> None:
    """Run one step of a workflow and say how it went: a stale page (a revision no
    longer there), a conflict with another writer, or why it is refused."""
    try:
        action()
    except ValueError:
        messages.error(request, _("Reload the page and try again."))
    except Conflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        if done:
            messages.success(request, done)
