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
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from ccops.core.errors import InputError
from ccops.core.roster.breaches import breaches
from ccops.core.roster.columns import quiet_highs
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
    place_breaks,
)

CG_SHARE = 0.6  # of the time limit for column generation; the rest makes counts whole
DIVE_PRICING = 3  # rounds of pricing at each step of the dive under break tokens, at most
DIVE_SHARE = 40  # each round of the dive rounds up one in this many fractional counts
NEG = -1e30
TOKEN_EXCESS = 100  # cost of a break beyond the tokens, in agents short
REPAIR_SECONDS = 5.0  # at least, to place breaks again when rounding broke the tokens
REPAIR_SHARE = 0.1  # of the time limit kept for that after the dive
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
        (p.fairness.weight, "fairness of nights and weekends"),
    ):
        if present:
            found.append(what)
    for e in p.employees:
        c = e.contract
        if c.max_shifts or c.max_minutes is not None or c.min_minutes:
            found.append("caps on shifts or minutes")
        if c.min_consecutive > 1 or c.max_weekends is not None:
            found.append("minimum working blocks or weekend caps")
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


def break_patterns(p: RosterProblem, shift: ShiftType) -> list[_Pattern]:
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
    away: np.ndarray  # pattern x span offset, 0/1: on a break or at lunch
    breaks: np.ndarray  # pattern x span offset, 0/1: on a break (what tokens count)
    shifts: list[int] = field(default_factory=list)


