"""Rosters for large teams of interchangeable agents against interval demand: each
agent's whole week (shifts, breaks, lunch) is a *tour*, and the best mix of tours comes
from column generation: a linear master over the tours found so far (HiGHS, warm
started) asks a dynamic programme for the tour that helps most, until none helps; the
tours' counts are then made whole numbers by HiGHS's branch and bound.

Agents who share a contract, days off and shift class form a group and get the same
choice of tours. The linear optimum is a lower bound on every roster's cost, so the gap
is measured, not guessed. Rules the engine does not model are listed by ``unsuited``;
such problems go to the per-employee engine (``solve``).
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from ccops.core.errors import InputError
from ccops.core.roster.problem import (
    MINUTES_A_DAY,
    Contract,
    Employee,
    RosterProblem,
    ShiftType,
    rest_too_short,
    shift_fits_class,
)
from ccops.core.roster.solve import (
    Assignment,
    Breaks,
    Lunches,
    Progress,
    RosterResult,
    Stop,
    away_moments,
    explain_infeasible,
)

CG_SHARE = 0.6  # of the time limit for column generation; the rest makes counts whole
DIVE_SHARE = 40  # each round of the dive rounds up one in this many fractional counts
NEG = -1e30
EPS = 1e-6


def unsuited(problem: RosterProblem) -> list[str]:
    """The parts of ``problem`` the tour engine does not model."""
    p, found = problem, []
    if not p.interval_cover:
        found.append("no interval cover")
    if any(s.start is None for s in p.shifts):
        found.append("shifts without start times")
    for present, what in (
        (p.cover, "cover per day and shift"),
        (p.requests, "shift requests"),
        (p.locks, "locked days"),
        (p.previous and p.change_weight, "minimal change"),
        (p.fairness.weight, "fairness of nights and weekends"),
        (p.breaks and p.breaks.tokens is not None, "break tokens"),
    ):
        if present:
            found.append(what)
    for e in p.employees:
        c = e.contract
        if c.max_shifts or c.max_minutes is not None or c.min_minutes:
            found.append("caps on shifts or minutes")
        if c.min_consecutive > 1 or c.min_days_off > 1 or c.max_weekends is not None:
            found.append("minimum blocks or weekend caps")
        if e.shift_class == "long_rest":
            found.append("long-rest class")
    return sorted(set(found))


@dataclass(frozen=True)
class _Pattern:
    """Where a shift's holder is away: lunch start (None: no lunch) and break moments,
    minutes from day 0's midnight for the shift on day 0."""

    lunch: int | None
    breaks: tuple[int, ...]

    def away(self, lunch_minutes: int, step: int) -> list[int]:
        moments = list(self.breaks)
        if self.lunch is not None:
            moments += range(self.lunch, self.lunch + lunch_minutes, step)
        return moments


