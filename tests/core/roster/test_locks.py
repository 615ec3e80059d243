"""Days fixed by hand hold, a re-optimised roster changes as little as it can, and a
lock that breaks a rule is named in the conflict."""

from __future__ import annotations

import time

from ccops.core.roster.model import build_model
from ccops.core.roster.problem import (
    Contract,
    Employee,
    IntervalCover,
    Lock,
    RosterProblem,
    ShiftType,
)
from ccops.core.roster.solve import _Search, solve

EARLY = ShiftType("E", 480, start=7 * 60)
LATE = ShiftType("L", 480, start=15 * 60)


def week(people=4, days=5, cover=2, **kwargs) -> RosterProblem:
    want = [
        IntervalCover(day, minute, cover, 100, 1)
        for day in range(days)
        for minute in range(7 * 60, 23 * 60, 60)
    ]
    return RosterProblem(
        days=days,
        shifts=(EARLY, LATE),
        employees=tuple(Employee(f"A{i}", Contract()) for i in range(people)),
        interval_cover=tuple(want),
        interval_minutes=60,
        min_rest_minutes=11 * 60,
        **kwargs,
    )


def test_locked_days_hold_even_when_they_cost():
    locks = (Lock("A0", 0, "L"), Lock("A1", 1, None), Lock("A2", 2, "E"))
    result = solve(week(locks=locks), time_limit=20)
    assert result.status == "OPTIMAL"
    assert result.assignment[("A0", 0)] == "L" and ("A1", 1) not in result.assignment
    assert result.assignment[("A2", 2)] == "E"


def test_re_optimising_changes_as_little_as_it_can():
    first = solve(week(), time_limit=20)
    previous = tuple((e, d, s) for (e, d), s in sorted(first.assignment.items()))
    # One more person wanted at 07:00 on day 2: one extra early shift mends it.
    base = week(previous=previous, change_weight=5)
    extra = (IntervalCover(2, 7 * 60, 3, 100, 1),)
    wanted = tuple(c for c in base.interval_cover if (c.day, c.minute) != (2, 7 * 60)) + extra
    p = RosterProblem(**{**base.__dict__, "interval_cover": wanted})
    result = solve(p, time_limit=20)
    changed = [x for x in result.penalties if x.rule == "changed"]
    assert len(changed) <= 2, [x.words for x in changed]
    assert p.cost(result.assignment) == result.objective


def test_a_lock_against_the_rest_rule_is_named_in_the_conflict():
    locks = (Lock("A0", 0, "L"), Lock("A0", 1, "E"))  # 23:00 to 07:00: 8 hours of rest
    result = solve(week(locks=locks), time_limit=20)
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.employee == "A0" and set(conflict.rules) == {"locked", "rest"}
    assert "the days fixed by hand" in conflict.words


def test_the_search_keeps_locks_and_counts_changes():
    previous = tuple((f"A{i}", d, "E" if i % 2 else "L") for i in range(4) for d in range(5))
    p = week(previous=previous, change_weight=3, locks=(Lock("A1", 3, "L"),))
    search = _Search(build_model(p), 1, time.perf_counter() + 30)
    roster = {(e, d): s for e, d, s in previous}
    roster["A1", 3] = "L"
    roster.pop(("A1", 4))  # L then E breaks the rest rule
    search.best, search.objective = roster, p.cost(roster)
    for chosen in ([0, 1], [2, 3], [1, 2]):
        _, finished = search.improve(chosen, range(5), seed=1)
        assert finished and search.objective == p.cost(search.best)
    assert search.best["A1", 3] == "L"
