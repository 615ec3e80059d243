"""Nights and weekends are shared out: work beyond a fair share costs, so one person
does not carry them all."""

from __future__ import annotations

from collections import Counter

from ccops.core.roster.problem import (
    Contract,
    Cover,
    Employee,
    Fairness,
    RosterProblem,
    ShiftRequest,
    ShiftType,
)
from ccops.core.roster.solve import solve

DAY = ShiftType("D", 480)
NIGHT = ShiftType("N", 480, night=True)


def problem(fairness: Fairness, days: int = 8) -> RosterProblem:
    people = tuple(Employee(code, Contract()) for code in ("A", "B"))
    cover = tuple(Cover(d, "N", 1, 100, 1) for d in range(days))
    # A asks for every night (weight 1): without fairness A would take them all.
    asks = tuple(ShiftRequest("A", d, "N", 1, True) for d in range(days))
    return RosterProblem(days, (DAY, NIGHT), people, asks, cover, fairness=fairness)


def nights(result) -> Counter[str]:
    return Counter(who for (who, _), shift in result.assignment.items() if shift == "N")


def test_without_fairness_one_person_takes_every_night():
    result = solve(problem(Fairness()), time_limit=10)
    assert nights(result) == Counter({"A": 8})


def test_a_fair_share_spreads_the_nights():
    result = solve(problem(Fairness(weight=5, nights=4)), time_limit=10)
    assert nights(result) == Counter({"A": 4, "B": 4})
    p = problem(Fairness(weight=5, nights=4))
    assert p.cost(result.assignment) == result.objective == 4  # A's four unmet asks


def test_weekends_beyond_a_fair_share_cost():
    p = RosterProblem(
        14,
        (DAY,),
        (Employee("A", Contract()), Employee("B", Contract())),
        cover=tuple(Cover(d, "D", 1, 100, 1) for d in range(14)),
        fairness=Fairness(weight=7, weekends=1),
    )
    result = solve(p, time_limit=10)
    worked = Counter(who for (who, d), _ in result.assignment.items() if d % 7 in (5, 6))
    assert result.objective == 0 and p.cost(result.assignment) == 0
    assert sum(worked.values()) == 4 and set(worked) == {"A", "B"}
