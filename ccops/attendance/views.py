"""Leave pages: an agent's own requests and the form to ask (who approves and why, and
at once why a day is refused), the requests waiting for the approver, and the center's
blackout days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.attendance import leave as service
from ccops.attendance.models import BlackoutDay, LeaveRequest
from ccops.common.actions import Conflict
from ccops.org.access import access, require, restrict
from ccops.org.models import Person
from ccops.org.roles import can


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _me(request: HttpRequest) -> Person | None:
    person_id = getattr(getattr(request.user, "profile", None), "person_id", None)
    return Person.objects.filter(pk=person_id).first() if person_id else None


@login_required
def leave_list(request: HttpRequest) -> HttpResponse:
    """My leave, the form to ask, and what waits for my decision."""
    require(request.user, "view_leave")
    visible = restrict(LeaveRequest.objects.select_related("person"), request.user)
    me = _me(request)
    rows = list(visible[:200])
    rules: dict[tuple[int | None, int], Any] = {}
    for row in rows:
        key = (row.person.site_id, row.person.organisation_id)
        if key not in rules:
            rules[key] = service.leave_rules(row.person)
        row.approver_why = service.why_this_approver(row, rules[key])  # type: ignore[attr-defined]
    context = {
        "title": _("Leave"),
        "me": me,
        "mine": [r for r in rows if me and r.person_id == me.pk],
        "waiting": service.waiting_for(request.user, visible),
        "recent": [r for r in rows if not me or r.person_id != me.pk],
        "kinds": LeaveRequest.Kind.choices,
        "people": restrict(Person.objects.filter(position=Person.Position.AGENT), request.user)
        if can(request.user, "decide_leave")
        else [],
    }
    return render(request, "attendance/leave_list.html", context)


@login_required
@require_POST
def leave_request(request: HttpRequest) -> HttpResponse:
    require(request.user, "request_leave")
    me = _me(request)
    try:
        chosen = request.POST.get("person")
        person = access(Person, request.user, chosen) if chosen else me
        if person is None:
            raise PermissionDenied
        leave = service.do_request_leave(
            person,
            acting_user=request.user,
            kind=request.POST.get("kind", ""),
            first_day=dt.date.fromisoformat(request.POST.get("first_day", "")),
            last_day=dt.date.fromisoformat(
                request.POST.get("last_day") or request.POST.get("first_day", "")
            ),
            reason=request.POST.get("reason", ""),
            certificate=bool(request.POST.get("certificate")),
            sudden=bool(request.POST.get("sudden")),
        )
    except ValueError:
        messages.error(request, _("Enter the days as YYYY-MM-DD."))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("Leave asked; it waits for approval. %(why)s")
            % {"why": service.why_this_approver(leave)},
        )
    return redirect("attendance:leave_list")


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    leave = access(LeaveRequest.objects.select_related("person"), request.user, pk)
    if action not in ("approve", "refuse"):
        raise PermissionDenied
    try:
        service.do_decide_leave(
            leave,
            acting_user=request.user,
            approve=action == "approve",
            revision=int(request.POST.get("revision", "")),
            answer=request.POST.get("answer", ""),
        )
    except ValueError:
        messages.error(request, _("Reload the page and try again."))
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decided."))
    return redirect("attendance:leave_list")


@login_required
@require_POST
def leave_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    leave = access(LeaveRequest, request.user, pk)
    try:
        service.do_withdraw_leave(leave, acting_user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Withdrawn."))
    return redirect("attendance:leave_list")


@login_required
def blackout_list(request: HttpRequest) -> HttpResponse:
    """The center's billing days and bill runs (public holidays come from the calendar)."""
    require(request.user, "view_leave")
    if request.method == "POST":
        require(request.user, "manage_calendar")
        try:
            service.do_add_blackout(
                acting_user=request.user,
                day=dt.date.fromisoformat(request.POST.get("day", "")),
                kind=request.POST.get("kind", ""),
                note=request.POST.get("note", ""),
            )
        except ValueError:
            messages.error(request, _("Enter the day as YYYY-MM-DD."))
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("attendance:blackout_list")
    context: dict[str, Any] = {
        "title": _("Blackout days"),
        "days": BlackoutDay.objects.select_related("site")[:400],
        "kinds": BlackoutDay.Kind.choices,
        "can_manage": can(request.user, "manage_calendar"),
    }
    return render(request, "attendance/blackout_list.html", context)


@login_required
@require_POST
def blackout_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = access(BlackoutDay, request.user, pk, write="manage_calendar")
    service.do_remove_blackout(day, acting_user=request.user)
    return redirect("attendance:blackout_list")
