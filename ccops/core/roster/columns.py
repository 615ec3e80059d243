"""The schedule-column engine for rosters with daily cover only (the benchmark kind).

Each employee works exactly one schedule of the horizon; a schedule keeps every hard
rule of their contract and costs its shift-on and shift-off requests. The linear master
(HiGHS) picks a mix of schedules per employee and pays for each person short of or above
each day's cover; pricing (`pricing.py`) finds for every employee the schedule of least
reduced cost at the master's duals. Column generation gives the Lagrangian lower bound
while it runs and the linear bound when it converges (within 0.3 % of the optimum on
benchmark instances 5-12, but 8 % short on instance 1). Integer rosters come from dives
(the days, or the whole schedules, the master uses most are held and the master re-priced)
and from the master's schedules as a mixed-integer programme started from the incumbent.
"""

from __future__ import annotations

import math
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from ccops.core.roster.pricing import OFF, Schedule, SchedulePricer
from ccops.core.roster.problem import RosterProblem

Assignment = dict[tuple[str, int], str]
Stop = Callable[[], bool]
EPS = 1e-6
DIVE_ROUNDS = 5  # pricing rounds after each step of a dive, unless the root was quick:
QUICK_ROOT = 0.05  # of the engine's time, for the root relaxation
Fixings = dict[int, dict[int, int]]  # employee -> day -> shift index or OFF


def suits_columns(problem: RosterProblem) -> bool:
    """Whether the problem is of the kind the column engine models exactly: cover per
    day and shift, requests, and the contract rules of the benchmark, nothing more."""
    if problem.interval_cover or problem.breaks or problem.lunch or problem.locks:
        return False
    if problem.previous or problem.fairness.weight or problem.min_rest_minutes:
        return False
    if any(c.present for c in problem.cover):
        return False
    return all(
        e.contract.days_per_week is None
        and not e.shift_class
        and not e.unavailable
        and e.contract.min_consecutive >= 1
        for e in problem.employees
    )


@dataclass
class Requests:
    """An employee's requests as a cost per schedule: ``base`` (every shift-on request
    unmet) plus ``per_shift[day, shift]`` for each shift worked."""

    base: float
    per_shift: np.ndarray

    def cost(self, schedule: Schedule) -> float:
        return self.base + sum(
            float(self.per_shift[d, s]) for d, s in enumerate(schedule) if s != OFF
        )


def requests_of(problem: RosterProblem) -> list[Requests]:
    index = {e.code: i for i, e in enumerate(problem.employees)}
    shifts = {s.code: i for i, s in enumerate(problem.shifts)}
    out = [Requests(0.0, np.zeros((problem.days, len(problem.shifts)))) for _ in problem.employees]
    for r in problem.requests:
        mine = out[index[r.employee]]
        if r.on:
            mine.base += r.weight
            mine.per_shift[r.day, shifts[r.shift]] -= r.weight
        else:
            mine.per_shift[r.day, shifts[r.shift]] += r.weight
    return out


@dataclass
class Column:
    employee: int
    schedule: Schedule
    cost: float


