"""Changing a roster by hand: one person's day at a time (breaks and lunch placed where
they cost the cover least), a new version from a submitted or published one, the
changes between two versions, and rosters to and from Excel. Every change names the
revision it was made on; a stale one is refused, nothing is lost."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils.translation import gettext as _

from ccops.audit import services as audit
from ccops.common import export
from ccops.common.actions import Conflict
from ccops.core.roster.placement import place_one
from ccops.core.roster.problem import MINUTES_A_DAY, RosterProblem, ShiftType
from ccops.core.tabular import TabularError, read_table
from ccops.org.access import require
from ccops.org.models import Person
from ccops.planning import rostering
from ccops.planning.models import PublishedDemand, Roster, RosterShift

EDITABLE = (Roster.State.DRAFT, Roster.State.RETURNED)


def _bump(roster: Roster, revision: int) -> None:
    """Take the next revision, or raise Conflict when someone changed it meanwhile."""
    moved = Roster.objects.filter(pk=roster.pk, revision=revision, state__in=EDITABLE).update(
        revision=F("revision") + 1, source="edited"
    )
    if not moved:
        roster.refresh_from_db()
        if roster.state not in EDITABLE:
            raise ValidationError(
                _("A roster that is submitted or published is changed in a new version.")
            )
        raise Conflict(_("Someone else changed this roster meanwhile; reload it."))
    roster.refresh_from_db()


def do_edit_shift(
    roster: Roster,
    *,
    acting_user: Any,
    revision: int,
    person: Person,
    day: dt.date,
    shift: str | None,
) -> list[Any]:
    """Put ``person`` on ``shift`` on ``day`` (None: off) and return the hard rules
    that person's week now breaks, for the planner to see at once."""
    require(acting_user, "build_roster")
    demand = roster.demand
    index = (day - demand.week_start).days
    if not 0 <= index < 7:
        raise ValidationError({"day": _("The day lies outside the roster's week.")})
    if person.employee_no not in rostering.people_of(roster):
        raise ValidationError({"person": _("This person is not rostered for this week.")})
    problem = rostering.problem_of(roster)
    chosen = _shift_type(problem, shift) if shift else None
    with transaction.atomic():
        _bump(roster, revision)
        before = RosterShift.objects.filter(roster=roster, person=person, day=day).first()
        RosterShift.objects.filter(roster=roster, person=person, day=day).delete()
        if chosen is not None:
            _place(roster, problem, person, day, chosen)
        audit.record(
            "planning.roster_edited",
            roster,
            actor=acting_user,
            before={"person": person.employee_no, "day": str(day), "shift": before and before.code},
            after={"shift": shift},
        )
    broken = rostering.roster_breaches(roster, problem)
    return [b for b in broken if b.employee == person.employee_no]


def _shift_type(problem: RosterProblem, code: str) -> ShiftType:
    found = next((s for s in problem.shifts if s.code == code), None)
    if found is None:
        raise ValidationError(
            {"shift": _("No shift template %(code)s serves this week.") % {"code": code}}
        )
    return found


def _place(
    roster: Roster, problem: RosterProblem, person: Person, day: dt.date, shift: ShiftType
) -> RosterShift:
    """The shift with breaks and lunch where they cost the cover least."""
    demand = roster.demand
    index = (day - demand.week_start).days
    on_duty, team_breaks = _others(roster, person, shift.skill)
    breaks, lunch = place_one(problem, shift, index, on_duty, team_breaks)
    rules = rostering.RosterRules.of(roster.options)
    return RosterShift.objects.create(
        roster=roster,
        person=person,
        day=day,
        code=shift.code,
        start_minute=shift.start or 0,
        minutes=shift.minutes,
        breaks=list(breaks),
        lunch=lunch,
        lunch_minutes=rules.lunch_minutes if lunch is not None else 0,
    )


