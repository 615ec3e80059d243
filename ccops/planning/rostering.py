"""The client-vendor roster workflow (PLAN-05): the client publishes each vendor's weekly
demand from a staffing plan; the vendor generates a named roster in the background
(live progress, cancel), edits it, submits it; the client approves or returns it.
A run that fails, times out or is cancelled leaves every roster as it was."""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.audit import services as audit
from ccops.common.actions import Conflict
from ccops.core.errors import InputError
from ccops.core.roster import tours
from ccops.core.roster.breaches import Breach, breaches
from ccops.core.roster.problem import (
    MINUTES_A_DAY,
    BreakRule,
    Contract,
    Employee,
    IntervalCover,
    Lock,
    LunchRule,
    RosterProblem,
    ShiftType,
)
from ccops.core.roster.solve import RosterResult, solve
from ccops.org.access import require
from ccops.org.models import Person
from ccops.planning import staffing
from ccops.planning.messages import breach_words, describe
from ccops.planning.models import (
    PublishedDemand,
    Roster,
    RosterNote,
    RosterRun,
    RosterShift,
    ShiftTemplate,
    StaffingPlan,
    Status,
)
from ccops.planning.scope import ON_THE_PHONES
from ccops.policy.services import rule_value

log = logging.getLogger(__name__)
REPORT_EVERY = 1.0  # seconds between progress writes and cancel checks
DEFAULT_CHANGE_WEIGHT = 5  # a person-day changed is worth more than one interval short (3)


@dataclass(frozen=True)
class RosterRules:
    """The rules a roster is generated and checked against; the center's defaults."""

    days_per_week: int = 5
    max_consecutive: int = 6
    rest_minutes: int = 11 * 60
    under_weight: int = 3
    over_weight: int = 1
    break_segment: int = 15
    lunch_minutes: int = 30
    lunch_over: int = 6 * 60
    lunch_earliest: int = 3 * 60
    lunch_latest: int = 5 * 60
    change_weight: int = 0  # per person-day changed, when re-optimising a roster

    @classmethod
    def of(cls, values: dict[str, Any]) -> RosterRules:
        """Rules from stored or submitted values: unknown names and bad numbers refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValidationError({unknown[0]: _("Unknown roster rule.")})
        for name, value in values.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValidationError({name: _("Enter a whole number of zero or more.")})
        rules = cls(**values)
        if not 1 <= rules.days_per_week <= 7:
            raise ValidationError({"days_per_week": _("Working days per week lie in 1..7.")})
        if rules.max_consecutive < 1:
            raise ValidationError({"max_consecutive": _("At least one day in a row.")})
        return rules


# --- demand ---------------------------------------------------------------------------


def do_publish_demand(
    plan: StaffingPlan, week_start: dt.date, *, acting_user: Any
) -> list[PublishedDemand]:
    """Each vendor's share of the agents required per interval of the week, published
    (again, replacing what was published for that week before)."""
    require(acting_user, "plan")
    if plan.status != Status.SUCCEEDED:
        raise ValidationError(_("Demand is published from a finished staffing plan."))
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A roster week starts on a Monday.")})
    forecast = plan.forecast
    step = forecast.interval_minutes
    required = _week_of(plan, week_start, step)
    shares = staffing.vendor_shares(forecast, staffing.client_organisation())
    parts = split_by_share(required, shares)
    published = []
    with transaction.atomic():
        for org_id, part in parts.items():
            demand, _created = PublishedDemand.objects.select_for_update().update_or_create(
                organisation_id=org_id,
                seat_type_id=forecast.seat_type_id,
                site_id=forecast.site_id,
                week_start=week_start,
                defaults={
                    "interval_minutes": step,
                    "required": part,
                    "staffing_plan": plan,
                    "published_by": acting_user,
                },
            )
            after = {"agent_hours": round(demand.agent_hours, 1), "plan": plan.pk}
            audit.record("planning.demand_published", demand, actor=acting_user, after=after)
            published.append(demand)
    return published


def _week_of(plan: StaffingPlan, week_start: dt.date, step: int) -> list[int]:
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(week_start, dt.time(), tzinfo=zone)
    per_day = MINUTES_A_DAY // step
    required = [0] * (7 * per_day)
    seen: set[int] = set()
    rows = plan.intervals.filter(start__gte=first, start__lt=first + dt.timedelta(days=7))
    for start, agents in rows.values_list("start", "required"):
        local = timezone.localtime(start, zone)
        day = (local.date() - week_start).days
        required[day * per_day + (local.hour * 60 + local.minute) // step] = agents
        seen.add(day)
    missing = [week_start + dt.timedelta(days=d) for d in range(7) if d not in seen]
    if missing:
        days = ", ".join(f"{d:%Y-%m-%d}" for d in missing)
        raise ValidationError(
            {"week_start": _("The staffing plan has no intervals on %(days)s.") % {"days": days}}
        )
    return required


def split_by_share(required: list[int], shares: dict[int, float]) -> dict[int, list[int]]:
    """Each organisation's whole agents per interval, adding up to the interval's total
    (largest remainders first, ties to the lower id)."""
    parts: dict[int, list[int]] = {org: [] for org in shares}
    for total in required:
        raw = {org: total * share for org, share in shares.items()}
        whole = {org: math.floor(value + 1e-9) for org, value in raw.items()}
        left = total - sum(whole.values())
        order = sorted(shares, key=lambda org: (-(raw[org] - whole[org]), org))
        for org in order[:left]:
            whole[org] += 1
        for org, count in whole.items():
            parts[org].append(count)
    return parts


# --- the problem ----------------------------------------------------------------------


SEAT_MARK = "@"  # a multi-skill roster's shift code: template code @ seat type code


def demands_of(roster: Roster | RosterRun) -> list[PublishedDemand]:
    """The demand a roster (or run) answers first, then the other seat types it also
    answers, by seat type code."""
    also = roster.also_covers.select_related("seat_type").order_by("seat_type__code")
    return [roster.demand, *also]


def seat_of(code: str) -> str:
    """The seat type code a multi-skill roster's shift code names ("" when none)."""
    return code.partition(SEAT_MARK)[2]