class Master:
    """The linear master on HiGHS: a convexity row per employee, a cover row per cover
    entry with its under and over slacks at their weights, a column per schedule."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        self.people = len(problem.employees)
        shifts = {s.code: i for i, s in enumerate(problem.shifts)}
        self.cover_rows: dict[tuple[int, int], list[int]] = {}
        for r, c in enumerate(problem.cover):
            self.cover_rows.setdefault((c.day, shifts[c.shift]), []).append(self.people + r)
        self.h = quiet_highs()
        self.h.setOptionValue("presolve", "off")  # keeps the basis warm between rounds
        self.h.setOptionValue("simplex_strategy", 4)  # primal: new columns keep it feasible
        need = np.array([1.0] * self.people + [float(c.required) for c in problem.cover])
        self.h.addRows(len(need), need, need, 0, _ints([]), _ints([]), np.zeros(0))
        rows = len(problem.cover)
        at = _ints(range(self.people, self.people + rows))
        for sign, weights in (
            (1.0, [c.under_weight for c in problem.cover]),
            (-1.0, [c.over_weight for c in problem.cover]),
        ):
            self.h.addCols(
                rows,
                np.array(weights, dtype=float),
                np.zeros(rows),
                np.full(rows, highspy.kHighsInf),
                rows,
                _ints(range(rows)),
                at,
                np.full(rows, sign),
            )
        self.first_column = 2 * rows
        self.columns: list[Column] = []
        self.known: set[tuple[int, Schedule]] = set()

    def rows_of(self, column: Column) -> list[int]:
        rows = [column.employee]
        for d, s in enumerate(column.schedule):
            if s != OFF:
                rows.extend(self.cover_rows.get((d, s), ()))
        return rows

    def add(self, column: Column) -> bool:
        """Add a schedule unless the master has it already."""
        key = (column.employee, column.schedule)
        if key in self.known:
            return False
        self.known.add(key)
        rows = self.rows_of(column)
        self.h.addCol(
            column.cost, 0.0, highspy.kHighsInf, len(rows), _ints(rows), np.ones(len(rows))
        )
        self.columns.append(column)
        return True

    def solution_of(self, roster: list[Column]) -> highspy.HighsSolution:
        """Every column's value for a roster of the master's schedules: its schedules
        at 1, the others at 0, the cover slacks at what it leaves short or over."""
        chosen = {id(c) for c in roster}
        values = [float(id(c) in chosen) for c in self.columns]
        have = np.zeros(len(self.problem.cover))
        for c in roster:
            for row in self.rows_of(c)[1:]:
                have[row - self.people] += 1.0
        need = np.array([float(c.required) for c in self.problem.cover])
        solution = highspy.HighsSolution()
        solution.col_value = [
            *np.maximum(need - have, 0.0),
            *np.maximum(have - need, 0.0),
            *values,
        ]
        solution.value_valid = True
        return solution

    def solve(self) -> tuple[float, np.ndarray]:
        """The linear optimum and the row duals."""
        self.h.run()
        value = self.h.getInfo().objective_function_value
        return value, np.array(self.h.getSolution().row_dual)

    def values(self) -> np.ndarray:
        return np.array(self.h.getSolution().col_value)[self.first_column :]

    def hold(self, fixed: Fixings) -> None:
        """Forbid every column that breaks a fixing; free the others again."""
        count = len(self.columns)
        if not count:
            return
        upper = np.array(
            [
                0.0 if _breaks(c, fixed.get(c.employee, {})) else highspy.kHighsInf
                for c in self.columns
            ]
        )
        index = _ints(range(self.first_column, self.first_column + count))
        self.h.changeColsBounds(count, index, np.zeros(count), upper)


def _breaks(column: Column, days: dict[int, int]) -> bool:
    return any(column.schedule[d] != s for d, s in days.items())


def _ints(values: object) -> np.ndarray:
    return np.array(list(values), dtype=np.int32)  # type: ignore[call-overload]


def quiet_highs() -> highspy.Highs:
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


@dataclass
class ColumnOutcome:
    """What the column engine found: a roster (None if none), its cost, and a lower
    bound on every roster's cost."""

    assignment: Assignment | None
    cost: int | None
    bound: float
    converged: bool = False


