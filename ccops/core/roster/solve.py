"""Solve a roster model under a time limit and say what came out, in a planner's terms."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ccops.core.roster.model import Penalty, RosterModel, build_model
from ccops.core.roster.problem import RosterProblem

STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}
Progress = Callable[[float, float, float], None]  # seconds, objective, bound


@dataclass(frozen=True)
class PenaltyPaid:
    """A soft rule bent in the roster: which, for whom, when, and what it cost."""

    rule: str
    cost: int
    employee: str | None
    day: int | None
    shift: str | None
    words: str


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

    @property
    def gap(self) -> float | None:
        """Relative distance between the roster and the bound (0 when proven optimal)."""
        if self.objective is None or self.lower_bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(self.objective - self.lower_bound, 0.0) / self.objective


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def on_solution_callback(self) -> None:
        self.progress(self.wall_time, self.objective_value, self.best_objective_bound)


def solve(
    problem: RosterProblem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
) -> RosterResult:
    """The best roster found within ``time_limit`` seconds on ``workers`` threads."""
    started = time.perf_counter()
    m = build_model(problem)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - started), 0.1)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.subsolvers.append("max_lp")  # the LP bound, and search guided by it
    callback = _Reporter(progress) if progress else None
    code = solver.solve(m.model, callback)
    return _result(m, solver, code, time.perf_counter() - started)


def _result(
    m: RosterModel, solver: cp_model.CpSolver, code: cp_model.CpSolverStatus, seconds: float
) -> RosterResult:
    status = STATUS.get(code, "UNKNOWN")
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RosterResult(status, {}, None, None, seconds)
    p = m.problem
    assignment = {
        (p.employees[e].code, d): p.shifts[s].code
        for (e, d, s), var in m.x.items()
        if solver.boolean_value(var)
    }
    return RosterResult(
        status,
        assignment,
        round(solver.objective_value),
        solver.best_objective_bound,
        seconds,
        tuple(_paid(solver, m.penalties)),
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
