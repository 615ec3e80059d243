"""Roster pages: published demand by week, generation with live progress and cancel,
the roster with its coverage heat map, rule check and review, and the published
schedule for agents (mine, printable) and team leads (the team's week)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.common.actions import Conflict
from ccops.common.feedback import tell_errors
from ccops.core.roster.problem import MINUTES_A_DAY
from ccops.org.access import access, require, restrict
from ccops.org.models import Person, Team
from ccops.org.roles import Role, can, role_of
from ccops.planning import charts, overtime, roster_edits, rostering, swaps
from ccops.planning.models import (
    OvertimeTake,
    PublishedDemand,
    Roster,
    RosterRun,
    RosterShift,
    ShiftSwap,
    StaffingPlan,
)

RULE_FIELDS = ("days_per_week", "max_consecutive", "rest_minutes", "under_weight", "over_weight")


def _demand(request: HttpRequest) -> QuerySet[PublishedDemand]:
    require(request.user, "view_rosters")
    rows = PublishedDemand.objects.select_related("organisation", "seat_type", "site")
    return restrict(rows, request.user)


def _rosters(request: HttpRequest) -> QuerySet[Roster]:
    require(request.user, "view_rosters")
    rows = Roster.objects.select_related("demand__seat_type", "demand__site", "organisation")
    return restrict(rows, request.user)


def _runs(request: HttpRequest) -> QuerySet[RosterRun]:
    require(request.user, "view_rosters")
    return restrict(RosterRun.objects.all(), request.user)


@login_required
def demand_list(request: HttpRequest) -> HttpResponse:
    demand = list(_demand(request).prefetch_related("rosters")[:200])
    rows = [
        {"demand": d, "latest": next(iter(d.rosters.all()), None), "published": _approved(d)}
        for d in demand
    ]
    return render(request, "planning/demand_list.html", {"rows": rows, "title": _("Rosters")})


def _approved(demand: PublishedDemand) -> Roster | None:
    return next((r for r in demand.rosters.all() if r.state == Roster.State.APPROVED), None)


@login_required
@require_POST
def demand_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "view_planning")
    plans = restrict(StaffingPlan.objects.select_related("forecast"), request.user)
    plan = access(plans, request.user, pk, write="plan")
    try:
        week = dt.date.fromisoformat(request.POST.get("week_start", ""))
        published = rostering.do_publish_demand(plan, week, acting_user=request.user)
    except ValueError:
        messages.error(request, _("Enter the week's Monday as a date."))
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        messages.success(
            request, _("Demand published to %(n)d organisations.") % {"n": len(published)}
        )
        return redirect("planning:demand_list")
    return redirect("planning:staffing_detail", pk=plan.pk)


@login_required
def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access(_demand(request), request.user, pk)
    runs = list(restrict(demand.runs.all(), request.user)[:10])
    context = {
        "demand": demand,
        "title": _("Roster week"),
        "figure": charts.demand_heatmap(demand),
        "runs": runs,
        "rosters": restrict(demand.rosters.all(), request.user),
        "covering": restrict(
            demand.covering_rosters.select_related("demand__seat_type"), request.user
        ),
        "siblings": rostering.siblings(demand),
        "rules": rostering.RosterRules(),
        "can_build": can(request.user, "build_roster"),
    }
    return render(request, "planning/demand_detail.html", context)


@login_required
@require_POST
def roster_generate(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access(_demand(request), request.user, pk, write="build_roster")
    try:
        values = {name: _whole(request, name) for name in RULE_FIELDS if request.POST.get(name)}
        limit = _whole(request, "time_limit") if request.POST.get("time_limit") else 60
        also = [
            access(_demand(request), request.user, pk) for pk in request.POST.getlist("also_covers")
        ]
        run = rostering.do_request_roster(
            demand, acting_user=request.user, time_limit=limit, also_covers=also, **values
        )
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        rostering.enqueue_roster(run)
        messages.success(request, _("Roster run queued."))
    return redirect("planning:demand_detail", pk=demand.pk)


@login_required
@require_POST
def roster_reoptimise(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version from this roster, changing as little as possible (after the demand
    was published again, or people came or left)."""
    roster = access(_rosters(request), request.user, pk, write="build_roster")
    try:
        limit = _whole(request, "time_limit") if request.POST.get("time_limit") else 60
        weight = _whole(request, "change_weight") if request.POST.get("change_weight") else None
        run = rostering.do_request_roster(
            roster.demand,
            acting_user=request.user,
            time_limit=limit,
            based_on=roster,
            **{**_rules_of(roster), "change_weight": weight},
        )
    except ValidationError as exc:
        tell_errors(request, exc)
        return redirect("planning:roster_detail", pk=roster.pk)
    rostering.enqueue_roster(run)
    messages.success(request, _("Roster run queued."))
    return redirect("planning:demand_detail", pk=roster.demand_id)