def roster_people(demand: PublishedDemand) -> QuerySet[Person]:
    """The vendor's agents on the phones who answer the demand's seat type (in a team on
    its queues, or holding it as a skill), at its site when it has one."""
    people = Person.objects.filter(
        organisation_id=demand.organisation_id,
        status__in=ON_THE_PHONES,
        position=Person.Position.AGENT,
    ).filter(Q(team__queue__seat_type_id=demand.seat_type_id) | Q(skills=demand.seat_type_id))
    if demand.site_id:
        people = people.filter(Q(site_id=demand.site_id) | Q(team__site_id=demand.site_id))
    return people.select_related("team").distinct().order_by("employee_no")


def shift_templates(demand: PublishedDemand) -> list[ShiftTemplate]:
    """The active shift templates that serve the demand's site and seat type."""
    found = ShiftTemplate.objects.filter(active=True).filter(
        Q(site__isnull=True) | Q(site_id=demand.site_id)
    )
    found = found.filter(Q(seat_types__isnull=True) | Q(seat_types=demand.seat_type_id))
    return list(found.distinct())


def roster_problem(
    demand: PublishedDemand, rules: RosterRules, also: Sequence[PublishedDemand] = ()
) -> RosterProblem:
    """The week as the optimiser takes it: the vendor's agents, the shift templates, the
    demand per interval, and the center's rules (FLOOR-01 breaks and FLOOR-02 tokens
    from the rule store). With ``also``, one problem for several seat types: each
    agent holds the seat types they answer as skills, each shift answers one of them."""
    demands = [demand, *also]
    multi = len(demands) > 1
    people: dict[str, Person] = {}
    skills: dict[str, set[str]] = {}
    for d in demands:
        for person in roster_people(d):
            people.setdefault(person.employee_no, person)
            skills.setdefault(person.employee_no, set()).add(d.seat_type.code if multi else "")
    shifts = [
        ShiftType(
            f"{t.code}{SEAT_MARK}{d.seat_type.code}" if multi else t.code,
            t.minutes,
            start=t.start_minute,
            night=t.night,
            skill=d.seat_type.code if multi else "",
        )
        for d in demands
        for t in shift_templates(d)
    ]
    if not people:
        raise ValidationError(_("The vendor has no agents on the phones for this seat type."))
    if not shifts:
        raise ValidationError(_("No shift template serves this site and seat type."))
    locks = []
    for row, code in shifts_elsewhere(demands, set(people)):
        if code not in {s.code for s in shifts}:
            shifts.append(ShiftType(code, row.minutes, start=row.start_minute, skill=seat_of(code)))
        day = (row.day - demand.week_start).days
        locks.append(Lock(row.person.employee_no, day, code, elsewhere=True))
    step = demand.interval_minutes
    breaks = rule_value("FLOOR-01", site_id=demand.site_id, vendor_id=demand.organisation_id)
    tokens = rule_value("FLOOR-02", site_id=demand.site_id, vendor_id=demand.organisation_id)
    per_day = MINUTES_A_DAY // step
    contract = Contract(days_per_week=rules.days_per_week, max_consecutive=rules.max_consecutive)
    leave = _approved_leave(demand.week_start, set(people))
    return RosterProblem(
        days=7,
        shifts=tuple(shifts),
        employees=tuple(
            Employee(
                p.employee_no,
                _less_leave(contract, len(leave.get(p.employee_no, ()))),
                days_off=frozenset(leave.get(p.employee_no, ())),
                team=p.team.code if p.team else "",
                shift_class=p.shift_class,
                skills=frozenset(skills[p.employee_no]),
            )
            for p in sorted(people.values(), key=lambda p: p.employee_no)
        ),
        interval_cover=tuple(
            IntervalCover(
                i // per_day,
                i % per_day * step,
                agents,
                rules.under_weight,
                rules.over_weight,
                skill=d.seat_type.code if multi else "",
            )
            for d in demands
            for i, agents in enumerate(d.required)
        ),
        first_weekday=demand.week_start.weekday(),
        interval_minutes=step,
        min_rest_minutes=rules.rest_minutes,
        locks=tuple(locks),
        breaks=BreakRule(
            minutes_per_hour=float(breaks["break_minutes_per_hour"]),
            segment=min(rules.break_segment, step),
            tokens=int(tokens["tokens_per_team"]),
        ),
        lunch=LunchRule(
            rules.lunch_minutes, rules.lunch_over, rules.lunch_earliest, rules.lunch_latest
        )
        if rules.lunch_minutes
        else None,
    )


