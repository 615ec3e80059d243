"""The CP-SAT model of a `RosterProblem`, built by one function per family of rules.

Each ``add_<rule>`` adds its constraints to a `RosterModel` and returns the penalty
terms it introduces (empty for hard rules). A penalty is named with the rule, the
employee, the day and the shift it concerns, so that a solved roster can say why it
looks as it does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ccops.core.roster.problem import (
    MINUTES_A_DAY,
    Employee,
    RosterProblem,
    rest_too_short,
    shift_fits_class,
)

LinearExpr = cp_model.LinearExprT
NOTHING = cp_model.LinearExpr.constant(0)


@dataclass(frozen=True)
class Penalty:
    """A soft rule's cost: ``weight`` times ``term`` (a 0/1 or count variable)."""

    rule: str
    weight: int
    term: LinearExpr
    employee: str | None = None
    day: int | None = None
    shift: str | None = None
    words: str = ""


@dataclass
class RosterModel:
    """The CP-SAT model with its decision variables.

    ``x[e, d, s]`` is 1 when employee index ``e`` works shift index ``s`` on day ``d``
    (absent where it can never be 1); ``work[e, d]`` is 1 when they work at all.
    """

    problem: RosterProblem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    work: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    penalties: list[Penalty] = field(default_factory=list)
    breaks: dict[tuple[int, int, int, int], cp_model.IntVar] = field(default_factory=dict)
    lunches: dict[tuple[int, int, int, int], cp_model.IntVar] = field(default_factory=dict)
    away_at: dict[tuple[str, int], list[cp_model.IntVar]] = field(default_factory=dict)
    weekend_flags: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    _by_employee: dict[int, list[tuple[int, int, cp_model.IntVar]]] = field(default_factory=dict)
    explain: bool = False
    guards: dict[cp_model.IntVar, tuple[str, str]] = field(default_factory=dict)
    _guard_of: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)

    def hard(self, constraint: cp_model.Constraint, rule: str, employee: int) -> None:
        """Mark a hard constraint with its rule and employee; when explaining why no
        roster exists, it only holds if that (rule, employee) guard is assumed."""
        if not self.explain:
            return
        code = self.problem.employees[employee].code
        key = (rule, code)
        if key not in self._guard_of:
            guard = self.model.new_bool_var(f"guard[{rule},{code}]")
            self._guard_of[key] = guard
            self.guards[guard] = key
        constraint.only_enforce_if(self._guard_of[key])

    def shifts_of(self, e: int, d: int) -> list[tuple[int, cp_model.IntVar]]:
        return [
            (s, self.x[e, d, s]) for s in range(len(self.problem.shifts)) if (e, d, s) in self.x
        ]

    def shifts_worked(self, e: int) -> list[tuple[int, int, cp_model.IntVar]]:
        """(day, shift index, variable) of every shift employee ``e`` could work."""
        if not self._by_employee:
            for (i, d, s), var in self.x.items():
                self._by_employee.setdefault(i, []).append((d, s, var))
        return self._by_employee.get(e, [])

    def worked(self, e: int, d: int) -> cp_model.LinearExpr:
        """1 when employee ``e`` works on day ``d``; 0 when they cannot."""
        return self.work.get((e, d), NOTHING)


Builder = Callable[[RosterModel], list[Penalty]]


def _allowed(employee: Employee, day: int, shift: str) -> bool:
    if day in employee.days_off:
        return False
    return employee.contract.max_shifts.get(shift, 1) > 0


def add_assignment(m: RosterModel) -> list[Penalty]:
    """One shift a day at most; none on a fixed day off or of a type capped at 0."""
    p = m.problem
    for e, employee in enumerate(p.employees):
        for d in range(p.days):
            for s, shift in enumerate(p.shifts):
                if _allowed(employee, d, shift.code):
                    m.x[e, d, s] = m.model.new_bool_var(f"x[{employee.code},{d},{shift.code}]")
            options = [var for _, var in m.shifts_of(e, d)]
            if options:
                work = m.model.new_bool_var(f"work[{employee.code},{d}]")
                m.model.add(work == sum(options))
                m.work[e, d] = work
    return []


def add_rest(m: RosterModel) -> list[Penalty]:
    """A shift that leaves too little rest before another may not precede it."""
    p = m.problem
    pairs = [
        (s, t)
        for s, before in enumerate(p.shifts)
        for t, after in enumerate(p.shifts)
        if rest_too_short(p, before, after)
    ]
    for e in range(len(p.employees)):
        for d in range(p.days - 1):
            for s, t in pairs:
                if (e, d, s) in m.x and (e, d + 1, t) in m.x:
                    pair = [m.x[e, d, s].Not(), m.x[e, d + 1, t].Not()]
                    m.hard(m.model.add_bool_or(pair), "rest", e)
    return []