def _rules_of(roster: Roster) -> dict[str, Any]:
    """The rules the roster was made under (the change weight is the new run's)."""
    return {k: v for k, v in roster.options.items() if k != "change_weight"}


def _whole(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST[name])
    except ValueError as exc:
        raise ValidationError({name: _("Enter a whole number.")}) from exc


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = access(_runs(request), request.user, pk)
    finished = run.finished
    context = {"run": run, "finished": finished, "can_build": can(request.user, "build_roster")}
    if getattr(request, "htmx", False) and finished:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    template = "planning/_run_status.html" if getattr(request, "htmx", False) else None
    return render(request, template or "planning/run_detail.html", context)


@login_required
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = access(_runs(request), request.user, pk, write="build_roster")
    rostering.do_cancel_run(run, acting_user=request.user)
    messages.info(request, _("The run stops at its next check and keeps its best roster."))
    return redirect("planning:demand_detail", pk=run.demand_id)


@login_required
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roster = access(_rosters(request), request.user, pk)
    if request.GET.get("export") == "xlsx":
        return roster_edits.roster_workbook(roster)
    demands = rostering.demands_of(roster)
    seats = [_seat_coverage(roster, d) for d in demands]
    rows = seats[0]["rows"]
    try:
        problem_now = rostering.problem_of(roster)
        broken = rostering.roster_breaches(roster, problem_now)
        shift_types = problem_now.shifts
    except ValidationError as exc:  # templates or agents gone since: say so, show the rest
        broken, problem, shift_types = [], " ".join(exc.messages), ()
    else:
        problem = ""
    context = {
        "roster": roster,
        "title": _("Roster"),
        "grid": roster_grid(roster),
        "seats": seats,
        "figure": bool(seats),
        "under": sum(seat["under"] for seat in seats),
        "over": sum(seat["over"] for seat in seats),
        "breaches": broken,
        "problem": problem,
        "notes": roster.notes.select_related("by"),
        "can_build": can(request.user, "build_roster"),
        "can_review": can(request.user, "review_roster"),
        "editable": roster.state in roster_edits.EDITABLE,
        "changes": roster_edits.roster_diff(roster.based_on, roster) if roster.based_on else [],
        "templates": [(t.code, _shift_label(t)) for t in shift_types],
        "people": sorted(rostering.people_of(roster).values(), key=lambda p: p.employee_no),
        "offers": restrict(roster.demand.overtime.prefetch_related("takes__person"), request.user),
        "gap": overtime.largest_gap(roster, rows)
        if roster.state == Roster.State.APPROVED
        else None,
    }
    return render(request, "planning/roster_detail.html", context)


def _seat_coverage(roster: Roster, demand: PublishedDemand) -> dict[str, Any]:
    """One seat type's coverage of the roster: its heat map and agent-hours short and over."""
    rows = rostering.coverage(roster, demand)
    hours = demand.interval_minutes / 60
    return {
        "seat_type": demand.seat_type,
        "rows": rows,
        "figure": charts.coverage_heatmap(rows),
        "under": sum(r.under for r in rows) * hours,
        "over": sum(r.over for r in rows) * hours,
    }


def _shift_label(shift: Any) -> str:
    end = (shift.start or 0) + shift.minutes
    return f"{shift.code} {clock(shift.start or 0)}–{clock(end)}"


@login_required
@require_POST
def roster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's day changed by hand; the rules their week now breaks come back at once."""
    roster = access(_rosters(request), request.user, pk, write="build_roster")
    people = restrict(Person.objects.all(), request.user)
    try:
        person = access(people, request.user, request.POST.get("person"))
        day = dt.date.fromisoformat(request.POST.get("day", ""))
        broken = roster_edits.do_edit_shift(
            roster,
            acting_user=request.user,
            revision=int(request.POST.get("revision", "")),
            person=person,
            day=day,
            shift=request.POST.get("shift") or None,
        )
    except ValueError:
        messages.error(request, _("Reload the roster and try again."))
    except Conflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        for breach in broken:
            messages.warning(request, breach.words)
        if not broken:
            messages.success(request, _("Changed; every hard rule of that week still holds."))
    return redirect("planning:roster_detail", pk=roster.pk)


@login_required
@require_POST
def roster_revise(request: HttpRequest, pk: int) -> HttpResponse:
    roster = access(_rosters(request), request.user, pk, write="build_roster")
    copy = roster_edits.do_revise_roster(roster, acting_user=request.user)
    messages.success(request, _("Version %(n)d drafted from this one.") % {"n": copy.number})
    return redirect("planning:roster_detail", pk=copy.pk)


