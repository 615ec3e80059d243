"""Solve a roster model under a time limit and say what came out, in a planner's terms."""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from ccops.core.roster.columns import ColumnEngine, suits_columns
from ccops.core.roster.model import Penalty, RosterModel, build_model
from ccops.core.roster.problem import MINUTES_A_DAY, IntervalCover, Lock, RosterProblem
from ccops.core.words import gettext_noop

STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}
Progress = Callable[[float, float, float], None]  # seconds, objective, bound
Stop = Callable[[], bool]  # True when the user cancelled


@dataclass(frozen=True)
class PenaltyPaid:
    """A soft rule bent in the roster: which, for whom, when, and what it cost."""

    rule: str
    cost: int
    employee: str | None
    day: int | None
    shift: str | None
    words: str


RULE_WORDS = {
    "rest": gettext_noop("the rest needed between shifts"),
    "shift_caps": gettext_noop("the cap on shifts of each type"),
    "max_minutes": gettext_noop("the most minutes over the period"),
    "min_minutes": gettext_noop("the fewest minutes over the period"),
    "days_per_week": gettext_noop("the working days each week"),
    "max_consecutive": gettext_noop("the most working days in a row"),
    "min_consecutive": gettext_noop("the fewest working days in a row"),
    "min_days_off": gettext_noop("the fewest days off in a row"),
    "max_weekends": gettext_noop("the most weekends worked"),
    "locked": gettext_noop("the days fixed by hand"),
    "friendly_class": gettext_noop("their employee-friendly shift class or unavailable times"),
    "skills": gettext_noop("the seat types they are skilled for"),
}


CONFLICT_WORDS = gettext_noop("%(employee)s: %(rules)s cannot all hold with the days off given")


@dataclass(frozen=True)
class Conflict:
    """Hard rules of one employee that cannot all hold (with their fixed days off)."""

    employee: str
    rules: tuple[str, ...]

    @property
    def words(self) -> str:
        named = [RULE_WORDS.get(rule, rule) for rule in self.rules]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        return CONFLICT_WORDS % {"employee": self.employee, "rules": listed}