def add_shift_caps(m: RosterModel) -> list[Penalty]:
    """At most the contract's number of shifts of each type."""
    p = m.problem
    for e, employee in enumerate(p.employees):
        for s, shift in enumerate(p.shifts):
            cap = employee.contract.max_shifts.get(shift.code)
            terms = [m.x[e, d, s] for d in range(p.days) if (e, d, s) in m.x]
            if cap is not None and len(terms) > cap:
                m.hard(m.model.add(sum(terms) <= cap), "shift_caps", e)
    return []


def add_total_minutes(m: RosterModel) -> list[Penalty]:
    """Paid minutes over the horizon within the contract's bounds; the bounds on the
    number of shifts that follow are added too, as they prune the search."""
    p = m.problem
    lengths = [s.minutes for s in p.shifts]
    for e, employee in enumerate(p.employees):
        c = employee.contract
        minutes = sum(p.shifts[s].minutes * var for _, s, var in m.shifts_worked(e))
        days = sum(m.worked(e, d) for d in range(p.days))
        if c.max_minutes is not None:
            m.hard(m.model.add(minutes <= c.max_minutes), "max_minutes", e)
            m.hard(m.model.add(days <= c.max_minutes // min(lengths)), "max_minutes", e)
        if c.min_minutes:
            m.hard(m.model.add(minutes >= c.min_minutes), "min_minutes", e)
            least_days = math.ceil(c.min_minutes / max(lengths))
            m.hard(m.model.add(days >= least_days), "min_minutes", e)
    return []


def add_days_per_week(m: RosterModel) -> list[Penalty]:
    """The contract's working days in each whole calendar week, at most that many in a
    week the horizon cuts."""
    p = m.problem
    for e, employee in enumerate(p.employees):
        days = employee.contract.days_per_week
        if days is None:
            continue
        for week in p.weeks():
            worked = sum(m.worked(e, d) for d in week)
            rule = m.model.add(worked == days) if len(week) == 7 else m.model.add(worked <= days)
            m.hard(rule, "days_per_week", e)
    return []


def add_max_consecutive(m: RosterModel) -> list[Penalty]:
    """No more than the contract's working days in a row: every window one longer holds
    a day off."""
    p = m.problem
    for e, employee in enumerate(p.employees):
        most = employee.contract.max_consecutive
        if most is None or most >= p.days:
            continue
        for start in range(p.days - most):
            window = sum(m.worked(e, d) for d in range(start, start + most + 1))
            m.hard(m.model.add(window <= most), "max_consecutive", e)
    return []


def add_min_consecutive(m: RosterModel) -> list[Penalty]:
    """A block of working days lasts at least the minimum, unless it touches either end
    of the horizon: a block that starts on day d > 0 works d+1 .. d+k-1 as well."""
    p = m.problem
    for e, employee in enumerate(p.employees):
        least = employee.contract.min_consecutive
        for d in range(1, p.days):
            starts = m.worked(e, d) - m.worked(e, d - 1)
            for j in range(1, least):
                if d + j < p.days:
                    m.hard(m.model.add(starts <= m.worked(e, d + j)), "min_consecutive", e)
    return []


def days_off_in_blocks(m: RosterModel, e: int, least: int, rule: str) -> None:
    """Employee ``e``'s blocks of days off last ``least`` days, unless they touch either
    end of the horizon: a block that starts on day d > 0 is off d+1 .. d+least-1 too."""
    for d in range(1, m.problem.days):
        starts_off = m.worked(e, d - 1) - m.worked(e, d)
        for j in range(1, least):
            if d + j < m.problem.days:
                m.hard(m.model.add(starts_off <= 1 - m.worked(e, d + j)), rule, e)


def add_min_days_off(m: RosterModel) -> list[Penalty]:
    """A block of days off lasts at least the minimum, unless it touches either end."""
    for e, employee in enumerate(m.problem.employees):
        days_off_in_blocks(m, e, employee.contract.min_days_off, "min_days_off")
    return []


def weekend_flags(m: RosterModel, e: int) -> list[cp_model.IntVar]:
    """For each weekend, a variable that is 1 when employee ``e`` works its Saturday or
    its Sunday (made once per employee, shared by the rules that count weekends)."""
    if e not in m.weekend_flags:
        code, flags = m.problem.employees[e].code, []
        for days in m.problem.weekends():
            worked = [m.worked(e, d) for d in days]
            flag = m.model.new_bool_var(f"weekend[{code},{days[0]}]")
            for day in worked:
                m.model.add(flag >= day)
            m.model.add(flag <= sum(worked))
            flags.append(flag)
        m.weekend_flags[e] = flags
    return m.weekend_flags[e]


def add_max_weekends(m: RosterModel) -> list[Penalty]:
    """Weekends worked (a Saturday or a Sunday) at most the contract's number."""
    p = m.problem
    weekends = p.weekends()
    for e, employee in enumerate(p.employees):
        most = employee.contract.max_weekends
        if most is None or most >= len(weekends):
            continue
        flags = weekend_flags(m, e)
        m.hard(m.model.add(sum(flags) <= most), "max_weekends", e)
    return []


def add_requests(m: RosterModel) -> list[Penalty]:
    """Shift-on requests cost their weight when not granted, shift-off ones when not."""
    p = m.problem
    people = {e.code: i for i, e in enumerate(p.employees)}
    shifts = {s.code: i for i, s in enumerate(p.shifts)}
    out = []
    for r in p.requests:
        key = (people[r.employee], r.day, shifts[r.shift])
        var = m.x.get(key)
        if r.on:
            term: LinearExpr = 1 - var if var is not None else 1
            words = f"{r.employee} asked to work {r.shift} on day {r.day}"
        else:
            term = var if var is not None else 0
            words = f"{r.employee} asked not to work {r.shift} on day {r.day}"
        rule = "shift_on_request" if r.on else "shift_off_request"
        out.append(Penalty(rule, r.weight, term, r.employee, r.day, r.shift, words))
    return out


def add_cover(m: RosterModel) -> list[Penalty]:
    """People on each shift of each day against the cover wanted; each one short or too
    many costs the cover's weight."""
    p = m.problem
    shifts = {s.code: i for i, s in enumerate(p.shifts)}
    out = []
    for c in p.cover:
        s = shifts[c.shift]
        on = [m.x[e, c.day, s] for e in range(len(p.employees)) if (e, c.day, s) in m.x]
        surplus = max(c.present - c.required, 0)
        under = m.model.new_int_var(0, max(c.required - c.present, 0), f"under[{c.day},{c.shift}]")
        over = m.model.new_int_var(surplus, surplus + len(on), f"over[{c.day},{c.shift}]")
        m.model.add(sum(on) + c.present + under - over == c.required)
        for rule, weight, term, words in (
            ("under_cover", c.under_weight, under, "short of"),
            ("over_cover", c.over_weight, over, "more than"),
        ):
            where = f"{c.required} on {c.shift} on day {c.day}"
            out.append(
                Penalty(rule, weight, term, day=c.day, shift=c.shift, words=f"{words} {where}")
            )
    return out


def add_breaks(m: RosterModel) -> list[Penalty]:
    """Each timed shift worked takes its breaks (FLOOR-01) at interval starts inside it,
    spaced apart; a team never has more people away at once than its tokens (FLOOR-02).
    ``breaks[e, d, s, moment]`` is 1 when that shift's holder is away from ``moment``."""
    p, rule = m.problem, m.problem.breaks
    if rule is None:
        return []
    step = p.interval_minutes
    away: dict[tuple[str, int], list[cp_model.IntVar]] = {}
    for (e, d, s), worked in m.x.items():
        shift = p.shifts[s]
        begin, end = shift.span(d)
        first = -(-(begin + rule.margin) // step) * step
        moments = range(first, end - rule.margin - rule.segment + 1, step)
        taken = []
        for moment in moments:
            var = m.model.new_bool_var(f"break[{p.employees[e].code},{d},{shift.code},{moment}]")
            m.model.add_implication(var, worked)
            m.breaks[e, d, s, moment] = var
            m.away_at.setdefault((shift.skill, moment), []).append(var)
            taken.append((moment, var))
            away.setdefault((p.employees[e].team, moment), []).append(var)
        m.model.add(sum(v for _, v in taken) == rule.segments(shift.minutes) * worked)
        for moment, _ in taken:
            close = [v for t, v in taken if moment <= t < moment + rule.spacing]
            if len(close) > 1:
                m.model.add_at_most_one(close)
    cap = rule.breaks_per_interval(step)
    if cap is not None:
        for (team, _), vars_ in away.items():
            if team and len(vars_) > cap:
                m.model.add(sum(vars_) <= cap)
    return []


def add_lunch(m: RosterModel) -> list[Penalty]:
    """Each long shift worked takes one lunch in its window; no break during it.
    ``lunches[e, d, s, moment]`` is 1 when that shift's lunch starts at ``moment``."""
    p, rule = m.problem, m.problem.lunch
    if rule is None:
        return []
    step = p.interval_minutes
    breaks_of: dict[tuple[int, int, int], list[tuple[int, cp_model.IntVar]]] = {}
    for (e, d, s, moment), brk in m.breaks.items():
        breaks_of.setdefault((e, d, s), []).append((moment, brk))
    for (e, d, s), worked in m.x.items():
        shift = p.shifts[s]
        if shift.minutes <= rule.over:
            continue
        begin, _ = shift.span(d)
        first = -(-(begin + rule.earliest) // step) * step
        starts = []
        for start in range(first, begin + rule.latest + 1, step):
            var = m.model.new_bool_var(f"lunch[{p.employees[e].code},{d},{shift.code},{start}]")
            m.lunches[e, d, s, start] = var
            starts.append((start, var))
            for moment in range(start, start + rule.minutes, step):
                m.away_at.setdefault((shift.skill, moment), []).append(var)
        m.model.add(sum(v for _, v in starts) == worked)
        for moment, brk in breaks_of.get((e, d, s), []):
            during = [v for t, v in starts if t <= moment < t + rule.minutes]
            if during:
                m.model.add(brk + sum(during) <= 1)
    return []


def add_skills(m: RosterModel) -> list[Penalty]:
    """Everyone answers only the seat types they hold as skills (one skill per shift),
    unless a lock puts them on that shift."""
    p = m.problem
    locked = {(k.employee, k.day, k.shift) for k in p.locks}
    for (e, d, s), var in m.x.items():
        employee, shift = p.employees[e], p.shifts[s]
        if not employee.can_answer(shift) and (employee.code, d, shift.code) not in locked:
            m.hard(m.model.add(var == 0), "skills", e)
    return []


def add_friendly_classes(m: RosterModel) -> list[Penalty]:
    """Employee-friendly shift classes (PLAN-07) and unavailable times hold: no shift
    outside family hours, none in the evening or night for pregnant staff, none over a
    student's classes, and days off in longer blocks for staff from other towns."""
    p = m.problem
    for (e, d, s), var in m.x.items():
        if not shift_fits_class(p, p.employees[e], p.shifts[s], d):
            m.hard(m.model.add(var == 0), "friendly_class", e)
    for e, employee in enumerate(p.employees):
        least = p.friendly.long_rest_days_off
        if employee.shift_class == "long_rest" and least > employee.contract.min_days_off:
            days_off_in_blocks(m, e, least, "friendly_class")
    return []


def add_fairness(m: RosterModel) -> list[Penalty]:
    """Each night shift, or weekend worked, beyond a person's fair share costs the
    fairness weight, so that nights and weekends are shared out."""
    p, fair = m.problem, m.problem.fairness
    if not fair.weight:
        return []
    out = []
    for e, employee in enumerate(p.employees):
        code = employee.code
        if fair.nights is not None:
            nights = [v for _, s, v in m.shifts_worked(e) if p.shifts[s].night]
            extra = m.model.new_int_var(0, max(len(nights), 0), f"extra_nights[{code}]")
            m.model.add(extra >= sum(nights) - fair.nights)
            words = f"{code} works nights beyond a fair share of {fair.nights}"
            out.append(Penalty("fair_nights", fair.weight, extra, code, words=words))
        if fair.weekends is not None:
            flags = weekend_flags(m, e)
            extra = m.model.new_int_var(0, len(flags), f"extra_weekends[{code}]")
            m.model.add(extra >= sum(flags) - fair.weekends)
            words = f"{code} works weekends beyond a fair share of {fair.weekends}"
            out.append(Penalty("fair_weekends", fair.weight, extra, code, words=words))
    return out


def add_locks(m: RosterModel) -> list[Penalty]:
    """Days fixed by hand hold: the locked shift is worked, a locked day off is off."""
    p = m.problem
    people = {e.code: i for i, e in enumerate(p.employees)}
    shifts = {s.code: i for i, s in enumerate(p.shifts)}
    for lock in p.locks:
        e = people[lock.employee]
        if lock.shift is None:
            m.hard(m.model.add(m.worked(e, lock.day) == 0), "locked", e)
            continue
        var = m.x.get((e, lock.day, shifts[lock.shift]))
        if var is None:  # a day off or a shift type the contract forbids
            m.hard(m.model.add_bool_or([]), "locked", e)
        else:
            m.hard(m.model.add(var == 1), "locked", e)
    return []


def add_minimal_change(m: RosterModel) -> list[Penalty]:
    """When re-optimising a published roster, each day that changes for someone costs
    the change weight, so that the new roster changes as little as it can."""
    p = m.problem
    if not (p.previous and p.change_weight):
        return []
    before = {(e, d): s for e, d, s in p.previous}
    shifts = {s.code: i for i, s in enumerate(p.shifts)}
    had = {code for code, _ in before}
    for (e, d, s), chosen in m.x.items():  # search from the roster as it was
        code = p.employees[e].code
        if code in had:
            m.model.add_hint(chosen, int(before.get((code, d)) == p.shifts[s].code))
    out = []
    for e, employee in enumerate(p.employees):
        if employee.code not in had:
            continue
        for d in range(p.days):
            was = before.get((employee.code, d))
            if was is None:
                term: LinearExpr = m.worked(e, d)
                words = f"{employee.code} works on day {d}, off before"
            else:
                var = m.x.get((e, d, shifts[was]))
                term = 1 - var if var is not None else 1
                words = f"{employee.code} no longer works {was} on day {d}"
            out.append(Penalty("changed", p.change_weight, term, employee.code, d, was, words))
    return out


def on_break(m: RosterModel, moment: int, skill: str = "") -> list[cp_model.IntVar]:
    """The break and lunch variables of everyone answering ``skill`` who could be away
    at ``moment``."""
    return m.away_at.get((skill, moment), [])


def on_duty(m: RosterModel, moment: int, skill: str = "") -> list[cp_model.IntVar]:
    """The shifts (any employee, any day) answering ``skill`` on duty at ``moment``
    (minutes from day 0)."""
    p = m.problem
    first_day = max(
        moment // MINUTES_A_DAY - 1 - max(s.minutes for s in p.shifts) // MINUTES_A_DAY, 0
    )
    last_day = min(moment // MINUTES_A_DAY, p.days - 1)
    duty = [
        (d, s)
        for d in range(first_day, last_day + 1)
        for s, shift in enumerate(p.shifts)
        if shift.skill == skill and shift.span(d)[0] <= moment < shift.span(d)[1]
    ]
    return [m.x[e, d, s] for e in range(len(p.employees)) for d, s in duty if (e, d, s) in m.x]


def add_interval_cover(m: RosterModel) -> list[Penalty]:
    """People on duty in each interval against the cover wanted (shifts that run past
    midnight count on the next day); each one short or too many costs its weight."""
    p = m.problem
    out = []
    for c in p.interval_cover:
        on, away = on_duty(m, c.moment, c.skill), on_break(m, c.moment, c.skill)
        surplus = max(c.present - c.required, 0)
        name = f"{c.skill},{c.day},{c.minute}"
        under = m.model.new_int_var(0, max(c.required - c.present, 0), f"under[{name}]")
        over = m.model.new_int_var(surplus, surplus + len(on), f"over[{name}]")
        m.model.add(sum(on) - sum(away) + c.present + under - over == c.required)
        clock = f"{c.minute // 60:02d}:{c.minute % 60:02d}"
        for rule, weight, term, words in (
            ("under_cover", c.under_weight, under, "short of"),
            ("over_cover", c.over_weight, over, "more than"),
        ):
            where = f"{c.required} at {clock} on day {c.day}"
            where += f" answering {c.skill}" if c.skill else ""
            out.append(Penalty(rule, weight, term, day=c.day, words=f"{words} {where}"))
    return out


BUILDERS: Sequence[Builder] = (
    add_assignment,
    add_rest,
    add_shift_caps,
    add_total_minutes,
    add_days_per_week,
    add_max_consecutive,
    add_min_consecutive,
    add_min_days_off,
    add_max_weekends,
    add_skills,
    add_friendly_classes,
    add_locks,
    add_requests,
    add_minimal_change,
    add_fairness,
    add_cover,
    add_breaks,
    add_lunch,
    add_interval_cover,
)


def build_model(
    problem: RosterProblem, builders: Sequence[Builder] = BUILDERS, *, explain: bool = False
) -> RosterModel:
    """The model with every builder's rules and the sum of their penalties minimised.

    With ``explain``, each employee's hard rules hang on a guard literal per rule, so
    that an infeasible model can name the rules that cannot all hold.
    """
    m = RosterModel(problem, explain=explain)
    for builder in builders:
        m.penalties.extend(builder(m))
    m.model.minimize(sum(p.weight * p.term for p in m.penalties if p.weight))
    return m