def _patterns(p: RosterProblem, shift: ShiftType) -> list[_Pattern]:
    """Every placement of the shift's breaks and lunch the rules allow."""
    step, begin, end = p.interval_minutes, *shift.span(0)
    lunches: list[int | None] = [None]
    lunch = p.lunch
    if lunch and shift.minutes > lunch.over:
        first = -(-(begin + lunch.earliest) // step) * step
        lunches = list(range(first, begin + lunch.latest + 1, step))
    rule = p.breaks
    if rule is None:
        return [_Pattern(start, ()) for start in lunches]
    first = -(-(begin + rule.margin) // step) * step
    moments = range(first, end - rule.margin - rule.segment + 1, step)
    wanted = rule.segments(shift.minutes)
    length = lunch.minutes if lunch else 0
    out = []
    for start in lunches:
        free = [t for t in moments if start is None or not start <= t < start + length]
        out += [_Pattern(start, combo) for combo in _spaced(free, wanted, rule.spacing)]
    return out


def _spaced(moments: list[int], count: int, spacing: int) -> Iterator[tuple[int, ...]]:
    """Every choice of ``count`` moments at least ``spacing`` apart, in order."""
    if count == 0:
        yield ()
        return
    for i, first in enumerate(moments):
        later = [t for t in moments[i + 1 :] if t - first >= spacing]
        for rest in _spaced(later, count - 1, spacing):
            yield (first, *rest)


@dataclass
class _Form:
    """Shifts of one length starting at the same point of an interval share their
    away patterns: offsets from the shift's first interval start."""

    span: np.ndarray  # offsets of the interval starts it spans
    patterns: list[_Pattern]  # offsets too
    away: np.ndarray  # pattern x span offset, 0/1
    shifts: list[int] = field(default_factory=list)


@dataclass
class _Layout:
    """Cover rows and, per shift type, its form and where its first interval starts."""

    problem: RosterProblem
    rows_at: dict[int, list[int]]  # moment from day 0 -> cover rows
    need: np.ndarray
    under: np.ndarray
    over: np.ndarray
    forms: list[_Form] = field(default_factory=list)
    form_of: list[int] = field(default_factory=list)  # shift -> form
    first: list[int] = field(default_factory=list)  # shift -> first interval start, day 0

    @classmethod
    def of(cls, p: RosterProblem) -> _Layout:
        rows_at: dict[int, list[int]] = {}
        for r, c in enumerate(p.interval_cover):
            rows_at.setdefault(c.day * MINUTES_A_DAY + c.minute, []).append(r)
        cover = p.interval_cover
        layout = cls(
            p,
            rows_at,
            np.array([c.required - c.present for c in cover], dtype=float),
            np.array([c.under_weight for c in cover], dtype=float),
            np.array([c.over_weight for c in cover], dtype=float),
        )
        step, known = p.interval_minutes, {}
        for s, shift in enumerate(p.shifts):
            begin, end = shift.span(0)
            first = -(-begin // step) * step
            key = (begin % step, shift.minutes)
            if key not in known:
                known[key] = len(layout.forms)
                layout.forms.append(layout._form(shift, first))
            layout.forms[known[key]].shifts.append(s)
            layout.form_of.append(known[key])
            layout.first.append(first)
        return layout

    def _form(self, shift: ShiftType, first: int) -> _Form:
        p, step = self.problem, self.problem.interval_minutes
        begin, end = shift.span(0)
        span = np.arange(first, end, step)
        found = _patterns(p, shift)
        if not found:
            raise InputError("shift", shift.code, "no_breaks", "its breaks cannot be placed")
        where = {int(t): i for i, t in enumerate(span)}
        away = np.zeros((len(found), len(span)))
        for i, pattern in enumerate(found):
            away[i, [where[t] for t in pattern.away(self.lunch, step)]] = 1
        relative = [
            _Pattern(
                None if q.lunch is None else q.lunch - first, tuple(t - first for t in q.breaks)
            )
            for q in found
        ]
        return _Form(span - first, relative, away)

    @property
    def lunch(self) -> int:
        return self.problem.lunch.minutes if self.problem.lunch else 0

    def pattern(self, day: int, shift: int, index: int) -> _Pattern:
        """The pattern's lunch and breaks, minutes from that day's midnight."""
        q, first = self.forms[self.form_of[shift]].patterns[index], self.first[shift]
        lunch = None if q.lunch is None else q.lunch + first
        return _Pattern(lunch, tuple(t + first for t in q.breaks))

    def rows(self, day: int, shift: int, index: int) -> list[int]:
        """Cover rows a worker of this shift, day and pattern is on duty for."""
        base, form = day * MINUTES_A_DAY + self.first[shift], self.forms[self.form_of[shift]]
        off = set(form.patterns[index].away(self.lunch, self.problem.interval_minutes))
        out = []
        for t in form.span:
            if int(t) not in off:
                out += self.rows_at.get(int(t) + base, [])
        return out

    def day_values(self, duals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per (day, shift): what a worker is worth at these cover prices with their best
        pattern, and that pattern."""
        p, step = self.problem, self.problem.interval_minutes
        slots = (p.days + 2) * MINUTES_A_DAY // step
        price = np.zeros(slots)
        for moment, rows in self.rows_at.items():
            price[moment // step] += duals[rows].sum()
        value = np.zeros((p.days, len(p.shifts)))
        best = np.zeros((p.days, len(p.shifts)), dtype=int)
        days = np.arange(p.days) * (MINUTES_A_DAY // step)
        for form in self.forms:
            firsts = np.array([self.first[s] for s in form.shifts]) // step
            starts = (days[:, None] + firsts[None, :]).reshape(-1)  # day-major
            window = price[starts[:, None] + form.span[None, :] // step]
            lost = form.away @ window.T  # patterns x (day, shift)
            shape = (p.days, len(form.shifts))
            pick = lost.argmin(axis=0)
            least = lost[pick, np.arange(len(pick))]
            best[:, form.shifts] = pick.reshape(shape)
            value[:, form.shifts] = (window.sum(axis=1) - least).reshape(shape)
        return value, best


@dataclass(frozen=True)
class _Group:
    """Interchangeable employees and what each of them may work."""

    employees: tuple[Employee, ...]
    allowed: np.ndarray  # days x shifts, bool

    @property
    def contract(self) -> Contract:
        return self.employees[0].contract


def _groups(p: RosterProblem) -> list[_Group]:
    by_key: dict[tuple[object, ...], list[Employee]] = {}
    for e in p.employees:
        key = (repr(e.contract), e.days_off, e.shift_class, e.unavailable)
        by_key.setdefault(key, []).append(e)
    out = []
    for members in by_key.values():
        e = members[0]
        allowed = np.array(
            [
                [d not in e.days_off and shift_fits_class(p, e, s, d) for s in p.shifts]
                for d in range(p.days)
            ]
        )
        out.append(_Group(tuple(members), allowed))
    return out


Tour = tuple[tuple[int, int, int], ...]  # (day, shift, pattern) per day worked


@dataclass(frozen=True)
class _DayStep:
    """Where each state of a day came from: the last shift (or off) for working states,
    the (last, run) index for the day-off states."""

    came: np.ndarray
    off_came: np.ndarray


@dataclass(frozen=True)
class _WeekStep:
    """Days worked in the week each state closed with (None: not counted)."""

    pick: np.ndarray | None


class _Pricer:
    """The most valuable tour of a group at given day values: a dynamic programme over
    days whose state is the last shift (or off), days worked this week and days in a
    row, so rest, days per week and the most days in a row hold."""

    def __init__(self, p: RosterProblem, group: _Group) -> None:
        self.p, self.group = p, group
        n = len(p.shifts)
        self.follows = np.array(
            [[not rest_too_short(p, a, b) for b in p.shifts] for a in p.shifts]
        )  # follows[a, b]: b may come the day after a
        c = group.contract
        self.per_week = c.days_per_week
        most = c.max_consecutive
        self.most = most if most is not None and most < p.days else None
        self.w = (self.per_week or 0) + 1 if self.per_week is not None else 1
        self.r = self.most + 1 if self.most is not None else 1
        self.off = n
        ends = {week[-1]: len(week) == 7 for week in p.weeks()}
        self.week_end = ends
        # Tours priced each round: the best, and the best with each day off, for
        # columns that differ.
        self.variants: list[tuple[int, ...]] = [(), *((d,) for d in range(p.days))]

    def best(
        self, value: np.ndarray, off_days: tuple[int, ...] = ()
    ) -> tuple[float, list[tuple[int, int]]]:
        """The tour's value and its (day, shift) pairs, with ``off_days`` off; -inf value
        when none exists."""
        p, n, off = self.p, len(self.p.shifts), self.off
        state = np.full((n + 1, self.w, self.r), NEG)
        state[off, 0, 0] = 0.0
        trail: list[_DayStep | _WeekStep] = []
        worth = np.where(self.group.allowed, value, NEG)
        worth[list(off_days)] = NEG
        for day in range(p.days):
            new, back = self._step(state, worth[day])
            trail.append(back)
            state = new
            if day in self.week_end:
                state, pick = self._close_week(state, self.week_end[day])
                trail.append(pick)
        flat = int(state.argmax())
        total = float(state.flat[flat])
        if total <= NEG / 2:
            return -math.inf, []
        return total, self._walk(trail, flat)

    def _step(self, state: np.ndarray, worth: np.ndarray) -> tuple[np.ndarray, _DayStep]:
        n, off = len(self.p.shifts), self.off
        tw, tr = self.per_week is not None, self.most is not None
        wf, wt = (slice(0, self.w - 1), slice(1, self.w)) if tw else (slice(0, 1),) * 2
        rf, rt = (slice(0, self.r - 1), slice(1, self.r)) if tr else (slice(0, 1),) * 2
        # From a shift that allows this one, or from a day off.
        masked = np.where(self.follows[:, :, None, None], state[:n, None, :, :], NEG)
        from_shift = masked.max(axis=0)  # (n, w, r)
        which = masked.argmax(axis=0)
        from_off = np.broadcast_to(state[off][None, :, :], from_shift.shape)
        use_off = from_off >= from_shift
        prev = np.where(use_off, from_off, from_shift)
        came = np.where(use_off, off, which)
        new = np.full_like(state, NEG)
        new[:n, wt, rt] = prev[:, wf, rf] + worth[:, None, None]
        # A day off: the best of anything, the run broken.
        flat = state.transpose(1, 0, 2).reshape(self.w, -1)  # (w, last*r)
        new[off, :, 0] = flat.max(axis=1)
        off_came = flat.argmax(axis=1)
        new[new < NEG / 2] = NEG
        return new, _DayStep(came, off_came)

    def _close_week(self, state: np.ndarray, whole: bool) -> tuple[np.ndarray, _WeekStep]:
        if self.per_week is None:
            return state, _WeekStep(None)
        closed = np.full_like(state, NEG)
        if whole:
            closed[:, 0, :] = state[:, self.per_week, :]
            pick = np.full(state.shape[::2], self.per_week)
        else:
            closed[:, 0, :] = state.max(axis=1)
            pick = state.argmax(axis=1)
        return closed, _WeekStep(pick)

    def _walk(self, trail: list[_DayStep | _WeekStep], flat: int) -> list[tuple[int, int]]:
        """The (day, shift) pairs on the way back from a final state."""
        where = np.unravel_index(flat, (len(self.p.shifts) + 1, self.w, self.r))
        last, w, r = (int(i) for i in where)
        day, out = self.p.days - 1, []
        tw, tr = self.per_week is not None, self.most is not None
        for step in reversed(trail):
            if isinstance(step, _WeekStep):
                if step.pick is not None:
                    w = int(step.pick[last, r])
                continue
            if last == self.off:
                last, r = divmod(int(step.off_came[w]), self.r)
            else:
                out.append((day, last))
                w, r = (w - 1 if tw else w), (r - 1 if tr else r)
                last = int(step.came[last, w, r])
            day -= 1
        return sorted(out)


class _Master:
    """The linear master: tours' counts, under and over cover per row, a count of
    agents per group."""

    def __init__(self, layout: _Layout, groups: list[_Group]) -> None:
        self.h = _highs()
        self.h.setOptionValue("presolve", "off")  # keeps the basis warm between rounds
        self.h.setOptionValue("simplex_strategy", 4)  # primal: new columns keep it feasible
        rows, inf = len(layout.need), highspy.kHighsInf
        need = np.concatenate([layout.need, [len(g.employees) for g in groups]])
        self.h.addRows(len(need), need, need, 0, _ints([]), _ints([]), np.zeros(0))
        for sign, cost in ((1.0, layout.under), (-1.0, layout.over)):
            at = _ints(range(rows))
            self.h.addCols(
                rows, cost, np.zeros(rows), np.full(rows, inf), rows, at, at, np.full(rows, sign)
            )
        self.first_tour = 2 * rows
        self.group_row = rows
        self.tours: list[tuple[int, Tour]] = []

    def add(self, group: int, tour: Tour, rows: list[int]) -> None:
        counted: dict[int, float] = {}
        for r in [*rows, self.group_row + group]:
            counted[r] = counted.get(r, 0.0) + 1.0
        index = _ints(counted)
        values = np.array(list(counted.values()))
        self.h.addCol(0.0, 0.0, highspy.kHighsInf, len(index), index, values)
        self.tours.append((group, tour))

    def solve(self) -> tuple[float, np.ndarray]:
        self.h.run()
        solution = self.h.getSolution()
        return self.h.getInfo().objective_function_value, np.array(solution.row_dual)

    def tour_values(self) -> np.ndarray:
        return np.array(self.h.getSolution().col_value)[self.first_tour :]

    def hold_at_least(self, lower: np.ndarray) -> None:
        """Tours' counts may not fall below ``lower`` (the dive's fixings)."""
        index = _ints(range(self.first_tour, self.first_tour + len(lower)))
        upper = np.full(len(lower), highspy.kHighsInf)
        self.h.changeColsBounds(len(lower), index, lower.astype(float), upper)


def _ints(values: Iterable[int]) -> np.ndarray:
    return np.array(list(values), dtype=np.int32)


def _highs() -> highspy.Highs:
    """A silent HiGHS: its first construction in a process prints a banner to stdout."""
    sys.stdout.flush()
    saved, quiet = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    try:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(quiet)
    h.setOptionValue("output_flag", False)
    return h


def solve_tours(
    problem: RosterProblem,
    *,
    time_limit: float = 120.0,
    progress: Progress | None = None,
    stop: Stop | None = None,
) -> RosterResult:
    """The best roster of tours found within ``time_limit`` seconds, with its lower
    bound; raises InputError naming what the problem asks that tours cannot give.

    ``progress`` hears the bound as it rises (objective infinite until a roster exists)
    and the final roster's cost; ``stop`` answering True cuts the search short, and the
    counts found so far are rounded into a roster.
    """
    started = time.perf_counter()
    missing = unsuited(problem)
    if missing:
        raise InputError("problem", ", ".join(missing), "unsuited", "needs the per-employee engine")
    layout, groups = _Layout.of(problem), _groups(problem)
    search = _Generation(layout, groups, started, progress, stop)
    for g, pricer in enumerate(search.pricers):
        if pricer.best(np.zeros((problem.days, len(problem.shifts))))[0] == -math.inf:
            return _impossible(problem, groups[g], time.perf_counter() - started)
    bound = search.relax(started + CG_SHARE * time_limit)
    counts = search.dive(started + time_limit)
    seconds = time.perf_counter() - started
    assignment, breaks, lunches = _roster(layout, groups, search.master.tours, counts)
    away = {
        key: tuple(t + key[1] * MINUTES_A_DAY for t in moments)
        for key, moments in away_moments(problem, breaks, lunches).items()
    }
    cost = problem.cost(assignment, away)
    bound = float(max(bound, 0.0))
    status = "OPTIMAL" if cost <= math.ceil(bound - EPS) else "FEASIBLE"
    if progress:
        progress(seconds, cost, bound)
    return RosterResult(status, assignment, cost, bound, seconds, breaks=breaks, lunches=lunches)


@dataclass
class _Generation:
    """Column generation: the master and each group's pricer, and the tours known."""

    layout: _Layout
    groups: list[_Group]
    started: float
    progress: Progress | None = None
    stop: Stop | None = None
    pricers: list[_Pricer] = field(default_factory=list)
    seen: set[tuple[int, Tour]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.pricers = [_Pricer(self.layout.problem, g) for g in self.groups]
        self.master = _Master(self.layout, self.groups)
        self.rows = len(self.layout.need)

    def price(self, duals: np.ndarray, first: bool = False) -> tuple[int, float]:
        """Add the tours that would lower the master's cost at these duals (every
        group's best at the start): how many, and the Lagrangian correction to the
        master's value that makes it a lower bound."""
        value, chosen = self.layout.day_values(duals[: self.rows])
        added, reduced = 0, 0.0
        for g, pricer in enumerate(self.pricers):
            for off_days in pricer.variants:
                worth, days = pricer.best(value, off_days)
                rc = -(worth + duals[self.rows + g])
                if not off_days:
                    reduced += len(self.groups[g].employees) * min(rc, 0.0)
                tour = tuple((d, s, int(chosen[d, s])) for d, s in days)
                if days and (rc < -EPS or first) and (g, tour) not in self.seen:
                    self.seen.add((g, tour))
                    covered = [r for d, s, k in tour for r in self.layout.rows(d, s, k)]
                    self.master.add(g, tour, covered)
                    added += 1
        return added, reduced

    def stopped(self) -> bool:
        return bool(self.stop and self.stop())

    def relax(self, deadline: float) -> float:
        """Solve the linear relaxation until no tour helps, the deadline or a stop: the
        lower bound it proves. Progress hears of the bound (no roster yet: objective
        infinite)."""
        self.price(np.zeros(self.rows + len(self.groups)), first=True)
        bound = -math.inf
        while True:
            value, duals = self.master.solve()
            added, reduced = self.price(duals)
            bound = max(bound, value + reduced)
            if not added:
                bound = value
            if self.progress:
                self.progress(time.perf_counter() - self.started, math.inf, max(bound, 0.0))
            if not added or self.stopped() or time.perf_counter() > deadline:
                return bound

    def dive(self, deadline: float) -> np.ndarray:
        """Whole tour counts by diving: hold every count at least at its floor, round up
        the most nearly whole ones, re-solve and re-price, until all are whole."""
        master = self.master
        lower = np.zeros(len(master.tours))
        while True:
            values = master.tour_values()
            lower = np.concatenate([lower, np.zeros(len(values) - len(lower))])
            lower = np.maximum(lower, np.floor(values + EPS))
            part = values - lower
            late = time.perf_counter() > deadline or self.stopped()
            if part.max(initial=0.0) < EPS or late:
                break
            room = [len(g.employees) for g in self.groups]
            for j, (g, _) in enumerate(master.tours):
                room[g] -= int(lower[j])
            fractional = np.flatnonzero(part > EPS)
            ups = max(1, len(fractional) // DIVE_SHARE)
            for j in fractional[np.argsort(-part[fractional])][:ups]:
                g = master.tours[j][0]
                if room[g] > 0:
                    lower[j] += 1
                    room[g] -= 1
            master.hold_at_least(lower)
            _, duals = master.solve()
            self.price(duals)
        return self._fill(lower.astype(int))

    def _fill(self, counts: np.ndarray) -> np.ndarray:
        """Counts that give each group exactly its head count: the dive stopped early
        leaves some agents to the tours with the largest fractional values."""
        values = self.master.tour_values()
        counts = np.concatenate([counts, np.zeros(len(values) - len(counts), dtype=int)])
        for g, group in enumerate(self.groups):
            mine = [j for j, (h, _) in enumerate(self.master.tours) if h == g]
            short = len(group.employees) - int(counts[mine].sum())
            for j in sorted(mine, key=lambda j: counts[j] - values[j])[: max(short, 0)]:
                counts[j] += 1
        return counts


def _roster(
    layout: _Layout, groups: list[_Group], tours: list[tuple[int, Tour]], counts: np.ndarray
) -> tuple[Assignment, Breaks, Lunches]:
    """Named rosters: each group's employees take its tours in turn."""
    p = layout.problem
    queues = [iter(g.employees) for g in groups]
    assignment: Assignment = {}
    breaks: Breaks = {}
    lunches: Lunches = {}
    for (g, tour), count in zip(tours, counts, strict=True):
        for employee in itertools.islice(queues[g], int(count)):
            for day, s, k in tour:
                key, pattern = (employee.code, day), layout.pattern(day, s, k)
                assignment[key] = p.shifts[s].code
                if pattern.breaks:
                    breaks[key] = pattern.breaks
                if pattern.lunch is not None:
                    lunches[key] = pattern.lunch
    return assignment, breaks, lunches


def _impossible(p: RosterProblem, group: _Group, seconds: float) -> RosterResult:
    """No week the group's rules allow: the rules that clash, from one of them alone."""
    alone = replace(p, employees=group.employees[:1], interval_cover=())
    conflicts = explain_infeasible(alone)
    return RosterResult("INFEASIBLE", {}, None, None, seconds, conflicts=conflicts)