@dataclass
class _Layout:
    """Cover rows and, per shift type, its form and where its first interval starts."""

    problem: RosterProblem
    rows_at: dict[tuple[str, int], list[int]]  # (skill, moment from day 0) -> cover rows
    need: np.ndarray
    under: np.ndarray
    over: np.ndarray
    forms: list[_Form] = field(default_factory=list)
    form_of: list[int] = field(default_factory=list)  # shift -> form
    first: list[int] = field(default_factory=list)  # shift -> first interval start, day 0

    @classmethod
    def of(cls, p: RosterProblem) -> _Layout:
        rows_at: dict[tuple[str, int], list[int]] = {}
        for r, c in enumerate(p.interval_cover):
            rows_at.setdefault((c.skill, c.moment), []).append(r)
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
        found = break_patterns(p, shift)
        if not found:
            raise InputError("shift", shift.code, "no_breaks", "its breaks cannot be placed")
        where = {int(t): i for i, t in enumerate(span)}
        away = np.zeros((len(found), len(span)))
        breaks = np.zeros((len(found), len(span)))
        for i, pattern in enumerate(found):
            away[i, [where[t] for t in pattern.away(self.lunch, step)]] = 1
            breaks[i, [where[t] for t in pattern.breaks]] = 1
        relative = [
            _Pattern(
                None if q.lunch is None else q.lunch - first, tuple(t - first for t in q.breaks)
            )
            for q in found
        ]
        return _Form(span - first, relative, away, breaks)

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
        skill = self.problem.shifts[shift].skill
        off = set(form.patterns[index].away(self.lunch, self.problem.interval_minutes))
        out = []
        for t in form.span:
            if int(t) not in off:
                out += self.rows_at.get((skill, int(t) + base), [])
        return out

    def day_values(
        self, duals: np.ndarray, tokens: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per (day, shift): what a worker is worth at these cover prices with their best
        pattern, and that pattern. ``tokens`` prices a break starting in each slot (the
        duals of the worker's team's break-token rows)."""
        p, step = self.problem, self.problem.interval_minutes
        prices: dict[str, np.ndarray] = {}
        for (skill, moment), rows in self.rows_at.items():
            price = prices.setdefault(skill, np.zeros(self.slots))
            price[moment // step] += duals[rows].sum()
        value = np.zeros((p.days, len(p.shifts)))
        best = np.zeros((p.days, len(p.shifts)), dtype=int)
        days = np.arange(p.days) * (MINUTES_A_DAY // step)
        for form in self.forms:
            for skill in {p.shifts[s].skill for s in form.shifts}:
                shifts = [s for s in form.shifts if p.shifts[s].skill == skill]
                price = prices.get(skill, np.zeros(self.slots))
                firsts = np.array([self.first[s] for s in shifts]) // step
                starts = (days[:, None] + firsts[None, :]).reshape(-1)  # day-major
                where = starts[:, None] + form.span[None, :] // step
                window = price[where]
                lost = form.away @ window.T  # patterns x (day, shift)
                if tokens is not None:
                    lost -= form.breaks @ tokens[where].T
                shape = (p.days, len(shifts))
                pick = lost.argmin(axis=0)
                least = lost[pick, np.arange(len(pick))]
                best[:, shifts] = pick.reshape(shape)
                value[:, shifts] = (window.sum(axis=1) - least).reshape(shape)
        return value, best

    @property
    def slots(self) -> int:
        """Interval starts from day 0 to two days past the horizon (shifts run over)."""
        return (self.problem.days + 2) * MINUTES_A_DAY // self.problem.interval_minutes

    def break_slots(self, day: int, shift: int, index: int) -> list[int]:
        """The slots in which a worker of this shift, day and pattern starts a break."""
        base, form = day * MINUTES_A_DAY + self.first[shift], self.forms[self.form_of[shift]]
        step = self.problem.interval_minutes
        return [(base + t) // step for t in form.patterns[index].breaks]


@dataclass(frozen=True)
class _Group:
    """Interchangeable employees and what each of them may work; ``must_work``: days
    locked to a shift."""

    employees: tuple[Employee, ...]
    allowed: np.ndarray  # days x shifts, bool
    must_work: frozenset[int] = frozenset()
    # Minimal change: a tour costs ``change_base`` plus ``change`` of each (day, shift)
    # it works (the cost of that day changing, less the cost of the day off changing).
    change: np.ndarray | None = None
    change_base: float = 0.0

    def change_cost(self, tour: Tour) -> float:
        if self.change is None:
            return 0.0
        return self.change_base + float(sum(self.change[d, s] for d, s, _ in tour))

    @property
    def contract(self) -> Contract:
        return self.employees[0].contract


def _groups(p: RosterProblem) -> list[_Group]:
    """Employees who may work the same weeks (and, under break tokens, share a team)."""
    by_key: dict[tuple[object, ...], list[Employee]] = {}
    teams = p.breaks is not None and p.breaks.tokens is not None
    locks: dict[str, dict[int, str | None]] = {}
    for lock in p.locks:
        locks.setdefault(lock.employee, {})[lock.day] = lock.shift
    before: dict[str, dict[int, str]] = {}
    if p.change_weight:
        for code, day, shift in p.previous:
            before.setdefault(code, {})[day] = shift
    for e in p.employees:
        key: tuple[object, ...] = (repr(e.contract), e.days_off, e.shift_class, e.unavailable)
        key += (e.skills, teams and e.team, tuple(sorted(locks.get(e.code, {}).items())))
        key += (e.code in before and tuple(sorted(before[e.code].items())),)
        by_key.setdefault(key, []).append(e)
    out = []
    for members in by_key.values():
        e, fixed = members[0], locks.get(members[0].code, {})
        allowed = np.array(
            [
                [
                    s.code == fixed[d]
                    if d in fixed
                    else d not in e.days_off and e.can_answer(s) and shift_fits_class(p, e, s, d)
                    for s in p.shifts
                ]
                for d in range(p.days)
            ]
        )
        must = frozenset(d for d, shift in fixed.items() if shift is not None)
        group = _Group(tuple(members), allowed, must)
        if e.code in before:
            group = _with_change(p, group, before[e.code])
        out.append(group)
    return out


def _with_change(p: RosterProblem, group: _Group, before: dict[int, str]) -> _Group:
    """The group's tours priced by how much they change a roster's days."""
    weight = float(p.change_weight)
    off = np.array([weight * (d in before) for d in range(p.days)])
    work = np.array([[weight * (before.get(d) != s.code) for s in p.shifts] for d in range(p.days)])
    return replace(group, change=work - off[:, None], change_base=float(off.sum()))


Tour = tuple[tuple[int, int, int], ...]  # (day, shift, pattern) per day worked


@dataclass(frozen=True)
class _DayStep:
    """Where each state of a day came from. ``came[s, w, r]``: the shift worked the day
    before a working state (``off`` when it was a day off, then ``off_run[w]`` says how
    long that break had lasted); ``off_came[w, o]``: for a day off, the state before it
    (a working state's flat index ``s * runs + r``, or ``off + o`` for a day off)."""

    came: np.ndarray
    off_run: np.ndarray
    off_came: np.ndarray


@dataclass(frozen=True)
class _WeekStep:
    """Days worked in the week each state closed with (None: not counted)."""

    work: np.ndarray | None
    rest: np.ndarray | None


class _Pricer:
    """The most valuable tour of a group at given day values: a dynamic programme over
    days. A working state is (shift, days worked this week, days in a row); a day-off
    state is (days worked this week, days off in a row); so rest, days per week, the
    most days in a row and the fewest days off in a row (the contract's, or the
    long-rest class's of PLAN-07) hold, blocks at either end of the horizon exempt."""

    def __init__(self, p: RosterProblem, group: _Group) -> None:
        self.p, self.group = p, group
        self.n = len(p.shifts)
        self.follows = np.array(
            [[not rest_too_short(p, a, b) for b in p.shifts] for a in p.shifts]
        )  # follows[a, b]: b may come the day after a
        c = group.contract
        self.per_week = c.days_per_week
        most = c.max_consecutive
        self.most = most if most is not None and most < p.days else None
        least_off = c.min_days_off
        if group.employees[0].shift_class == "long_rest":
            least_off = max(least_off, p.friendly.long_rest_days_off)
        self.least_off = least_off if least_off > 1 else None
        self.w = self.per_week + 1 if self.per_week is not None else 1
        self.r = self.most + 1 if self.most is not None else 1
        self.o = self.least_off + 1 if self.least_off is not None else 1
        self.week_end = {week[-1]: len(week) == 7 for week in p.weeks()}
        # Tours priced each round: the best, and the best with each day off, for
        # columns that differ.
        self.variants: list[tuple[int, ...]] = [(), *((d,) for d in range(p.days))]

    def best(
        self, value: np.ndarray, off_days: tuple[int, ...] = ()
    ) -> tuple[float, list[tuple[int, int]]]:
        """The tour's value and its (day, shift) pairs, with ``off_days`` off; -inf value
        when none exists."""
        work = np.full((self.n, self.w, self.r), NEG)
        rest = np.full((self.w, self.o), NEG)
        rest[0, self.o - 1] = 0.0  # a first block of days off counts as long enough
        trail: list[_DayStep | _WeekStep] = []
        worth = np.where(self.group.allowed, value, NEG)
        worth[list(off_days)] = NEG
        for day in range(self.p.days):
            work, rest, step = self._step(work, rest, worth[day])
            if day in self.group.must_work:  # locked to a shift: no day off
                rest = np.full_like(rest, NEG)
            trail.append(step)
            if day in self.week_end:
                work, rest, closed = self._close_week(work, rest, self.week_end[day])
                trail.append(closed)
        top_work, top_rest = work.max(initial=NEG), rest.max(initial=NEG)
        if max(top_work, top_rest) <= NEG / 2:
            return -math.inf, []
        if top_work >= top_rest:
            s, w, r = np.unravel_index(int(work.argmax()), work.shape)
            end: tuple[str, int, int, int] = ("work", int(s), int(w), int(r))
        else:
            w, o = np.unravel_index(int(rest.argmax()), rest.shape)
            end = ("rest", 0, int(w), int(o))
        return float(max(top_work, top_rest)), self._walk(trail, end)

    def _step(
        self, work: np.ndarray, rest: np.ndarray, worth: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, _DayStep]:
        n = self.n
        tw, tr, to = self.per_week is not None, self.most is not None, self.least_off is not None
        wf, wt = (slice(0, self.w - 1), slice(1, self.w)) if tw else (slice(0, 1),) * 2
        rf, rt = (slice(0, self.r - 1), slice(1, self.r)) if tr else (slice(0, 1),) * 2
        # Working today: after a shift that allows this one, or after a break long enough.
        masked = np.where(self.follows[:, :, None, None], work[:, None, :, :], NEG)
        before = masked.max(axis=0)  # (n, w, r)
        came = masked.argmax(axis=0)
        enough = rest[:, self.o - 1 :] if to else rest
        from_rest = enough.max(axis=1)  # (w,)
        off_run = enough.argmax(axis=1) + (self.o - 1 if to else 0)
        rested = from_rest[None, :] >= before[:, :, 0]
        before[:, :, 0] = np.where(rested, from_rest[None, :], before[:, :, 0])
        came[:, :, 0] = np.where(rested, n, came[:, :, 0])
        new_work = np.full_like(work, NEG)
        new_work[:, wt, rt] = before[:, wf, rf] + worth[:, None, None]
        # A day off: after any working state, or one more day of a break.
        flat = work.transpose(1, 0, 2).reshape(self.w, -1)  # (w, s * runs + r)
        new_rest = np.full_like(rest, NEG)
        off_came = np.zeros(rest.shape, dtype=int)
        first = 1 if to else 0
        new_rest[:, first] = flat.max(axis=1)
        off_came[:, first] = flat.argmax(axis=1)
        for o in range(self.o):
            target = min(o + 1, self.o - 1) if to else 0
            better = rest[:, o] > new_rest[:, target]
            new_rest[:, target] = np.where(better, rest[:, o], new_rest[:, target])
            off_came[:, target] = np.where(better, n * self.r + o, off_came[:, target])
        new_work[new_work < NEG / 2] = NEG
        new_rest[new_rest < NEG / 2] = NEG
        return new_work, new_rest, _DayStep(came, off_run, off_came)

    def _close_week(
        self, work: np.ndarray, rest: np.ndarray, whole: bool
    ) -> tuple[np.ndarray, np.ndarray, _WeekStep]:
        if self.per_week is None:
            return work, rest, _WeekStep(None, None)
        new_work, new_rest = np.full_like(work, NEG), np.full_like(rest, NEG)
        if whole:
            new_work[:, 0, :] = work[:, self.per_week, :]
            new_rest[0, :] = rest[self.per_week, :]
            pick_work = np.full((self.n, self.r), self.per_week)
            pick_rest = np.full(self.o, self.per_week)
        else:
            new_work[:, 0, :], pick_work = work.max(axis=1), work.argmax(axis=1)
            new_rest[0, :], pick_rest = rest.max(axis=0), rest.argmax(axis=0)
        return new_work, new_rest, _WeekStep(pick_work, pick_rest)

    def _walk(
        self, trail: list[_DayStep | _WeekStep], end: tuple[str, int, int, int]
    ) -> list[tuple[int, int]]:
        """The (day, shift) pairs on the way back from a final state."""
        kind, s, w, run = end
        day, out, n = self.p.days - 1, [], self.n
        tw, tr = self.per_week is not None, self.most is not None
        for step in reversed(trail):
            if isinstance(step, _WeekStep):
                if step.work is not None and step.rest is not None:
                    w = int(step.work[s, run]) if kind == "work" else int(step.rest[run])
                continue
            if kind == "work":
                out.append((day, s))
                w, run = (w - 1 if tw else w), (run - 1 if tr else run)
                before = int(step.came[s, w, run])
                if before == n:
                    kind, run = "rest", int(step.off_run[w])
                else:
                    s = before
            else:
                source = int(step.off_came[w, run])
                if source < n * self.r:
                    kind, (s, run) = "work", divmod(source, self.r)
                else:
                    run = source - n * self.r
            day -= 1
        return sorted(out)


class _Master:
    """The linear master: tours' counts, under and over cover per row, a count of
    agents per group."""

    def __init__(self, layout: _Layout, groups: list[_Group], teams: list[str]) -> None:
        self.h = quiet_highs()
        self.h.setOptionValue("presolve", "off")  # keeps the basis warm between rounds
        self.h.setOptionValue("simplex_strategy", 4)  # primal: new columns keep it feasible
        rows, inf = len(layout.need), highspy.kHighsInf
        need = np.concatenate([layout.need, [len(g.employees) for g in groups]])
        self.h.addRows(len(need), need, need, 0, _ints([]), _ints([]), np.zeros(0))
        # Break tokens (FLOOR-02): per team and slot, breaks starting at most the cap.
        rule = layout.problem.breaks
        cap = rule.breaks_per_interval(layout.problem.interval_minutes) if rule else None
        self.token_row, self.slots = len(need), layout.slots
        count = len(teams) * self.slots if cap is not None else 0
        if count:
            none = (0, _ints([]), _ints([]), np.zeros(0))
            self.h.addRows(count, np.full(count, -inf), np.full(count, float(cap or 0)), *none)
        for sign, cost in ((1.0, layout.under), (-1.0, layout.over)):
            at = _ints(range(rows))
            self.h.addCols(
                rows, cost, np.zeros(rows), np.full(rows, inf), rows, at, at, np.full(rows, sign)
            )
        if count:  # breaks beyond the tokens, dear enough never to be worth it
            dear = np.full(count, TOKEN_EXCESS * max(layout.under.max(initial=1.0), 1.0))
            at = _ints(range(self.token_row, self.token_row + count))
            self.h.addCols(
                count,
                dear,
                np.zeros(count),
                np.full(count, inf),
                count,
                _ints(range(count)),
                at,
                -np.ones(count),
            )
        self.first_tour = 2 * rows + count
        self.cap = float(cap or 0)
        self.token_use: list[list[int]] = []  # per tour, its token rows (one per break)
        self.group_row = rows
        self.tours: list[tuple[int, Tour]] = []

    def token_rows(self, team: int, slots: list[int]) -> list[int]:
        return [self.token_row + team * self.slots + slot for slot in slots]

    def add(self, group: int, tour: Tour, rows: list[int], cost: float = 0.0) -> None:
        counted: dict[int, float] = {}
        for r in [*rows, self.group_row + group]:
            counted[r] = counted.get(r, 0.0) + 1.0
        index = _ints(counted)
        values = np.array(list(counted.values()))
        self.h.addCol(cost, 0.0, highspy.kHighsInf, len(index), index, values)
        self.tours.append((group, tour))
        self.token_use.append([r for r in rows if r >= self.token_row])

    def token_load(self, counts: np.ndarray) -> Counter[int]:
        """Breaks per token row of tours held at these counts."""
        load: Counter[int] = Counter()
        for j in np.flatnonzero(counts):
            for r in self.token_use[j]:
                load[r] += int(counts[j])
        return load

    def fits_tokens(self, tour: int, load: Counter[int]) -> bool:
        """Whether one more agent on this tour stays within every token row."""
        extra = Counter(self.token_use[tour])
        return all(load[r] + n <= self.cap for r, n in extra.items())

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
    counts = search.dive(started + (1 - REPAIR_SHARE) * time_limit)
    seconds = time.perf_counter() - started
    assignment, breaks, lunches = _roster(layout, groups, search.master.tours, counts)
    away = {
        key: tuple(t + key[1] * MINUTES_A_DAY for t in moments)
        for key, moments in away_moments(problem, breaks, lunches).items()
    }
    cost = problem.cost(assignment, away)
    bound = float(max(bound, 0.0))
    status = "OPTIMAL" if cost <= math.ceil(bound - EPS) else "FEASIBLE"
    result = RosterResult(status, assignment, cost, bound, seconds, breaks=breaks, lunches=lunches)
    tokens = problem.breaks is not None and problem.breaks.tokens is not None
    if tokens and any(
        b.rule == "break_tokens" for b in breaches(problem, assignment, breaks, lunches)
    ):
        # Rounding put more of a team on a break at once than its tokens allow: place
        # the breaks again around the shifts as they are.
        left = max(time_limit - (time.perf_counter() - started), REPAIR_SECONDS)
        result = place_breaks(problem, result, time_limit=left)
    if progress and result.objective is not None:
        progress(result.seconds, result.objective, bound)
    return result


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
        p = self.layout.problem
        self.pricers = [_Pricer(p, g) for g in self.groups]
        tokens = p.breaks is not None and p.breaks.tokens is not None
        teams = sorted({g.employees[0].team for g in self.groups if tokens and g.employees[0].team})
        self.team_of = [
            teams.index(g.employees[0].team) if g.employees[0].team in teams else None
            for g in self.groups
        ]
        self.master = _Master(self.layout, self.groups, teams)
        self.rows = len(self.layout.need)

    def _values(
        self,
        duals: np.ndarray,
        team: int | None,
        cache: dict[int | None, tuple[np.ndarray, np.ndarray]],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Day values for a team's workers (their breaks priced by the team's tokens)."""
        if team not in cache:
            first = self.master.token_row + (team or 0) * self.master.slots
            tokens = (
                None
                if team is None or len(duals) <= first
                else duals[first : first + self.master.slots]
            )
            cache[team] = self.layout.day_values(duals[: self.rows], tokens)
        return cache[team]

    def price(
        self, duals: np.ndarray, first: bool = False, variants: bool = True
    ) -> tuple[int, float]:
        """Add the tours that would lower the master's cost at these duals (every
        group's best at the start): how many, and the Lagrangian correction to the
        master's value that makes it a lower bound."""
        cache: dict[int | None, tuple[np.ndarray, np.ndarray]] = {}
        added, reduced = 0, 0.0
        for g, pricer in enumerate(self.pricers):
            value, chosen = self._values(duals, self.team_of[g], cache)
            group = self.groups[g]
            if group.change is not None:
                value = value - group.change
            for off_days in pricer.variants if variants else pricer.variants[:1]:
                worth, days = pricer.best(value, off_days)
                rc = group.change_base - (worth + duals[self.rows + g])
                if not off_days:
                    reduced += len(self.groups[g].employees) * min(rc, 0.0)
                if rc >= -EPS and not first:
                    break  # the best helps not: no tour with a day off forced can
                tour = tuple((d, s, int(chosen[d, s])) for d, s in days)
                if days and (rc < -EPS or first) and (g, tour) not in self.seen:
                    self.seen.add((g, tour))
                    covered = [r for d, s, k in tour for r in self.layout.rows(d, s, k)]
                    team = self.team_of[g]
                    if team is not None:
                        slots = [t for d, s, k in tour for t in self.layout.break_slots(d, s, k)]
                        covered += self.master.token_rows(team, slots)
                    self.master.add(g, tour, covered, group.change_cost(tour))
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
        stuck, step_seconds, began = False, 0.0, time.perf_counter()
        while True:
            if step_seconds or lower.any():  # the time one step takes, smoothed
                now = time.perf_counter()
                step_seconds = (
                    0.7 * step_seconds + 0.3 * (now - began) if step_seconds else now - began
                )
                began = now
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
            # As many per step as the time left allows steps, at least 1 in DIVE_SHARE.
            steps_left = (deadline - time.perf_counter()) / max(step_seconds, 1e-3)
            ups = max(
                1, len(fractional) // DIVE_SHARE, math.ceil(part.sum() / max(steps_left, 1.0))
            )
            load = master.token_load(lower)
            rounded = 0
            for j in fractional[np.argsort(-part[fractional])]:
                g = master.tours[j][0]
                if room[g] <= 0 or not master.fits_tokens(j, load):
                    continue
                lower[j] += 1
                room[g] -= 1
                load.update(master.token_use[j])
                rounded += 1
                if rounded == ups:
                    break
            if not rounded and stuck:  # still every candidate breaks a token: take the likeliest
                lower[int(fractional[np.argmax(part[fractional])])] += 1
            stuck = not rounded  # else re-price first: new tours may fit the tokens
            master.hold_at_least(lower)
            rounds = DIVE_PRICING if master.token_use and master.cap else 1
            for _ in range(rounds):  # re-price the node, so floors keep to the tokens
                _, duals = master.solve()
                if not self.price(duals, variants=False)[0]:
                    break
            master.solve()
        return self._fill(lower.astype(int))

    def _fill(self, counts: np.ndarray) -> np.ndarray:
        """Counts that give each group exactly its head count: a dive stopped early
        leaves agents to place, one by one, on the tour with the largest fractional
        value that keeps the break tokens (the largest of all if none does)."""
        master = self.master
        values = master.tour_values()
        counts = np.concatenate([counts, np.zeros(len(values) - len(counts), dtype=int)])
        load = master.token_load(counts)
        for g, group in enumerate(self.groups):
            mine = [j for j, (h, _) in enumerate(master.tours) if h == g]
            for _ in range(len(group.employees) - int(counts[mine].sum())):
                ranked = sorted(mine, key=lambda j: counts[j] - values[j])
                j = next((k for k in ranked if master.fits_tokens(k, load)), ranked[0])
                counts[j] += 1
                load.update(master.token_use[j])
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
    first = group.employees[0].code
    locks = tuple(lock for lock in p.locks if lock.employee == first)
    previous = tuple(row for row in p.previous if row[0] == first)
    alone = replace(
        p, employees=group.employees[:1], interval_cover=(), locks=locks, previous=previous
    )
    conflicts = explain_infeasible(alone)
    return RosterResult("INFEASIBLE", {}, None, None, seconds, conflicts=conflicts)