def _others(roster: Roster, person: Person, skill: str) -> tuple[Counter[int], Counter[int]]:
    """Everyone else on the phones answering ``skill``, and the person's team on a
    break, per moment."""
    demand = roster.demand
    on_duty: Counter[int] = Counter()
    team_breaks: Counter[int] = Counter()
    for s in roster.shifts.exclude(person=person).select_related("person"):
        if rostering.seat_of(s.code) == skill:
            step = demand.interval_minutes
            on_duty.update(rostering.on_duty_moments(s, demand.week_start, step))
        if s.person.team_id and s.person.team_id == person.team_id:
            offset = (s.day - demand.week_start).days * MINUTES_A_DAY
            team_breaks.update(offset + t for t in s.breaks)
    return on_duty, team_breaks


def do_revise_roster(roster: Roster, *, acting_user: Any) -> Roster:
    """A new draft version with the same shifts, to change a submitted or published
    roster (which itself stays as it was until the new one is approved)."""
    require(acting_user, "build_roster")
    with transaction.atomic():
        copy = Roster.objects.create(
            demand=roster.demand,
            organisation_id=roster.organisation_id,
            number=rostering.next_number(roster.demand),
            based_on=roster,
            source="edited",
            objective=roster.objective,
            lower_bound=roster.lower_bound,
            options=roster.options,
            created_by=acting_user,
        )
        copy.also_covers.set(roster.also_covers.all())
        RosterShift.objects.bulk_create(
            RosterShift(
                roster=copy,
                person_id=s.person_id,
                day=s.day,
                code=s.code,
                start_minute=s.start_minute,
                minutes=s.minutes,
                breaks=s.breaks,
                lunch=s.lunch,
                lunch_minutes=s.lunch_minutes,
            )
            for s in roster.shifts.all()
        )
        audit.record("planning.roster_revised", copy, actor=acting_user, after={"from": roster.pk})
    return copy


def roster_diff(old: Roster, new: Roster) -> list[dict[str, Any]]:
    """Each person-day whose shift differs between two versions: before and after."""

    def days(roster: Roster) -> dict[tuple[int, dt.date], str]:
        return {(s.person_id, s.day): s.code for s in roster.shifts.all()}

    before, after = days(old), days(new)
    people = Person.objects.in_bulk({p for p, _ in before | after})
    return [
        {"person": people[p], "day": d, "before": before.get((p, d)), "after": after.get((p, d))}
        for p, d in sorted(set(before) | set(after), key=lambda k: (people[k[0]].employee_no, k[1]))
        if before.get((p, d)) != after.get((p, d))
    ]


# --- Excel -------------------------------------------------------------------------

HEADER = ("employee", "name", "day", "shift", "start", "end", "breaks", "lunch")
IMPORT_COLUMNS = {
    "employee": ["employee", "employee_no", "工号", "员工编号"],
    "day": ["day", "date", "日期"],
    "shift": ["shift", "班次"],
}


def roster_workbook(roster: Roster) -> HttpResponse:
    """The roster one row per person-day worked (the form import reads back), and its
    coverage per interval."""
    from ccops.planning.roster_views import clock

    shifts = roster.shifts.select_related("person").order_by("person__employee_no", "day")
    rows = [
        (
            s.person.employee_no,
            s.person.name,
            s.day.isoformat(),
            s.code,
            clock(s.start_minute),
            clock(s.start_minute + s.minutes),
            " ".join(clock(t) for t in s.breaks),
            clock(s.lunch) if s.lunch is not None else "",
        )
        for s in shifts
    ]
    cover = [
        (
            d.seat_type.code,
            r.start.strftime("%Y-%m-%d %H:%M"),
            r.required,
            r.on_duty,
            r.overtime,
            r.under,
            r.over,
        )
        for d in rostering.demands_of(roster)
        for r in rostering.coverage(roster, d)
    ]
    name = f"roster-{roster.demand.week_start:%Y%m%d}-v{roster.number}"
    return export.xlsx_book_response(
        name,
        [
            ("shifts", HEADER, rows),
            (
                "coverage",
                ("seat_type", "interval", "required", "on_duty", "overtime", "under", "over"),
                cover,
            ),
        ],
    )