@login_required
@require_POST
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access(_demand(request), request.user, pk, write="build_roster")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to import."))
        return redirect("planning:demand_detail", pk=demand.pk)
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name or "").suffix) as stored:
        for chunk in upload.chunks():
            stored.write(chunk)
        stored.flush()
        try:
            roster = roster_edits.do_import_roster(
                demand, acting_user=request.user, path=Path(stored.name), filename=upload.name or ""
            )
        except ValidationError as exc:
            tell_errors(request, exc)
            return redirect("planning:demand_detail", pk=demand.pk)
    messages.success(request, _("Version %(n)d imported.") % {"n": roster.number})
    return redirect("planning:roster_detail", pk=roster.pk)


def clock(minute: int) -> str:
    """A minute of the day as hh:mm (past midnight it runs on: 25:00 is 01:00 next day)."""
    minute %= MINUTES_A_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def describe_shift(shift: RosterShift) -> dict[str, Any]:
    breaks = ", ".join(clock(t) for t in shift.breaks)
    lunch = clock(shift.lunch) if shift.lunch is not None else ""
    return {
        "code": shift.code,
        "hours": f"{clock(shift.start_minute)}–{clock(shift.start_minute + shift.minutes)}",
        "breaks": breaks,
        "lunch": lunch,
        "day": shift.day,
    }


def roster_grid(roster: Roster, people: Any = None) -> dict[str, Any]:
    """People by day: each cell the shift with its hours, breaks and lunch."""
    days = [roster.demand.week_start + dt.timedelta(days=d) for d in range(7)]
    shifts = roster.shifts.select_related("person").order_by("person__employee_no", "day")
    if people is not None:
        shifts = shifts.filter(person__in=people)
    by_person: dict[int, dict[str, Any]] = {}
    for shift in shifts:
        row = by_person.setdefault(shift.person_id, {"person": shift.person, "cells": {}})
        row["cells"][shift.day] = describe_shift(shift)
    rows = [
        {
            "person": row["person"],
            "cells": [row["cells"].get(day) for day in days],
            "slots": [(day, row["cells"].get(day)) for day in days],
        }
        for row in by_person.values()
    ]
    counts = [sum(1 for row in rows if row["cells"][i]) for i in range(7)]
    return {"days": days, "rows": rows, "counts": counts}


@login_required
@require_POST
def roster_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    steps = {
        "submit": ("build_roster", rostering.do_submit_roster),
        "approve": ("review_roster", rostering.do_approve_roster),
        "return": ("review_roster", rostering.do_return_roster),
    }
    if action not in steps:
        raise Http404
    capability, step = steps[action]
    roster = access(_rosters(request), request.user, pk, write=capability)
    try:
        revision = int(request.POST.get("revision", ""))
        step(
            roster,
            acting_user=request.user,
            revision=revision,
            comment=request.POST.get("comment", ""),
        )
    except ValueError:
        messages.error(request, _("Reload the roster and try again."))
    except Conflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        messages.success(request, roster.get_state_display())
    return redirect("planning:roster_detail", pk=roster.pk)


