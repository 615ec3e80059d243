"""Leave pages: an agent's own requests and the form to ask (who approves and why, and
at once why a day is refused), the requests waiting for the approver, and the center's
blackout days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.attendance import floor
from ccops.attendance import leave as service
from ccops.attendance import summary as summaries
from ccops.attendance.models import (
    AttendanceSummary,
    AwayFromSeat,
    BlackoutDay,
    LeaveRequest,
    SummaryLine,
    TokenWait,
)
from ccops.common import export
from ccops.common.feedback import run_step, tell_errors
from ccops.org.access import access, own_organisation_id, require, restrict
from ccops.org.models import Organisation, Person, Team
from ccops.org.roles import Role, can, role_of
from ccops.planning.messages import said


def _revision(request: HttpRequest) -> int:
    return int(request.POST.get("revision", ""))


def _me(request: HttpRequest) -> Person | None:
    person_id = getattr(getattr(request.user, "profile", None), "person_id", None)
    return Person.objects.filter(pk=person_id).first() if person_id else None


@login_required
def leave_list(request: HttpRequest) -> HttpResponse:
    """My leave, the form to ask, and what waits for my decision."""
    require(request.user, "view_leave")
    visible = restrict(LeaveRequest.objects.select_related("person"), request.user)
    me = _me(request)
    rows = service.with_approver_why(visible[:200])
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
        tell_errors(request, exc)
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
    run_step(
        request,
        lambda: service.do_decide_leave(
            leave,
            acting_user=request.user,
            approve=action == "approve",
            revision=_revision(request),
            answer=request.POST.get("answer", ""),
        ),
        _("Decided."),
    )
    leave.refresh_from_db()
    held = service.shifts_on_leave(leave) if leave.state == LeaveRequest.State.APPROVED else []
    if held:
        days = ", ".join(f"{s.day:%m-%d}" for s in held)
        messages.warning(
            request,
            _(
                "%(who)s still has published shifts on %(days)s: re-optimise the roster "
                "or let a colleague swap in."
            )
            % {"who": leave.person.name, "days": days},
        )
    return redirect("attendance:leave_list")


@login_required
@require_POST
def leave_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    leave = access(LeaveRequest, request.user, pk)
    run_step(
        request, lambda: service.do_withdraw_leave(leave, acting_user=request.user), _("Withdrawn.")
    )
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
            tell_errors(request, exc)
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


# --- the monthly summary (ATT-12) ------------------------------------------------------


def _summaries(request: HttpRequest) -> Any:
    require(request.user, "view_attendance")
    return restrict(AttendanceSummary.objects.select_related("organisation"), request.user)


@login_required
def summary_list(request: HttpRequest) -> HttpResponse:
    """The months of attendance in scope; the vendor computes a month here."""
    if request.method == "POST":
        require(request.user, "prepare_attendance")
        try:
            month = dt.date.fromisoformat(request.POST.get("month", "") + "-01")
            org_id = request.POST.get("organisation") or own_organisation_id(request.user)
            org = access(Organisation, request.user, org_id)
            summary = summaries.do_compute_summary(org, month, acting_user=request.user)
        except ValueError:
            messages.error(request, _("Enter the month as YYYY-MM."))
        except ValidationError as exc:
            tell_errors(request, exc)
        else:
            return redirect("attendance:summary_detail", pk=summary.pk)
        return redirect("attendance:summary_list")
    context = {
        "title": _("Attendance"),
        "summaries": _summaries(request)[:200],
        "can_prepare": can(request.user, "prepare_attendance"),
        "organisations": restrict(Organisation.objects.all(), request.user)
        if not own_organisation_id(request.user)
        else [],
    }
    return render(request, "attendance/summary_list.html", context)


@login_required
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary = access(_summaries(request), request.user, pk)
    lines = list(summary.lines.select_related("person"))
    if request.GET.get("export") == "xlsx":
        return _summary_workbook(summary, lines)
    for line in lines:
        line.said = [  # type: ignore[attr-defined]
            f"{d['day']} · {d['rule']}: {said(d['template'], dict(d['facts']))}"
            for d in line.discrepancies
        ]
    context = {
        "title": _("Attendance"),
        "summary": summary,
        "lines": lines,
        "can_prepare": can(request.user, "prepare_attendance"),
        "can_audit": can(request.user, "audit_attendance"),
        "total": sum((line.fine_total for line in lines), Decimal("0.00")),
    }
    return render(request, "attendance/summary_detail.html", context)


def _summary_workbook(summary: AttendanceSummary, lines: list[SummaryLine]) -> HttpResponse:
    header = (
        "employee",
        "name",
        "shifts",
        "late",
        "early",
        "absent_days",
        "half_day_absences",
        "fine_total",
        "no_bonus",
        "dismissal",
        "dispute",
        "answer",
    )
    rows = [
        (
            line.person.employee_no,
            line.person.name,
            line.shifts,
            line.late_count,
            line.early_count,
            line.absent_days,
            line.half_day_absences,
            str(line.fine_total),
            line.no_bonus,
            line.dismissal,
            line.dispute,
            line.answer,
        )
        for line in lines
    ]
    fines = [
        (line.person.employee_no, f["rule"], f["amount"], f["reason"], "; ".join(f["events"]))
        for line in lines
        for f in line.fines
    ]
    name = f"attendance-{summary.organisation.code}-{summary.month:%Y%m}"
    return export.xlsx_book_response(
        name,
        [
            ("summary", header, rows),
            ("fines", ("employee", "rule", "amount", "reason", "events"), fines),
        ],
    )


@login_required
@require_POST
def summary_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    steps = {
        "submit": ("prepare_attendance", summaries.do_submit_summary),
        "sign": ("audit_attendance", summaries.do_sign_summary),
        "compute": ("prepare_attendance", None),
    }
    if action not in steps:
        raise PermissionDenied
    capability, step = steps[action]
    summary = access(_summaries(request), request.user, pk, write=capability)
    if step is None:
        run_step(
            request,
            lambda: summaries.do_compute_summary(
                summary.organisation, summary.month, acting_user=request.user
            ),
        )
    else:
        run_step(
            request, lambda: step(summary, acting_user=request.user, revision=_revision(request))
        )
    return redirect("attendance:summary_detail", pk=summary.pk)


@login_required
@require_POST
def line_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    rows = restrict(SummaryLine.objects.select_related("summary"), request.user)
    if action == "dispute":
        line = access(rows, request.user, pk, write="audit_attendance")
    elif action == "answer":
        line = access(rows, request.user, pk, write="prepare_attendance")
    else:
        raise PermissionDenied
    if action == "dispute":
        run_step(
            request,
            lambda: summaries.do_dispute_line(
                line,
                acting_user=request.user,
                revision=_revision(request),
                comment=request.POST.get("comment", ""),
            ),
        )
    else:
        run_step(
            request,
            lambda: summaries.do_answer_line(
                line, acting_user=request.user, answer=request.POST.get("answer", "")
            ),
        )
    return redirect("attendance:summary_detail", pk=line.summary_id)


# --- breaks on the floor (FLOOR-02, FLOOR-03) -----------------------------------------


@login_required
def floor_board(request: HttpRequest) -> HttpResponse:
    """Today on the floor for one team: attendance, who is away, tokens and the queue;
    refreshed every few seconds without reloading."""
    require(request.user, "view_floor")
    me = _me(request)
    teams = restrict(Team.objects.all(), request.user).order_by("code")
    chosen = request.GET.get("team") or (me.team_id if me and me.team_id else None)
    team = access(teams, request.user, chosen) if chosen else teams.first()
    board = floor.team_board(team) if team else None
    agent = role_of(request.user) == Role.AGENT
    if board is not None and agent:
        board = floor.for_agent(board, me)
    context = {
        "title": _("Floor"),
        "teams": [] if agent else teams,
        "team": team,
        "board": board,
        "me": me,
        "agent": agent,
        "kinds": AwayFromSeat.Kind.choices,
    }
    template = "attendance/_board.html" if request.GET.get("partial") else None
    return render(request, template or "attendance/floor.html", context)


@login_required
@require_POST
def floor_leave(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_floor")
    person = access(Person, request.user, request.POST.get("person"))
    try:
        result = floor.do_leave_seat(
            person, acting_user=request.user, kind=request.POST.get("kind", "")
        )
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        if isinstance(result, TokenWait):
            messages.info(request, _("No token free: in the queue for the next one."))
    return redirect(f"{reverse('attendance:floor_board')}?team={person.team_id}")


@login_required
@require_POST
def floor_back(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "view_floor")
    away = access(AwayFromSeat.objects.select_related("person"), request.user, pk)
    try:
        floor.do_back_at_seat(away, acting_user=request.user)
    except ValidationError as exc:
        tell_errors(request, exc)
    return redirect(f"{reverse('attendance:floor_board')}?team={away.team_id}")