def _approved_leave(week_start: dt.date, people: set[str]) -> dict[str, set[int]]:
    """Each person's days of approved leave in the week (days from its Monday)."""
    from ccops.attendance.leave import leave_days_off

    last = week_start + dt.timedelta(days=6)
    return {
        code: {(day - week_start).days for day in days}
        for code, days in leave_days_off(people, week_start, last).items()
    }


def _less_leave(contract: Contract, days_on_leave: int) -> Contract:
    """A week with leave asks that many fewer working days (leave counts as worked)."""
    if not days_on_leave or contract.days_per_week is None:
        return contract
    return replace(contract, days_per_week=max(contract.days_per_week - days_on_leave, 0))


def shifts_elsewhere(
    demands: Sequence[PublishedDemand], people: set[str]
) -> list[tuple[RosterShift, str]]:
    """The shifts ``people`` work that week in the vendor's published rosters of other
    seat types, each with its code as a shift answering that seat type (``D08@VIP``):
    a multi-skill agent is never on two rosters at once. Such a shift is a lock: no
    one else gets it, and it covers nothing of this roster's demand."""
    first, mine = demands[0], {d.pk for d in demands}
    published = (
        Roster.objects.filter(
            organisation_id=first.organisation_id,
            demand__week_start=first.week_start,
            state=Roster.State.APPROVED,
        )
        .exclude(demand_id__in=mine)
        .exclude(also_covers__in=mine)
        .select_related("demand__seat_type")
        .order_by("demand_id", "-number")
    )
    latest = {r.demand_id: r for r in reversed(list(published))}  # the newest per demand
    rows = RosterShift.objects.filter(
        roster__in=latest.values(), person__employee_no__in=people
    ).select_related("person", "roster__demand__seat_type")
    return [
        (
            row,
            row.code
            if seat_of(row.code)
            else f"{row.code}{SEAT_MARK}{row.roster.demand.seat_type.code}",
        )
        for row in rows
    ]


def problem_of(roster: Roster | RosterRun) -> RosterProblem:
    """The problem a roster (or run) was made for, with every seat type it answers; a
    run that re-optimises a roster stays close to it (each person-day changed costs
    the change weight)."""
    first, *also = demands_of(roster)
    rules = RosterRules.of(roster.options)
    problem = roster_problem(first, rules, also)
    base = roster.based_on if isinstance(roster, RosterRun) else None
    if base is None or not rules.change_weight:
        return problem
    return replace(problem, previous=_kept(problem, base), change_weight=rules.change_weight)