@dataclass
class Generation:
    """Column generation on one problem: the master, a pricer per employee."""

    problem: RosterProblem
    deadline: float
    stop: Stop | None = None
    master: Master = field(init=False)
    pricers: list[SchedulePricer] = field(init=False)
    requests: list[Requests] = field(init=False)
    bound: float = 0.0
    converged: bool = False
    dive_rounds: int | None = DIVE_ROUNDS

    def __post_init__(self) -> None:
        self.master = Master(self.problem)
        self.pricers = [SchedulePricer(self.problem, e) for e in self.problem.employees]
        self.requests = requests_of(self.problem)

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def halted(self) -> bool:
        return time.perf_counter() >= self.deadline or bool(self.stop and self.stop())

    def costs(self, e: int, cover: np.ndarray, fixed: Fixings) -> np.ndarray:
        """Employee ``e``'s cost per (day, shift) worked at these cover duals; a fixed
        day allows only its fixed shift (or no shift)."""
        cost: np.ndarray = self.requests[e].per_shift - cover
        for d, s in fixed.get(e, {}).items():
            keep = cost[d, s] if s != OFF else math.inf
            cost[d, :] = math.inf
            if s != OFF:
                cost[d, s] = keep
        return cost

    def price(self, duals: np.ndarray, fixed: Fixings) -> tuple[int, float]:
        """Add each employee's cheapest schedule when it lowers the master's cost: (columns
        added, the sum of the least reduced costs); (-1, -inf) when an employee has no
        schedule at all."""
        cover = np.zeros((self.problem.days, len(self.problem.shifts)))
        for (d, s), rows in self.master.cover_rows.items():
            cover[d, s] = duals[rows].sum()
        added, least = 0, 0.0
        for e, pricer in enumerate(self.pricers):
            if len(fixed.get(e, {})) == self.problem.days:
                continue  # held to one schedule
            constant = self.requests[e].base - duals[e]
            priced = pricer.cheapest(self.costs(e, cover, fixed), worth=-EPS - constant)
            if priced.schedule is None and priced.exact:
                return -1, -math.inf
            reduced = constant + priced.cost
            least += min(reduced, 0.0)
            if priced.schedule is not None and reduced < -EPS:
                column = Column(e, priced.schedule, self.requests[e].cost(priced.schedule))
                added += self.master.add(column)
        return added, least

    def relax(self, fixed: Fixings | None = None, rounds: int | None = None) -> float:
        """Generate columns until none lowers the master (or time is up, or after
        ``rounds`` rounds): the master's linear value, with the bound raised by each
        round's Lagrangian bound. ``converged`` says whether no column was left."""
        self.master.hold(fixed or {})
        self.converged = False
        done = 0
        while True:
            value, duals = self.master.solve()
            added, least = self.price(duals, fixed or {})
            if added < 0:
                return math.inf
            if not fixed:
                self.bound = max(self.bound, value + least)
            if added == 0:
                self.converged = True
                if not fixed:
                    self.bound = max(self.bound, value)
                return value
            done += 1
            if self.halted() or (rounds is not None and done >= rounds):
                return value


def best_mix(
    master: Master, time_limit: float, start: list[Column] | None = None
) -> list[Column] | None:
    """The cheapest roster made of the master's schedules, one per employee, from the
    master as a mixed-integer programme on HiGHS within ``time_limit`` seconds, started
    from ``start`` (None when none is found in time)."""
    h = master.h
    count = len(master.columns)
    index = _ints(range(master.first_column, master.first_column + count))
    h.changeColsIntegrality(count, index, np.array([highspy.HighsVarType.kInteger] * count))
    h.setOptionValue("time_limit", max(time_limit, 0.1))
    h.setOptionValue("presolve", "on")
    if start:
        h.setSolution(master.solution_of(start))
    try:
        h.run()
        values = np.array(h.getSolution().col_value)[master.first_column :]
        found = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
    finally:
        continuous = np.array([highspy.HighsVarType.kContinuous] * count)
        h.changeColsIntegrality(count, index, continuous)
        h.setOptionValue("time_limit", highspy.kHighsInf)
        h.setOptionValue("presolve", "off")
    if not found:
        return None
    return [c for c, v in zip(master.columns, values, strict=True) if v > 0.5]


def assignment_of(problem: RosterProblem, columns: list[Column]) -> Assignment:
    return {
        (problem.employees[c.employee].code, d): problem.shifts[s].code
        for c in columns
        for d, s in enumerate(c.schedule)
        if s != OFF
    }


