"""Pricing of schedule columns: for one employee, the schedule over the horizon that
keeps every hard rule of their contract and costs least against a cost per (day,
shift) worked.

An exact dynamic programme over the days. Its state after a day is what the rules
still need to know: whether the day was off (in the block of days off that opened the
horizon or a later one) or which shift was worked, how long the current block has
lasted, the minutes worked so far (in units of the greatest common divisor of the shift
lengths), the weekends worked, and the shifts worked of each type the contract caps
below the horizon. Each state holds the least cost of reaching it, one numpy array per
day; the cheapest schedule is read back from the arrays day by day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import reduce

import numpy as np
from ortools.sat.python import cp_model

from ccops.core.roster.model import build_model
from ccops.core.roster.problem import Employee, RosterProblem

OFF = -1  # a day off in a schedule
INF = math.inf
TOLERANCE = 1e-7
KIND_OFF, KIND_FIRST_OFF = 0, 1  # days off after some work; off since day 0
FIRST_SHIFT_KIND = 2  # kind 2 + s: shift s worked that day

MOST_STATES = 40_000  # beyond this, the employee's own CP-SAT model prices instead
SCALE = 10_000  # costs to integers for CP-SAT
SOLVER_LIMIT = 5.0  # seconds for one CP-SAT pricing
Schedule = tuple[int, ...]  # the shift index worked each day, OFF for a day off


@dataclass(frozen=True)
class Priced:
    """The cheapest schedule found and its cost (None when no schedule keeps the rules,
    or, when not ``exact``, when the cost is only a lower bound)."""

    cost: float
    schedule: Schedule | None
    exact: bool = True


class SchedulePricer:
    """The cheapest schedule of one employee against costs per (day, shift).

    Caps per shift type make the programme's state large, so they are tracked only once
    needed: without a cap the programme is a relaxation, exact whenever its cheapest
    schedule keeps that cap. A cap the cheapest schedule breaks is tracked from then on.
    """

    def __init__(self, problem: RosterProblem, employee: Employee) -> None:
        self.problem, self.employee = problem, employee
        self.tracked: frozenset[int] = frozenset()
        self.solver: SolverPricer | None = None
        self.programmes = {self.tracked: _Programme(problem, employee, self.tracked)}

    def cheapest(self, cost: np.ndarray, worth: float = INF) -> Priced:
        """The least-cost schedule for ``cost[day, shift]`` (a day off costs nothing).

        When even the programme without caps finds nothing cheaper than ``worth``, its
        cost is returned as a lower bound, with no schedule (``exact`` False).
        """
        bare = self.programmes[frozenset()]
        found = bare.cheapest(cost)
        if found.schedule is None or not bare.broken_caps(found.schedule):
            return found
        if found.cost >= worth:
            return Priced(found.cost, None, exact=False)
        while True:
            programme = self.programmes.get(self.tracked)
            if programme is None:
                return self._by_solver().cheapest(cost)
            found = programme.cheapest(cost)
            broken = programme.broken_caps(found.schedule) if found.schedule else set()
            if not broken:
                return found
            self.tracked = self.tracked | broken
            if self.tracked not in self.programmes:
                made = _Programme(self.problem, self.employee, self.tracked)
                if made.size <= MOST_STATES:
                    self.programmes[self.tracked] = made

    def _by_solver(self) -> SolverPricer:
        if self.solver is None:
            self.solver = SolverPricer(self.problem, self.employee)
        return self.solver


class SolverPricer:
    """The cheapest schedule by CP-SAT on the employee's own model: for contracts whose
    caps make the programme's state too large."""

    def __init__(self, problem: RosterProblem, employee: Employee) -> None:
        alone = replace(problem, employees=(employee,), requests=(), cover=())
        self.model = build_model(alone)
        self.days = problem.days

    def cheapest(self, cost: np.ndarray) -> Priced:
        model = self.model.model.clone()
        terms = []
        for (_, d, s), var in self.model.x.items():
            if math.isinf(cost[d, s]):
                domain = model.proto.variables[var.index].domain
                domain[0] = domain[1] = 0
            else:
                terms.append(
                    round(float(cost[d, s]) * SCALE)
                    * model.get_bool_var_from_proto_index(var.index)
                )
        model.minimize(sum(terms))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = SOLVER_LIMIT
        code = solver.solve(model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = code == cp_model.INFEASIBLE
            return Priced(INF if found else -INF, None, exact=found)
        schedule = [OFF] * self.days
        for (_, d, s), var in self.model.x.items():
            if solver.value(var):
                schedule[d] = s
        slack = self.days * 0.5 / SCALE  # the rounding of the costs
        bound = solver.best_objective_bound / SCALE - slack
        paid = sum(float(cost[d, s]) for d, s in enumerate(schedule) if s != OFF)
        return Priced(min(bound, paid), tuple(schedule), exact=code == cp_model.OPTIMAL)


class _Programme:
    """The dynamic programme over one employee's days (caps per shift type in the
    state or not)."""

    def __init__(self, problem: RosterProblem, employee: Employee, tracked: frozenset[int]) -> None:
        self.problem, self.employee = problem, employee
        c, days, n = employee.contract, problem.days, len(problem.shifts)
        self.allowed = np.array(
            [
                [
                    d not in employee.days_off and c.max_shifts.get(s.code, 1) > 0
                    for s in problem.shifts
                ]
                for d in range(days)
            ]
        )
        self.follows = np.array(
            [[b.code not in a.not_followed_by for b in problem.shifts] for a in problem.shifts]
        )
        self.predecessors = [
            tuple(FIRST_SHIFT_KIND + int(s) for s in np.flatnonzero(self.follows[:, t]))
            for t in range(n)
        ]
        self.unit = reduce(math.gcd, [s.minutes for s in problem.shifts])
        self.length = [s.minutes // self.unit for s in problem.shifts]
        self.longest_run = min(c.max_consecutive or days, days)
        self.least_run, self.least_off = c.min_consecutive, max(c.min_days_off, 1)
        self.runs = max(self.longest_run, self.least_off, 1)
        most = sum(max(self.length) for _ in range(days))
        self.most_units = min(
            c.max_minutes // self.unit if c.max_minutes is not None else most, most
        )
        self.least_units = -(-c.min_minutes // self.unit)
        weekends = problem.weekends()
        self.most_weekends = min(
            c.max_weekends if c.max_weekends is not None else len(weekends), len(weekends)
        )
        self.weekend_day = np.zeros(days, dtype=bool)
        self.weekend_opens = np.zeros(days, dtype=bool)  # a weekend day after a weekday
        for weekend in weekends:
            self.weekend_day[list(weekend)] = True
            self.weekend_opens[weekend[0]] = True
        self.cap = {
            s: c.max_shifts[shift.code]
            for s, shift in enumerate(problem.shifts)
            if 0 < c.max_shifts.get(shift.code, days) < int(self.allowed[:, s].sum())
        }
        self.capped = sorted(s for s in self.cap if s in tracked)
        counts = [self.cap[s] + 1 for s in self.capped]
        self.shape = (
            FIRST_SHIFT_KIND + n,
            self.runs,
            self.most_units + 1,
            self.most_weekends + 1,
            *counts,
        )

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def broken_caps(self, schedule: Schedule) -> set[int]:
        return {s for s, cap in self.cap.items() if schedule.count(s) > cap}

    def cheapest(self, cost: np.ndarray) -> Priced:
        """The least-cost schedule for ``cost[day, shift]`` (a day off costs nothing)."""
        values = self._forward(cost)
        final = values[-1].copy()
        final[:, :, : self.least_units] = INF
        if not np.isfinite(final).any():
            return Priced(INF, None)
        state = np.unravel_index(int(np.argmin(final)), final.shape)
        return Priced(
            float(final[state]), self._read_back(values, cost, tuple(int(i) for i in state))
        )

    def _start(self) -> np.ndarray:
        start = np.full(self.shape, INF)
        start[(KIND_FIRST_OFF, 0) + (0,) * (len(self.shape) - 2)] = 0.0
        return start

    def _forward(self, cost: np.ndarray) -> list[np.ndarray]:
        values = [self._start()]
        for day in range(self.problem.days):
            values.append(self._step(values[-1], day, cost))
        return values

    def _ending_runs(self, day: int) -> list[int]:
        """Run indices of a working block that may end before ``day``: long enough, or
        begun on day 0."""
        return [r - 1 for r in range(1, self.longest_run + 1) if r >= self.least_run or r == day]

    def _step(self, before: np.ndarray, day: int, cost: np.ndarray) -> np.ndarray:
        after = np.full(self.shape, INF)
        last = self.least_off - 1
        after[KIND_OFF, 1 : last + 1] = before[KIND_OFF, 0:last]
        np.minimum(after[KIND_OFF, last], before[KIND_OFF, last], out=after[KIND_OFF, last])
        ending = self._ending_runs(day)
        if ending and day > 0:
            worked = before[FIRST_SHIFT_KIND:, ending].min(axis=(0, 1))
            np.minimum(after[KIND_OFF, 0], worked, out=after[KIND_OFF, 0])
        after[KIND_FIRST_OFF, 0] = before[KIND_FIRST_OFF, 0]
        rested = np.minimum(before[KIND_OFF, last], before[KIND_FIRST_OFF, 0])
        carried: dict[tuple[int, ...], np.ndarray] = {}
        for t in (int(t) for t in np.flatnonzero(self.allowed[day])):
            kind = FIRST_SHIFT_KIND + t
            self._advance(after[kind, 0], rested, t, bool(self.weekend_day[day]), cost[day, t])
            kinds = self.predecessors[t]
            if self.longest_run > 1 and kinds:
                if kinds not in carried:
                    carried[kinds] = before[list(kinds), : self.longest_run - 1].min(axis=0)
                target = after[kind, 1 : self.longest_run]
                opens = bool(self.weekend_opens[day])
                self._advance(target, carried[kinds], t, opens, cost[day, t], offset=1)
        return after

    def _advance(
        self,
        target: np.ndarray,
        values: np.ndarray,
        shift: int,
        weekend: bool,
        price: float,
        offset: int = 0,
    ) -> None:
        """Write into ``target`` the ``values`` (resources on the axes from ``offset``)
        after working ``shift`` at ``price``: its minutes, a weekend when it opens one,
        one more of its type when capped; what goes past a limit is dropped."""
        moves = [0] * values.ndim
        moves[offset] = self.length[shift]
        moves[offset + 1] = int(weekend)
        if shift in self.capped:
            moves[offset + 2 + self.capped.index(shift)] = 1
        if any(by >= size for by, size in zip(moves, values.shape, strict=True)):
            return
        into = tuple(slice(by, None) for by in moves)
        source = tuple(slice(0, size - by) for by, size in zip(moves, values.shape, strict=True))
        np.add(values[source], price, out=target[into])

    def _read_back(
        self, values: list[np.ndarray], cost: np.ndarray, state: tuple[int, ...]
    ) -> Schedule:
        """The schedule that reaches ``state`` after the last day at its least cost."""
        schedule: list[int] = []
        for day in range(self.problem.days - 1, -1, -1):
            target = values[day + 1][state]
            best, pick = INF, None
            for previous, step_cost in self._predecessors(day, state, cost):
                gap = abs(values[day][previous] + step_cost - target)
                if gap < best:
                    best, pick = gap, previous
            assert pick is not None and best <= TOLERANCE * max(1.0, abs(target))
            kind = state[0]
            schedule.append(kind - FIRST_SHIFT_KIND if kind >= FIRST_SHIFT_KIND else OFF)
            state = pick
        return tuple(reversed(schedule))

    def _predecessors(
        self, day: int, state: tuple[int, ...], cost: np.ndarray
    ) -> list[tuple[tuple[int, ...], float]]:
        kind, run, rest = state[0], state[1], state[2:]
        last = self.least_off - 1
        if kind == KIND_FIRST_OFF:
            return [((KIND_FIRST_OFF, 0, *rest), 0.0)]
        if kind == KIND_OFF:
            found = [((KIND_OFF, run - 1, *rest), 0.0)] if run > 0 else []
            if run == last:
                found.append(((KIND_OFF, last, *rest), 0.0))
            if run == 0 and day > 0:
                for k in range(FIRST_SHIFT_KIND, self.shape[0]):
                    found += [((k, r, *rest), 0.0) for r in self._ending_runs(day)]
            return found
        t = kind - FIRST_SHIFT_KIND
        step = float(cost[day, t])
        weekend = self.weekend_day[day] if run == 0 else self.weekend_opens[day]
        earlier = list(rest)
        earlier[0] -= self.length[t]
        earlier[1] -= int(weekend)
        if t in self.capped:
            earlier[2 + self.capped.index(t)] -= 1
        if min(earlier) < 0:
            return []
        if run == 0:
            return [((KIND_OFF, last, *earlier), step), ((KIND_FIRST_OFF, 0, *earlier), step)]
        kinds = self.predecessors[t]
        return [((int(k), run - 1, *earlier), step) for k in kinds]


def schedule_breaks(problem: RosterProblem, employee: Employee, schedule: Schedule) -> list[str]:
    """The hard rules of the employee's contract that ``schedule`` breaks (empty when it
    keeps them all), stated as the benchmark checker states them."""
    c, days, shifts = employee.contract, problem.days, problem.shifts
    out = []
    worked = [s != OFF for s in schedule]
    for d, s in enumerate(schedule):
        if s == OFF:
            continue
        if d in employee.days_off:
            out.append(f"works on fixed day off {d}")
        if (
            d + 1 < days
            and schedule[d + 1] != OFF
            and shifts[schedule[d + 1]].code in shifts[s].not_followed_by
        ):
            out.append(f"banned succession on day {d}")
    for s, shift in enumerate(shifts):
        count = sum(1 for t in schedule if t == s)
        if count > c.max_shifts.get(shift.code, days):
            out.append(f"{count} {shift.code} shifts")
    minutes = sum(shifts[s].minutes for s in schedule if s != OFF)
    if minutes < c.min_minutes or (c.max_minutes is not None and minutes > c.max_minutes):
        out.append(f"{minutes} minutes")
    for start, size, value in _blocks(worked):
        inner = start > 0 and start + size < days
        if value and c.max_consecutive is not None and size > c.max_consecutive:
            out.append(f"{size} days worked in a row from {start}")
        if value and inner and size < c.min_consecutive:
            out.append(f"only {size} days worked in a row from {start}")
        if not value and inner and size < c.min_days_off:
            out.append(f"only {size} days off in a row from {start}")
    weekends = sum(any(worked[d] for d in w) for w in problem.weekends())
    if c.max_weekends is not None and weekends > c.max_weekends:
        out.append(f"{weekends} weekends")
    return out


def _blocks(flags: list[bool]) -> list[tuple[int, int, bool]]:
    """(first day, length, value) of each maximal block of equal days."""
    found: list[tuple[int, int, bool]] = []
    for day, flag in enumerate(flags):
        if found and found[-1][2] == flag and found[-1][0] + found[-1][1] == day:
            first, size, _ = found[-1]
            found[-1] = (first, size + 1, flag)
        else:
            found.append((day, 1, flag))
    return found