def _kept(problem: RosterProblem, roster: Roster) -> tuple[tuple[str, int, str], ...]:
    """The roster's (employee, day, shift) rows that the problem can still hold."""
    people = {e.code for e in problem.employees}
    codes = {s.code for s in problem.shifts}
    week = roster.demand.week_start
    rows = roster.shifts.values_list("person__employee_no", "day", "code")
    return tuple(
        (person, (day - week).days, code)
        for person, day, code in rows
        if person in people and code in codes
    )


def people_of(roster: Roster | RosterRun) -> dict[str, Person]:
    """The agents a roster may name, by employee number."""
    return {p.employee_no: p for d in demands_of(roster) for p in roster_people(d)}


# --- generation -----------------------------------------------------------------------


def do_request_roster(
    demand: PublishedDemand,
    *,
    acting_user: Any,
    time_limit: int = 60,
    also_covers: Sequence[PublishedDemand] = (),
    based_on: Roster | None = None,
    **rules: Any,
) -> RosterRun:
    """Queue a roster run for the demand with these rules (the rest at their defaults);
    ``also_covers``: other seat types of the week the same agents answer in one run;
    ``based_on``: a roster of the demand to change as little as possible (the seat
    types it answers, unless given, and a change weight of at least 1)."""
    require(acting_user, "build_roster")
    given = {k: v for k, v in rules.items() if v is not None}
    if based_on is not None:
        if based_on.demand_id != demand.pk:
            raise ValidationError({"based_on": _("That roster answers another week's demand.")})
        given.setdefault("change_weight", DEFAULT_CHANGE_WEIGHT)
        if not given["change_weight"]:
            raise ValidationError({"change_weight": _("Changing a roster costs at least 1.")})
        also_covers = also_covers or list(based_on.also_covers.all())
    checked = RosterRules.of(given)
    also = list(also_covers)
    for other in also:
        _check_sibling(demand, other)
    run = RosterRun(
        demand=demand,
        based_on=based_on,
        organisation_id=demand.organisation_id,
        options=asdict(checked),
        time_limit=time_limit,
        created_by=acting_user,
    )
    run.full_clean(exclude=["demand", "organisation", "created_by", "based_on"])
    with transaction.atomic():
        run.save()
        run.also_covers.set(also)
        after = {**run.options, "also_covers": [d.pk for d in also], "based_on": run.based_on_id}
        audit.record("planning.roster_requested", run, actor=acting_user, after=after)
    return run


def siblings(demand: PublishedDemand) -> QuerySet[PublishedDemand]:
    """The vendor's demand for the other seat types of the same week and site."""
    return (
        PublishedDemand.objects.filter(
            organisation_id=demand.organisation_id,
            site_id=demand.site_id,
            week_start=demand.week_start,
            interval_minutes=demand.interval_minutes,
        )
        .exclude(pk=demand.pk)
        .exclude(seat_type_id=demand.seat_type_id)
        .select_related("seat_type")
        .order_by("seat_type__code")
    )


def _check_sibling(demand: PublishedDemand, other: PublishedDemand) -> None:
    if not siblings(demand).filter(pk=other.pk).exists():
        raise ValidationError(
            {
                "also_covers": _(
                    "%(demand)s is not another seat type of this vendor's week and site."
                )
                % {"demand": other}
            }
        )


def enqueue_roster(run: RosterRun) -> None:
    from ccops.planning.tasks import run_roster_task

    transaction.on_commit(lambda: run_roster_task.enqueue(run.pk))