def dive(
    gen: Generation, rnd: random.Random, ceiling: float, noise: float = 1e-3
) -> list[Column] | None:
    """A roster by diving: hold the employees whose schedules the master uses most to
    those schedules (a tenth of those left, ties broken at random, and every schedule
    used whole), re-price a few rounds, and again until everyone is held; given up when
    the master's value proves no roster below ``ceiling`` (the incumbent) or time is
    up."""
    fixed: Fixings = {}
    held: dict[int, Column] = {}
    while len(held) < gen.master.people:
        value = gen.relax(fixed, gen.dive_rounds)
        if (gen.converged and math.ceil(value - EPS) >= ceiling) or gen.halted():
            return None
        use = gen.master.values()
        free = sorted(
            (
                (v + noise * rnd.random(), j)
                for j, v in enumerate(use)
                if gen.master.columns[j].employee not in held and v > EPS
            ),
            reverse=True,
        )
        step = max(1, round(DIVE_STEP * (gen.master.people - len(held))))
        for rank, (v, j) in enumerate(free):
            column = gen.master.columns[j]
            if column.employee not in held and (rank < step or v > 1 - 1e-6):
                held[column.employee] = column
                fixed[column.employee] = dict(enumerate(column.schedule))
    return list(held.values())


def dive_days(
    gen: Generation, rnd: random.Random, ceiling: float, noise: float = 1e-3
) -> list[Column] | None:
    """A roster by diving on days: hold every (employee, day) the master settles whole,
    and the most settled of the others (a tenth of them, ties broken at random), to
    what the master works on them; re-price, and again until one schedule per employee
    is left; given up when the master proves no roster below ``ceiling``."""
    fixed: Fixings = {}
    while True:
        value = gen.relax(fixed, gen.dive_rounds)
        if (gen.converged and math.ceil(value - EPS) >= ceiling) or gen.halted():
            return None
        use = gen.master.values()
        shares: dict[tuple[int, int], dict[int, float]] = {}
        chosen: dict[int, Column] = {}
        for column, v in zip(gen.master.columns, use, strict=True):
            if v > EPS:
                chosen[column.employee] = column
                for d, s in enumerate(column.schedule):
                    day = shares.setdefault((column.employee, d), {})
                    day[s] = day.get(s, 0.0) + v
        if all(max(day.values()) > 1 - 1e-6 for day in shares.values()):
            return [chosen[e] for e in sorted(chosen)]
        open_days = []
        for (e, d), day in shares.items():
            s, share = max(day.items(), key=lambda kv: kv[1])
            if d not in fixed.get(e, {}):
                open_days.append((share + noise * rnd.random(), e, d, s))
        open_days.sort(reverse=True)
        step = max(1, round(DIVE_STEP * sum(share < 1 - 1e-6 for share, *_ in open_days)))
        for rank, (share, e, d, s) in enumerate(open_days):
            if share > 1 - 1e-6 or rank < step:
                fixed.setdefault(e, {})[d] = s


Dive = Callable[[Generation, random.Random, float, float], list[Column] | None]
DIVES: dict[str, Dive] = {"days": dive_days, "schedules": dive}
DIVE_NOISE, MOST_NOISE = 0.05, 0.3  # random weight added to shares, growing per dive
DIVE_STEP = 0.2  # of the employees left, held at each step of a dive
MIP_EVERY = 3  # dives between two mixed-integer solves of the master's schedules
MIP_SHARE = 0.25  # of the time left for one mixed-integer solve


@dataclass
class _Incumbent:
    problem: RosterProblem
    progress: Callable[[float, float], None] | None
    bound: float = 0.0
    columns: list[Column] | None = None
    cost: float = math.inf

    def offer(self, columns: list[Column] | None) -> None:
        if columns is None or len(columns) != len(self.problem.employees):
            return
        cost = self.problem.cost(assignment_of(self.problem, columns))
        if cost < self.cost:
            self.columns, self.cost = columns, cost
            if self.progress:
                self.progress(cost, self.bound)