def _monday(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


@login_required
def my_schedule(request: HttpRequest) -> HttpResponse:
    """The agent's own published shifts from this week on (printable)."""
    person_id = getattr(getattr(request.user, "profile", None), "person_id", None)
    if person_id is None:
        raise PermissionDenied
    first = _monday(request)
    shifts = RosterShift.objects.filter(
        person_id=person_id, roster__state=Roster.State.APPROVED, day__gte=first
    ).order_by("day")[:42]
    me = swaps.person_of(request.user)
    colleagues = Person.objects.none()
    if me is not None:
        colleagues = Person.objects.filter(
            organisation_id=me.organisation_id, position=Person.Position.AGENT
        ).exclude(pk=me.pk)
        if me.team_id:
            colleagues = colleagues.filter(team_id=me.team_id)
    context = {
        "shifts": [describe_shift(s) for s in shifts],
        "title": _("My schedule"),
        "first": first,
        "me": me,
        "colleagues": colleagues,
        "swaps": swaps.swaps_of(me)[:20] if me else [],
        "offers": overtime.open_offers(me)[:20] if me else [],
        "leave": _leave_from(me, first),
    }
    return render(request, "planning/my_schedule.html", context)


def _leave_from(me: Person | None, first: dt.date) -> list[Any]:
    """The agent's leave asked or approved that ends from ``first`` on."""
    from ccops.attendance.models import LeaveRequest

    if me is None:
        return []
    return list(
        LeaveRequest.objects.filter(
            person=me, last_day__gte=first, state__in=("requested", "approved")
        ).order_by("first_day")[:20]
    )


@login_required
@require_POST
def swap_request(request: HttpRequest) -> HttpResponse:
    me = swaps.person_of(request.user)
    if me is None:
        raise PermissionDenied
    try:
        partner = Person.objects.filter(organisation_id=me.organisation_id).get(
            pk=int(request.POST.get("partner", ""))
        )
        day = dt.date.fromisoformat(request.POST.get("day", ""))
        other = request.POST.get("partner_day")
        swaps.do_request_swap(
            acting_user=request.user,
            partner=partner,
            day=day,
            partner_day=dt.date.fromisoformat(other) if other else None,
            reason=request.POST.get("reason", ""),
        )
    except (ValueError, Person.DoesNotExist):
        messages.error(request, _("Choose a colleague and a day."))
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        messages.success(request, _("Swap asked; your colleague is told."))
    return redirect("planning:my_schedule")


@login_required
@require_POST
def swap_accept(request: HttpRequest, pk: int) -> HttpResponse:
    me = swaps.person_of(request.user)
    swap = swaps.swaps_of(me).filter(pk=pk).first() if me else None
    if swap is None:
        raise Http404
    try:
        swaps.do_accept_swap(swap, acting_user=request.user)
    except ValidationError as exc:
        tell_errors(request, exc)
    return redirect("planning:my_schedule")


@login_required
@require_POST
def swap_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("approve", "refuse"):
        raise Http404
    require(request.user, "view_rosters")
    swap = access(
        restrict(ShiftSwap.objects.all(), request.user), request.user, pk, write="approve_swaps"
    )
    try:
        swaps.do_decide_swap(
            swap,
            acting_user=request.user,
            approve=action == "approve",
            answer=request.POST.get("answer", ""),
        )
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        messages.success(request, swap.get_state_display())
    return redirect("planning:team_schedule")


@login_required
def team_schedule(request: HttpRequest) -> HttpResponse:
    """A team's published week: the lead's own team, or one chosen by those who see more."""
    require(request.user, "view_rosters")
    teams = restrict(Team.objects.select_related("site"), request.user)
    if role_of(request.user) == Role.TEAM_LEAD:
        person_id = getattr(request.user.profile, "person_id", None)  # type: ignore[attr-defined]
        teams = teams.filter(lead_id=person_id)
    chosen = request.GET.get("team")
    team = teams.filter(pk=chosen).first() if chosen and chosen.isdigit() else teams.first()
    first = _monday(request)
    grids = []
    if team is not None:
        rosters = restrict(Roster.objects.select_related("demand"), request.user).filter(
            state=Roster.State.APPROVED, demand__week_start=first
        )
        grids = [roster_grid(r, people=team.members.all()) for r in rosters]
    pending = restrict(ShiftSwap.objects.select_related("requester", "partner"), request.user)
    context = {
        "pending": pending.filter(state=ShiftSwap.State.ACCEPTED)[:50],
        "can_decide": can(request.user, "approve_swaps"),
        "teams": teams,
        "team": team,
        "grids": [g for g in grids if g["rows"]],
        "first": first,
        "previous": first - dt.timedelta(days=7),
        "next": first + dt.timedelta(days=7),
        "title": _("Team schedule"),
    }
    return render(request, "planning/team_schedule.html", context)


@login_required
@require_POST
def overtime_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The client posts overtime for the week's demand (FLOOR-08)."""
    demand = access(_demand(request), request.user, pk, write="review_roster")
    try:
        start = dt.time.fromisoformat(request.POST.get("start", ""))
        overtime.do_offer_overtime(
            demand,
            acting_user=request.user,
            day=dt.date.fromisoformat(request.POST.get("day", "")),
            start_minute=start.hour * 60 + start.minute,
            minutes=_whole(request, "minutes"),
            seats=_whole(request, "seats"),
            note=request.POST.get("note", ""),
        )
    except ValueError:
        messages.error(request, _("Enter the day, the start time and whole numbers."))
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        messages.success(request, _("Overtime posted to the vendor's agents."))
    back = rostering.published_roster(demand)
    return (
        redirect("planning:roster_detail", pk=back.pk) if back else redirect("planning:demand_list")
    )


@login_required
@require_POST
def overtime_take(request: HttpRequest, pk: int) -> HttpResponse:
    me = swaps.person_of(request.user)
    offer = overtime.open_offers(me).filter(pk=pk).first() if me else None
    if offer is None:
        raise Http404
    try:
        overtime.do_take_overtime(offer, person=me, acting_user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        tell_errors(request, exc)
    else:
        messages.success(request, _("Overtime taken."))
    return redirect("planning:my_schedule")


@login_required
@require_POST
def overtime_audit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "view_rosters")
    takes = restrict(OvertimeTake.objects.select_related("offer__demand"), request.user)
    take = access(takes, request.user, pk, write="review_roster")
    overtime.do_audit_overtime(
        take, acting_user=request.user, attended=request.POST.get("attended") == "yes"
    )
    back = rostering.published_roster(take.offer.demand)
    return (
        redirect("planning:roster_detail", pk=back.pk) if back else redirect("planning:demand_list")
    )