def do_cancel_run(run: RosterRun, *, acting_user: Any) -> RosterRun:
    """Ask a queued or running run to stop; it keeps the best roster found so far."""
    require(acting_user, "build_roster")
    RosterRun.objects.filter(pk=run.pk, state__in=["queued", "running"]).update(
        cancel_requested=True
    )
    RosterRun.objects.filter(pk=run.pk, state="queued").update(
        state=RosterRun.State.CANCELLED, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def run_roster(run_id: int, *, live: bool = True) -> RosterRun:
    """Generate the run's roster and store it as a new draft version, or record why
    not; nothing else changes. ``live`` writes progress and reads the cancel flag from a
    thread of its own while the solver runs (off inside a caller's transaction)."""
    claimed = RosterRun.objects.filter(pk=run_id, state="queued").update(
        state=RosterRun.State.RUNNING, progress=0
    )
    if not claimed:
        return RosterRun.objects.get(pk=run_id)
    run = RosterRun.objects.select_related("demand").get(pk=run_id)
    try:
        _generate(run, live=live)
    except (InputError, ValidationError) as exc:
        _finish(run_id, "failed", error=_message(exc))
    except Exception as exc:  # the worker must record every failure
        log.exception("roster run %s failed", run_id)
        _finish(run_id, "failed", error=f"{type(exc).__name__}: {exc}")
    return RosterRun.objects.get(pk=run_id)


def _message(exc: Exception) -> str:
    if isinstance(exc, InputError):
        return describe(exc)
    return " ".join(exc.messages)  # type: ignore[attr-defined]


def _finish(run_id: int, state: str, **values: Any) -> None:
    RosterRun.objects.filter(pk=run_id).update(state=state, finished_at=timezone.now(), **values)


def _generate(run: RosterRun, *, live: bool) -> None:
    rules = RosterRules.of(run.options)
    problem = problem_of(run)
    engine = choose_engine(problem)
    RosterRun.objects.filter(pk=run.pk).update(engine=engine)
    heart = _Heartbeat(run)
    if live:
        heart.start()
    try:
        result = _solve(problem, engine, run.time_limit, heart)
    finally:
        if live:
            heart.done.set()
            heart.join()
    cancelled = RosterRun.objects.filter(pk=run.pk, cancel_requested=True).exists()
    if result.status == "INFEASIBLE":
        conflicts = [{"employee": c.employee, "rules": list(c.rules)} for c in result.conflicts]
        error = _("The rules cannot all hold for these agents.")
        if not conflicts and problem.breaks and problem.breaks.tokens is not None:
            error = _(
                "The break tokens (FLOOR-02) leave too little room for every agent's "
                "breaks: raise the tokens per team or make the teams smaller."
            )
        _finish(run.pk, "failed", error=error, conflicts=conflicts)
    elif not result.assignment:
        state = "cancelled" if cancelled else "failed"
        _finish(run.pk, state, error=_("No roster was found within the time limit."))
    else:
        roster = save_generated(run, problem, rules, result)
        _finish(
            run.pk,
            "cancelled" if cancelled else "succeeded",
            roster=roster,
            progress=100,
            best=result.objective,
            bound=result.lower_bound,
        )


def _solve(problem: RosterProblem, engine: str, limit: float, heart: _Heartbeat) -> RosterResult:
    if engine == "tours":
        return tours.solve_tours(problem, time_limit=limit, progress=heart.report, stop=heart.stop)
    return solve(problem, time_limit=limit, progress=heart.report, stop=heart.stop)


def choose_engine(problem: RosterProblem) -> str:
    """The tour engine when it models every rule of the week: it proves its gap and
    scales; the per-employee engine otherwise."""
    return "tours" if not tours.unsuited(problem) else "agents"


class _Heartbeat(threading.Thread):
    """A run's live progress written, and its cancel flag read, once a second on this
    thread's own connection: the solver reports from its own threads, which never touch
    the database."""

    def __init__(self, run: RosterRun) -> None:
        super().__init__(name=f"roster-run-{run.pk}", daemon=True)
        self.run_id, self.time_limit = run.pk, max(run.time_limit, 1)
        self.latest: tuple[float, float, float] | None = None
        self.cancelled = False
        self.done = threading.Event()

    def report(self, seconds: float, objective: float, bound: float) -> None:
        self.latest = (seconds, objective, bound)

    def stop(self) -> bool:
        return self.cancelled

    def run(self) -> None:
        try:
            while not self.done.wait(REPORT_EVERY):
                self.beat()
        finally:
            connection.close()

    def beat(self) -> None:
        try:
            runs = RosterRun.objects.filter(pk=self.run_id)
            self.cancelled = runs.filter(cancel_requested=True).exists()
            if self.latest is not None:
                seconds, objective, bound = self.latest
                best = objective if math.isfinite(objective) else None
                percent = min(99, int(100 * seconds / self.time_limit))
                runs.update(progress=percent, best=best, bound=bound)
        except DatabaseError:  # a busy database skips a beat, never the run
            log.warning("roster run %s: progress not written", self.run_id, exc_info=True)


def save_generated(
    run: RosterRun, problem: RosterProblem, rules: RosterRules, result: RosterResult
) -> Roster:
    """The result as the demand's next draft version, all rows or none."""
    demand = run.demand
    people = {code: p.pk for code, p in people_of(run).items()}
    starts = {s.code: (s.start or 0, s.minutes) for s in problem.shifts}
    elsewhere = {(k.employee, k.day) for k in problem.locks if k.elsewhere}
    mine = {key: shift for key, shift in result.assignment.items() if key not in elsewhere}
    with transaction.atomic():
        roster = Roster.objects.create(
            demand=demand,
            organisation_id=demand.organisation_id,
            number=next_number(demand),
            based_on=run.based_on,
            source="reoptimised" if run.based_on_id else "generated",
            objective=result.objective,
            lower_bound=result.lower_bound,
            penalties=[
                {"rule": p.rule, "employee": p.employee, "day": p.day, "cost": p.cost}
                for p in result.penalties
            ],
            options=asdict(rules),
            created_by=run.created_by,
        )
        roster.also_covers.set(run.also_covers.all())
        RosterShift.objects.bulk_create(
            [
                RosterShift(
                    roster=roster,
                    person_id=people[code],
                    day=demand.week_start + dt.timedelta(days=day),
                    code=shift,
                    start_minute=starts[shift][0],
                    minutes=starts[shift][1],
                    breaks=list(result.breaks.get((code, day), ())),
                    lunch=result.lunches.get((code, day)),
                    lunch_minutes=rules.lunch_minutes if (code, day) in result.lunches else 0,
                )
                for (code, day), shift in sorted(mine.items())
            ],
            batch_size=2000,
        )
        audit.record(
            "planning.roster_generated",
            roster,
            actor=run.created_by,
            after={"run": run.pk, "cost": result.objective, "bound": result.lower_bound},
        )
    return roster


def next_number(demand: PublishedDemand) -> int:
    top = Roster.objects.filter(demand=demand).aggregate(n=Max("number"))["n"]
    return (top or 0) + 1


# --- reading a roster -----------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    """One interval of the week: agents wanted, on the phones by the roster and on
    overtime taken (FLOOR-08), short and over."""

    start: dt.datetime
    required: int
    on_duty: int
    overtime: int = 0

    @property
    def under(self) -> int:
        return max(self.required - self.on_duty - self.overtime, 0)

    @property
    def over(self) -> int:
        return max(self.on_duty + self.overtime - self.required, 0)


def on_duty_moments(shift: RosterShift, week_start: dt.date, step: int) -> list[int]:
    """The interval starts (minutes from the week's first midnight) at which the shift's
    holder is on the phones: on shift and neither on a break nor at lunch."""
    offset = (shift.day - week_start).days * MINUTES_A_DAY
    away = {offset + t for t in shift.breaks}
    if shift.lunch is not None:
        away |= {offset + shift.lunch + k for k in range(0, shift.lunch_minutes, step)}
    first = offset + shift.start_minute
    moments = range(-(-first // step) * step, first + shift.minutes, step)
    return [moment for moment in moments if moment not in away]


def coverage(roster: Roster, demand: PublishedDemand | None = None) -> list[CoverageRow]:
    """Agents on the phones against demand in every interval of the week, for one of
    the seat types the roster answers (its first by default)."""
    demand = demand or roster.demand
    step = demand.interval_minutes
    slots = len(demand.required)
    on = [0] * slots
    shifts = roster.shifts.all()
    if roster.also_covers.exists():
        shifts = shifts.filter(code__endswith=f"{SEAT_MARK}{demand.seat_type.code}")
    for shift in shifts:
        for moment in on_duty_moments(shift, demand.week_start, step):
            if moment // step < slots:
                on[moment // step] += 1
    extra = overtime_on_duty(demand, slots)
    zone = timezone.get_current_timezone()
    base = dt.datetime.combine(demand.week_start, dt.time(), tzinfo=zone)
    return [
        CoverageRow(base + dt.timedelta(minutes=i * step), demand.required[i], on[i], extra[i])
        for i in range(slots)
    ]


def overtime_on_duty(demand: PublishedDemand, slots: int) -> list[int]:
    """Agents on overtime taken for the demand in each interval (takes audited as not
    come left out)."""
    step = demand.interval_minutes
    extra = [0] * slots
    offers = demand.overtime.annotate(came=Count("takes", filter=~Q(takes__attended=False))).filter(
        came__gt=0
    )
    for offer in offers:
        first = (offer.day - demand.week_start).days * MINUTES_A_DAY + offer.start_minute
        for moment in range(first, first + offer.minutes, step):
            if 0 <= moment // step < slots:
                extra[moment // step] += offer.came
    return extra


@dataclass(frozen=True)
class RosterBreach:
    """A hard rule the roster breaks, in the reader's language."""

    rule: str
    employee: str
    day: int | None  # from the week's Monday; None: the whole week
    words: str


def roster_breaches(roster: Roster, problem: RosterProblem | None = None) -> list[RosterBreach]:
    """The hard rules the roster breaks, by person and day (``problem``: the roster's
    problem, when the caller has it already)."""
    week = roster.demand.week_start
    return [
        RosterBreach(b.rule, b.employee, b.day, breach_words(b, week))
        for b in roster_rule_check(roster, problem)
    ]


def roster_rule_check(roster: Roster, problem: RosterProblem | None = None) -> list[Breach]:
    """The independent rule check of the roster as it is stored."""
    demand = roster.demand
    problem = problem or problem_of(roster)
    assignment, breaks, lunches = {}, {}, {}
    people = {e.code for e in problem.employees}
    own = [(s, s.code) for s in roster.shifts.select_related("person")]
    for shift, code in [*shifts_elsewhere(demands_of(roster), people), *own]:
        key = (shift.person.employee_no, (shift.day - demand.week_start).days)
        assignment[key] = code  # its own shift last: a day on two rosters breaks its lock
        breaks[key] = tuple(shift.breaks)
        if shift.lunch is not None:
            lunches[key] = shift.lunch
    return breaches(problem, assignment, breaks, lunches)


# --- review ---------------------------------------------------------------------------


def _move(roster: Roster, revision: int, allowed: tuple[str, ...], state: str, action: str) -> None:
    moved = Roster.objects.filter(pk=roster.pk, revision=revision, state__in=allowed).update(
        state=state, revision=F("revision") + 1
    )
    if not moved:
        roster.refresh_from_db()
        if roster.revision != revision:
            raise Conflict(_("Someone else changed this roster meanwhile; reload it."))
        raise ValidationError(
            _("This roster is %(state)s: it cannot be %(action)s.")
            % {"state": roster.get_state_display(), "action": action}
        )
    roster.refresh_from_db()


def do_submit_roster(
    roster: Roster, *, acting_user: Any, revision: int, comment: str = ""
) -> Roster:
    """Send a draft (or a returned roster after changes) to the client for review."""
    require(acting_user, "build_roster")
    broken = roster_breaches(roster)
    if broken:
        listed = "; ".join(b.words for b in broken[:5])
        raise ValidationError(
            _("The roster breaks %(n)d hard rules: %(first)s") % {"n": len(broken), "first": listed}
        )
    with transaction.atomic():
        _move(roster, revision, ("draft", "returned"), "submitted", _("submitted"))
        _note(roster, RosterNote.Action.SUBMITTED, comment, acting_user)
    return roster


def do_approve_roster(
    roster: Roster, *, acting_user: Any, revision: int, comment: str = ""
) -> Roster:
    """Approve a submitted roster: it becomes the week's published roster for agents and
    team leads (any earlier approved version of the week steps back to returned)."""
    require(acting_user, "review_roster")
    with transaction.atomic():
        _move(roster, revision, ("submitted",), "approved", _("approved"))
        earlier = Roster.objects.filter(demand=roster.demand, state="approved").exclude(
            pk=roster.pk
        )
        earlier.update(state=Roster.State.RETURNED, revision=F("revision") + 1)
        _note(roster, RosterNote.Action.APPROVED, comment, acting_user)
    return roster


def do_return_roster(roster: Roster, *, acting_user: Any, revision: int, comment: str) -> Roster:
    """Send a submitted roster back to the vendor with the reasons."""
    require(acting_user, "review_roster")
    if not comment.strip():
        raise ValidationError({"comment": _("Say what has to change.")})
    with transaction.atomic():
        _move(roster, revision, ("submitted",), "returned", _("returned"))
        _note(roster, RosterNote.Action.RETURNED, comment, acting_user)
    return roster


def _note(roster: Roster, action: str, comment: str, user: Any) -> None:
    RosterNote.objects.create(roster=roster, action=action, comment=comment.strip(), by=user)
    audit.record(f"planning.roster_{action}", roster, actor=user, after={"comment": comment})


def published_roster(demand: PublishedDemand) -> Roster | None:
    return Roster.objects.filter(demand=demand, state="approved").first()