@dataclass(frozen=True)
class RosterResult:
    """The outcome of one solve.

    ``status`` is OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN (no roster found in time);
    ``assignment`` maps (employee, day) to the shift worked (days off are absent).
    """

    status: str
    assignment: dict[tuple[str, int], str]
    objective: int | None
    lower_bound: float | None
    seconds: float
    penalties: tuple[PenaltyPaid, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    # (employee, day) -> when each break starts, minutes from that day's midnight
    breaks: dict[tuple[str, int], tuple[int, ...]] = field(default_factory=dict)
    lunches: dict[tuple[str, int], int] = field(default_factory=dict)  # start, same clock

    @property
    def gap(self) -> float | None:
        """Relative distance between the roster and the bound (0 when proven optimal)."""
        if self.objective is None or self.lower_bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(self.objective - self.lower_bound, 0.0) / self.objective


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each better roster of a whole-model search and stops it on request."""

    def __init__(self, started: float, progress: Progress | None, stop: Stop | None) -> None:
        super().__init__()
        self.started, self.progress, self.stop = started, progress, stop
        self.best = math.inf  # the cheapest roster reported so far
        self.floor = 0.0  # a bound proven elsewhere (the column engine's)

    def report(self, cost: float, bound: float) -> None:
        """Tell ``progress`` of a roster, if it is better than any before."""
        if self.progress and cost < self.best:
            self.progress(time.perf_counter() - self.started, cost, max(bound, self.floor))
        self.best = min(self.best, cost)

    def on_solution_callback(self) -> None:
        self.report(self.objective_value, self.best_objective_bound)
        if self.stop and self.stop():
            self.stop_search()


Assignment = dict[tuple[str, int], str]
Breaks = dict[tuple[str, int], tuple[int, ...]]  # (employee, day) -> break moments from day 0
Lunches = dict[tuple[str, int], int]  # (employee, day) -> lunch start from day 0
FIRST_SHARE = 0.6  # of the time limit for the whole-model search; the rest improves it
SUB_LIMIT = 1.0  # seconds for one neighbourhood
# Where the column engine applies, of the time limit: for the whole model hinted with the
# engine's first roster; until the end of the engine's dives (LNS after that).
HINTED_SHARE, COLUMN_SHARE = 0.1, 0.8


def _solver(limit: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(limit, 0.05)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    return solver


def _breaks(m: RosterModel, solver: cp_model.CpSolver) -> Breaks:
    p = m.problem
    taken: dict[tuple[str, int], list[int]] = {}
    for (e, d, _, moment), var in m.breaks.items():
        if solver.boolean_value(var):
            taken.setdefault((p.employees[e].code, d), []).append(moment)
    return {key: tuple(sorted(moments)) for key, moments in taken.items()}


def _lunches(m: RosterModel, solver: cp_model.CpSolver) -> Lunches:
    p = m.problem
    return {
        (p.employees[e].code, d): moment
        for (e, d, _, moment), var in m.lunches.items()
        if solver.boolean_value(var)
    }


def away_moments(p: RosterProblem, breaks: Breaks, lunches: Lunches) -> Breaks:
    """Every interval start at which each person is on a break or at lunch."""
    away = {key: list(moments) for key, moments in breaks.items()}
    step, length = p.interval_minutes, p.lunch.minutes if p.lunch else 0
    for key, start in lunches.items():
        away.setdefault(key, []).extend(range(start, start + length, step))
    return {key: tuple(sorted(moments)) for key, moments in away.items()}


def _assignment(m: RosterModel, solver: cp_model.CpSolver) -> Assignment:
    p = m.problem
    return {
        (p.employees[e].code, d): p.shifts[s].code
        for (e, d, s), var in m.x.items()
        if solver.boolean_value(var)
    }


@dataclass
class _Search:
    """The incumbent roster, its cost and the proven lower bound."""

    m: RosterModel
    workers: int
    deadline: float
    best: Assignment | None = None
    breaks: Breaks = field(default_factory=dict)
    lunches: Lunches = field(default_factory=dict)
    objective: float = float("inf")
    bound: float = 0.0
    proven: bool = False

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def done(self) -> bool:
        return self.proven or self.objective <= math.ceil(self.bound - 1e-6)

    def whole(self, limit: float, seed: int, watcher: _Watcher) -> None:
        """Search the whole model, with the LP worker that also proves the bound; hinted
        with the incumbent, whose place its roster takes only when cheaper."""
        solver = _solver(min(limit, self.left()), self.workers, seed)
        solver.parameters.subsolvers.append("max_lp")
        if self.best is not None:
            self._hint(self.best)
        code = solver.solve(self.m.model, watcher)
        self.m.model.clear_hints()  # type: ignore[no-untyped-call]
        self.bound = max(self.bound, solver.best_objective_bound)
        self.proven = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE, cp_model.MODEL_INVALID)
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if found and solver.objective_value < self.objective:
            self.objective = solver.objective_value
            self.best = _assignment(self.m, solver)
            self.breaks = _breaks(self.m, solver)
            self.lunches = _lunches(self.m, solver)
        if self.proven and self.best is not None:
            self.bound = max(self.bound, min(self.objective, solver.best_objective_bound))

    def _hint(self, roster: Assignment) -> None:
        p = self.m.problem
        for (e, d, s), var in self.m.x.items():
            self.m.model.add_hint(
                var, int(roster.get((p.employees[e].code, d)) == p.shifts[s].code)
            )

    def pick(self, rnd: random.Random, size: float) -> tuple[list[int], range]:
        """About ``size`` employees' worth of days to re-optimise: whole rosters of a few
        employees, or a window of days of more of them."""
        p = self.m.problem
        people, days = len(p.employees), p.days
        if rnd.random() < 0.5:
            return rnd.sample(range(people), min(max(round(size), 1), people)), range(days)
        width = min(days, 3 + rnd.randrange(12))
        count = min(max(round(size * days / width), 1), people)
        first = rnd.randrange(days - width + 1)
        return rnd.sample(range(people), count), range(first, first + width)

    def improve(self, chosen: list[int], window: range, seed: int) -> tuple[bool, bool]:
        """Re-optimise the chosen employees on the window, everyone else as they are:
        (improved the incumbent, finished the search)."""
        assert self.best is not None
        p = self.m.problem
        keep = {p.employees[e].code for e in chosen}
        present = Counter(
            (day, shift) for (code, day), shift in self.best.items() if code not in keep
        )
        away = away_moments(p, self.breaks, self.lunches)
        sub = replace(
            p,
            employees=tuple(p.employees[e] for e in sorted(chosen)),
            requests=tuple(r for r in p.requests if r.employee in keep),
            locks=tuple(lock for lock in p.locks if lock.employee in keep),
            previous=tuple(row for row in p.previous if row[0] in keep),
            cover=tuple(replace(c, present=c.present + present[c.day, c.shift]) for c in p.cover),
            interval_cover=_with_present(p, self.best, away, keep),
        )
        mine = {key: shift for key, shift in self.best.items() if key[0] in keep}
        mine_breaks = {key: taken for key, taken in self.breaks.items() if key[0] in keep}
        mine_lunches = {key: start for key, start in self.lunches.items() if key[0] in keep}
        before = sub.cost(mine, away_moments(p, mine_breaks, mine_lunches))
        sm = build_model(sub)
        sm.model.clear_hints()  # type: ignore[no-untyped-call]  # start from the incumbent
        variables = sm.model.proto.variables
        for (i, d, s), var in sm.x.items():
            value = int(mine.get((sub.employees[i].code, d)) == sub.shifts[s].code)
            sm.model.add_hint(var, value)
            if d not in window:
                domain = variables[var.index].domain
                domain[0] = domain[1] = value
        for (i, d, s, moment), var in sm.breaks.items():
            person = sub.employees[i].code
            held = mine.get((person, d)) == sub.shifts[s].code
            sm.model.add_hint(var, int(held and moment in mine_breaks.get((person, d), ())))
        for (i, d, s, moment), var in sm.lunches.items():
            person = sub.employees[i].code
            held = mine.get((person, d)) == sub.shifts[s].code
            sm.model.add_hint(var, int(held and mine_lunches.get((person, d)) == moment))
        solver = _solver(min(SUB_LIMIT, self.left()), self.workers, seed)
        code = solver.solve(sm.model)
        finished = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False, finished
        if solver.objective_value > before - 0.5:
            return False, finished
        self.best = {k: v for k, v in self.best.items() if k[0] not in keep}
        self.best.update(_assignment(sm, solver))
        self.breaks = {k: v for k, v in self.breaks.items() if k[0] not in keep}
        self.breaks.update(_breaks(sm, solver))
        self.lunches = {k: v for k, v in self.lunches.items() if k[0] not in keep}
        self.lunches.update(_lunches(sm, solver))
        self.objective -= before - solver.objective_value
        return True, finished


def _with_present(
    p: RosterProblem, roster: Assignment, breaks: Breaks, keep: set[str]
) -> tuple[IntervalCover, ...]:
    """The interval cover with the people on duty (and not on a break) from outside
    ``keep``."""
    if not p.interval_cover:
        return ()
    on: Counter[tuple[str, int]] = Counter()
    step = p.interval_minutes
    for (code, d), s in roster.items():
        if code not in keep:
            shift = p.shift(s)
            begin, end = shift.span(d)
            off = set(breaks.get((code, d), ()))
            on.update((shift.skill, t) for t in range(-(-begin // step) * step, end, step))
            on.subtract((shift.skill, t) for t in off)

    def present(c: IntervalCover) -> int:
        return on[c.skill, c.moment]

    return tuple(replace(c, present=c.present + present(c)) for c in p.interval_cover)


def solve(
    problem: RosterProblem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
    stop: Stop | None = None,
) -> RosterResult:
    """The best roster found within ``time_limit`` seconds on ``workers`` threads.

    ``progress`` hears of each better roster (seconds, cost, bound; the column engine
    tells its bound first, with an infinite cost); ``stop`` is asked
    now and then and ends the search early when it answers True.

    A problem with daily cover only (the benchmark kind) starts from the schedule-column
    engine (`columns.py`), which proves the linear bound and rounds it into a roster.
    Otherwise the whole model is searched first (which also proves a lower bound); then, until
    the time is up or the roster is proven optimal, large-neighbourhood search re-solves
    a few employees' rosters (or a window of days of more of them) as a small model of
    their own, everyone else held as they are.
    """
    started = time.perf_counter()
    m = build_model(problem)
    search = _Search(m, workers, started + time_limit)
    watcher = _Watcher(started, progress, stop)
    if suits_columns(problem):
        _search_with_columns(search, started, time_limit, seed, watcher)
    if search.best is None and not search.done():
        search.whole(FIRST_SHARE * search.left(), seed, watcher)
    rnd = random.Random(seed)  # noqa: S311 -- search neighbourhoods, not secrets
    size = 3.0
    while search.best is not None and not search.done() and search.left() > 0.1:
        if stop and stop():
            break
        chosen, window = search.pick(rnd, size)
        improved, finished = search.improve(chosen, window, rnd.randrange(1 << 30))
        if improved and progress:
            progress(time.perf_counter() - started, search.objective, search.bound)
        # Grow neighbourhoods the solver clears in time, shrink those it cannot.
        size = min(size * 1.05, len(problem.employees)) if finished else max(size / 1.2, 1.0)
    return _final(search, time.perf_counter() - started)


def _search_with_columns(
    search: _Search,
    started: float,
    time_limit: float,
    seed: int,
    watcher: _Watcher,
) -> None:
    """The column engine's bound and rosters as the search's start: column generation
    and a first roster from its schedules; the whole model hinted with that roster (its
    own bound proves small problems, where the linear one falls short); then the column
    engine's dives, from the better of the two rosters."""

    def heard(cost: float, bound: float) -> None:
        watcher.floor = max(watcher.floor, bound)
        watcher.report(cost, bound)

    engine = ColumnEngine(search.m.problem, seed=seed, stop=watcher.stop, progress=heard)
    last = started + COLUMN_SHARE * time_limit
    if not engine.relax(last):
        return  # someone has no schedule: the whole model explains why
    watcher.floor = float(engine.floor)
    if watcher.progress:  # the bound, before any roster
        watcher.progress(time.perf_counter() - started, math.inf, watcher.floor)
    engine.round(last, steps=1)
    _take(search, engine)
    if search.done():
        return
    search.whole(HINTED_SHARE * time_limit, seed, watcher)
    if search.best is not None and not search.done():
        engine.take(search.best)
        engine.round(last)
        _take(search, engine)


def _take(search: _Search, engine: ColumnEngine) -> None:
    outcome = engine.outcome()
    search.bound = max(search.bound, float(engine.floor))
    if outcome.assignment is not None and outcome.cost is not None:
        if outcome.cost < search.objective:
            search.best, search.objective = outcome.assignment, float(outcome.cost)


def place_breaks(
    problem: RosterProblem, result: RosterResult, *, time_limit: float = 30.0, workers: int = 2
) -> RosterResult:
    """The roster's shifts as they are, with breaks and lunches placed again so that every
    rule of ``problem`` on them holds (break tokens, FLOOR-02) and cover is best; the
    roster's breaks are the starting point. Keeps the result's lower bound."""
    worked: dict[str, set[str]] = {}
    for (person, _), shift in result.assignment.items():
        worked.setdefault(person, set()).add(shift)
    people = tuple(
        replace(
            e,
            days_off=frozenset(
                d for d in range(problem.days) if (e.code, d) not in result.assignment
            ),
            contract=replace(
                e.contract,
                max_shifts={
                    s.code: 0 for s in problem.shifts if s.code not in worked.get(e.code, ())
                },
            ),
        )
        for e in problem.employees
    )
    locks = tuple(Lock(code, day, shift) for (code, day), shift in result.assignment.items())
    m = build_model(replace(problem, employees=people, locks=locks))
    codes = [e.code for e in problem.employees]
    for (e, d, _, moment), var in m.breaks.items():
        held = result.breaks.get((codes[e], d), ())
        m.model.add_hint(var, int(moment - d * MINUTES_A_DAY in held))
    for (e, d, _, moment), var in m.lunches.items():
        m.model.add_hint(var, int(result.lunches.get((codes[e], d)) == moment - d * MINUTES_A_DAY))
    solver = _solver(time_limit, workers, 0)
    placed = _result(m, solver, solver.solve(m.model), result.seconds + solver.wall_time)
    if not placed.assignment:
        return placed
    bound, cost = result.lower_bound, placed.objective
    proven = bound is not None and cost is not None and cost <= math.ceil(bound - 1e-6)
    return replace(placed, status="OPTIMAL" if proven else "FEASIBLE", lower_bound=bound)


def explain_infeasible(problem: RosterProblem, *, time_limit: float = 10.0) -> tuple[Conflict, ...]:
    """Which employees' hard rules cannot all hold, from an infeasible core of the
    model with each (rule, employee) behind an assumed guard (empty if none is found)."""
    m = build_model(problem, explain=True)
    m.model.clear_objective()  # type: ignore[no-untyped-call]
    m.model.add_assumptions(list(m.guards))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1  # cores of assumptions need a single worker
    if solver.solve(m.model) != cp_model.INFEASIBLE:
        return ()
    by_index = {guard.index: key for guard, key in m.guards.items()}
    rules: dict[str, list[str]] = {}
    for index in solver.sufficient_assumptions_for_infeasibility():
        if index in by_index:
            rule, employee = by_index[index]
            rules.setdefault(employee, []).append(rule)
    return tuple(Conflict(employee, tuple(sorted(set(r)))) for employee, r in rules.items())


def _final(search: _Search, seconds: float) -> RosterResult:
    """The incumbent with every variable's value, its penalties and its status."""
    if search.best is None:
        if not search.proven:
            return RosterResult("UNKNOWN", {}, None, None, seconds)
        conflicts = explain_infeasible(search.m.problem)
        return RosterResult("INFEASIBLE", {}, None, None, seconds, conflicts=conflicts)
    m = search.m
    p = m.problem
    model = m.model.clone()
    for (e, d, s), var in m.x.items():
        domain = model.proto.variables[var.index].domain
        domain[0] = domain[1] = int(search.best.get((p.employees[e].code, d)) == p.shifts[s].code)
    solver = _solver(10.0, 1, 0)
    code = solver.solve(model)
    result = _result(m, solver, code, seconds)
    optimal = search.done()
    bound = float(result.objective or 0) if optimal else search.bound
    return RosterResult(
        "OPTIMAL" if optimal else "FEASIBLE",
        result.assignment,
        result.objective,
        bound,
        seconds,
        result.penalties,
        breaks=result.breaks,
        lunches=result.lunches,
    )


def _result(
    m: RosterModel, solver: cp_model.CpSolver, code: cp_model.CpSolverStatus, seconds: float
) -> RosterResult:
    status = STATUS.get(code, "UNKNOWN")
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RosterResult(status, {}, None, None, seconds)
    breaks = {
        (code, day): tuple(moment - day * MINUTES_A_DAY for moment in moments)
        for (code, day), moments in _breaks(m, solver).items()
    }
    lunches = {
        (code, day): start - day * MINUTES_A_DAY
        for (code, day), start in _lunches(m, solver).items()
    }
    return RosterResult(
        status,
        _assignment(m, solver),
        round(solver.objective_value),
        solver.best_objective_bound,
        seconds,
        tuple(_paid(solver, m.penalties)),
        breaks=breaks,
        lunches=lunches,
    )


def _paid(solver: cp_model.CpSolver, penalties: list[Penalty]) -> list[PenaltyPaid]:
    out = []
    for penalty in penalties:
        amount = solver.value(penalty.term) if not isinstance(penalty.term, int) else penalty.term
        if amount and penalty.weight:
            out.append(
                PenaltyPaid(
                    penalty.rule,
                    penalty.weight * int(amount),
                    penalty.employee,
                    penalty.day,
                    penalty.shift,
                    penalty.words,
                )
            )
    return out