def do_import_roster(
    demand: PublishedDemand, *, acting_user: Any, path: Path, filename: str
) -> Roster:
    """A new draft version from a file of employee, day and shift per day worked (days
    off left out); breaks and lunch placed like hand edits. Any bad row refuses the
    whole file, each named with its row, column and reason."""
    require(acting_user, "build_roster")
    try:
        table = read_table(
            path, columns=IMPORT_COLUMNS, required=("employee", "day", "shift"), filename=filename
        )
    except TabularError as exc:
        raise ValidationError(str(exc)) from exc
    rules = rostering.RosterRules()
    also = _seat_types_named(demand, [str(v or "") for v in table.frame["shift"].to_list()])
    problem = rostering.roster_problem(demand, rules, also)
    people = {p.employee_no: p for d in (demand, *also) for p in rostering.roster_people(d)}
    codes = {s.code: s for s in problem.shifts}
    wanted: dict[tuple[int, dt.date], tuple[Person, ShiftType]] = {}
    errors: list[str] = []
    for row in table.frame.iter_rows(named=True):
        number, found = row["__row__"], _row(row, people, codes, demand)
        if isinstance(found, str):
            errors.append(found % {"row": number})
            continue
        person, day, shift = found
        if (person.pk, day) in wanted:
            errors.append(
                _("Row %(row)d: %(who)s already has a shift on %(day)s.")
                % {"row": number, "who": person.employee_no, "day": day}
            )
        wanted[person.pk, day] = (person, shift)
    if errors:
        raise ValidationError(errors[:20])
    with transaction.atomic():
        roster = Roster.objects.create(
            demand=demand,
            organisation_id=demand.organisation_id,
            number=rostering.next_number(demand),
            source="imported",
            options=asdict(rules),
            created_by=acting_user,
        )
        roster.also_covers.set(also)
        for (_pk, day), (person, shift) in sorted(
            wanted.items(), key=lambda kv: (kv[0][1], kv[0][0])
        ):
            _place(roster, problem, person, day, shift)
        audit.record(
            "planning.roster_imported",
            roster,
            actor=acting_user,
            after={"file": filename, "shifts": len(wanted)},
        )
    return roster


def _seat_types_named(demand: PublishedDemand, codes: list[str]) -> list[PublishedDemand]:
    """The week's other seat types a file's shift codes name (``E0800@VIP``): with any,
    the file is a multi-skill roster of the demand's seat type and those."""
    named = {rostering.seat_of(code) for code in codes} - {""}
    if not named:
        return []
    return [d for d in rostering.siblings(demand) if d.seat_type.code in named]


def _row(
    row: dict[str, Any],
    people: dict[str, Person],
    codes: dict[str, ShiftType],
    demand: PublishedDemand,
) -> tuple[Person, dt.date, ShiftType] | str:
    """The row's person, day and shift, or the message of what is wrong with it."""
    employee, day, shift = (str(row[k] or "").strip() for k in ("employee", "day", "shift"))
    if employee not in people:
        return _("Row %%(row)d, column employee: %(value)s is not an agent of this week.") % {
            "value": employee
        }
    try:
        when = dt.date.fromisoformat(day[:10])
    except ValueError:
        return _("Row %%(row)d, column day: %(value)s is not a date (YYYY-MM-DD).") % {"value": day}
    if not 0 <= (when - demand.week_start).days < 7:
        return _("Row %%(row)d, column day: %(value)s lies outside the week.") % {"value": day}
    if shift not in codes:
        return _("Row %%(row)d, column shift: %(value)s is not a shift template of this week.") % {
            "value": shift
        }
    return people[employee], when, codes[shift]