class ColumnEngine:
    """Column generation to the linear bound, then rosters from the master's schedules
    (mixed-integer solves) and from dives; ``progress`` hears each better roster's cost,
    with the bound."""

    def __init__(
        self,
        problem: RosterProblem,
        *,
        seed: int = 0,
        stop: Stop | None = None,
        progress: Callable[[float, float], None] | None = None,
    ) -> None:
        self.problem = problem
        self.gen = Generation(problem, math.inf, stop)
        self.best = _Incumbent(problem, progress)
        self.rnd = random.Random(seed)  # noqa: S311 -- dive order, not secrets
        self.dives = 0
        self.converged = False
        self.found = {"days": math.inf, "schedules": math.inf}  # each kind's best dive
        self.tried = {"days": 0, "schedules": 0}

    @property
    def floor(self) -> int:
        """The least cost a roster can have, as proven so far."""
        return math.ceil(self.gen.bound - EPS)

    def relax(self, deadline: float) -> bool:
        """Generate columns to the linear optimum (or the deadline); False when some
        employee has no schedule that keeps their rules."""
        self.gen.deadline = deadline
        began = time.perf_counter()
        if self.gen.relax() == math.inf:
            return False
        self.converged = self.gen.converged
        if time.perf_counter() - began <= QUICK_ROOT * (deadline - began):
            self.gen.dive_rounds = None  # re-pricing to the optimum is cheap: dive exactly
        self.gen.master.hold({})
        self.best.bound = float(self.floor)
        return True

    def take(self, assignment: Assignment) -> None:
        """A roster found elsewhere: its schedules join the master, and it is the
        incumbent when cheaper."""
        codes = {e.code: i for i, e in enumerate(self.problem.employees)}
        shifts = {s.code: i for i, s in enumerate(self.problem.shifts)}
        plans = [[OFF] * self.problem.days for _ in self.problem.employees]
        for (code, day), shift in assignment.items():
            plans[codes[code]][day] = shifts[shift]
        columns = []
        for e, plan in enumerate(plans):
            schedule = tuple(plan)
            columns.append(Column(e, schedule, self.gen.requests[e].cost(schedule)))
            self.gen.master.add(columns[-1])
        known = {(c.employee, c.schedule): c for c in self.gen.master.columns}
        self.best.offer([known[c.employee, c.schedule] for c in columns])

    def round(self, deadline: float, steps: int | None = None) -> None:
        """Rosters until ``deadline``, ``stop``, ``steps`` steps or one that meets the
        bound: a dive on days and one on schedules, then dives of the kind that found
        the cheaper roster (which does better varies from problem to problem), and
        every few dives a mixed-integer solve of the master's schedules from the
        incumbent."""
        gen, best = self.gen, self.best
        gen.deadline = deadline
        done = 0
        while best.cost > self.floor and not gen.halted() and done != steps:
            if self.dives % MIP_EVERY == MIP_EVERY - 1:
                best.offer(best_mix(gen.master, MIP_SHARE * gen.left(), best.columns))
            else:
                kind = min(self.found, key=lambda k: (self.tried[k] > 0, self.found[k]))
                # Later dives take more of a chance, so that they do not repeat the first.
                noise = min(DIVE_NOISE * self.tried[kind], MOST_NOISE)
                found = DIVES[kind](gen, self.rnd, best.cost, noise or 1e-3)
                gen.master.hold({})
                best.offer(found)
                if found:
                    cost = self.problem.cost(assignment_of(self.problem, found))
                    self.found[kind] = min(self.found[kind], cost)
                self.tried[kind] += 1
            self.dives += 1
            done += 1

    def outcome(self) -> ColumnOutcome:
        best = self.best
        assignment = assignment_of(self.problem, best.columns) if best.columns else None
        cost = int(best.cost) if best.columns else None
        return ColumnOutcome(assignment, cost, self.gen.bound, self.converged)


def roster_by_columns(
    problem: RosterProblem,
    deadline: float,
    *,
    seed: int = 0,
    stop: Stop | None = None,
    progress: Callable[[float, float], None] | None = None,
) -> ColumnOutcome:
    """The column engine alone until ``deadline``: its bound and best roster."""
    engine = ColumnEngine(problem, seed=seed, stop=stop, progress=progress)
    if engine.relax(deadline):
        engine.round(deadline)
    return engine.outcome()
