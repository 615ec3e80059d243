"""Attendance in the demo: the center's billing days and bill runs (no leave on them,
ATT-05), and leave as the agents of the demo's team lead have asked for it: one
request waiting for the team lead, one approved by the project manager."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from ccops.attendance.leave import do_decide_leave, do_request_leave
from ccops.attendance.models import BlackoutDay, LeaveRequest
from ccops.org.models import Person


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    first, out = today.replace(day=1), []
    for _ in range(months):
        out.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return out


def create_blackout_days(today: dt.date, months: int = 3) -> None:
    """Billing days on the 1st and 2nd, bill runs mid-month and on the last day."""
    rows = []
    for first in month_starts(today, months):
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        rows += [
            BlackoutDay(day=first, kind="billing_day", note="月初账期"),
            BlackoutDay(day=first + dt.timedelta(days=1), kind="billing_day", note="月初账期"),
            BlackoutDay(day=first.replace(day=15), kind="bill_run_day", note="月中出账"),
            BlackoutDay(day=last, kind="bill_run_day", note="月末出账"),
        ]
    BlackoutDay.objects.bulk_create(rows, ignore_conflicts=True)


def ask_for_leave(today: dt.date) -> None:
    """Two of the team lead's agents ask for personal leave three and four weeks out
    (on working days clear of blackouts); the project manager approves the second."""
    users = get_user_model().objects.in_bulk(["va_lead", "va_pm"], field_name="username")
    lead, pm = users["va_lead"], users["va_pm"]
    team_id = getattr(getattr(lead.profile, "person", None), "team_id", None)
    agents = Person.objects.filter(
        team_id=team_id, position=Person.Position.AGENT, status=Person.Status.ACTIVE
    ).order_by("employee_no")[:2]
    blocked = set(BlackoutDay.objects.values_list("day", flat=True))
    for weeks, agent in zip((3, 4), agents, strict=False):
        day = today + dt.timedelta(weeks=weeks)
        while day.weekday() > 4 or day in blocked:
            day += dt.timedelta(days=1)
        leave = do_request_leave(
            agent,
            acting_user=lead,
            kind=LeaveRequest.Kind.PERSONAL,
            first_day=day,
            last_day=day,
            reason="家中有事",
            today=today,
        )
        if weeks == 4:
            do_decide_leave(leave, acting_user=pm, approve=True, revision=leave.revision)


def seed_attendance(today: dt.date) -> dict[str, int]:
    create_blackout_days(today)
    ask_for_leave(today)
    return {
        BlackoutDay._meta.label: BlackoutDay.objects.count(),
        LeaveRequest._meta.label: LeaveRequest.objects.count(),
    }
