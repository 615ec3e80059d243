"""The independent rule check: what a hand-edited or imported roster breaks, named with
the person, the day and the rule; a solver's roster breaks nothing."""

from __future__ import annotations

import pytest

from ccops.core.roster.breaches import breaches
from ccops.core.roster.problem import (
    BreakRule,
    Contract,
    Employee,
    IntervalCover,
    Lock,
    LunchRule,
    RosterProblem,
    ShiftType,
)
from ccops.core.roster.solve import solve

EARLY = ShiftType("E", 480, start=7 * 60)
LATE = ShiftType("L", 540, start=14 * 60)
WEEK = Contract(days_per_week=5, max_consecutive=5, min_days_off=2)


def week(people: int = 3, **rules) -> RosterProblem:
    return RosterProblem(
        days=7,
        shifts=(EARLY, LATE),
        employees=tuple(Employee(f"A{i}", WEEK, team="T") for i in range(people)),
        interval_cover=tuple(
            IntervalCover(d, m, 1, 10, 1) for d in range(7) for m in range(7 * 60, 23 * 60, 15)
        ),
        interval_minutes=15,
        min_rest_minutes=11 * 60,
        **rules,
    )


def rules_of(found) -> list[tuple[str, str, int | None]]:
    return sorted((b.rule, b.employee, b.day) for b in found)


def test_a_solved_roster_breaks_no_rule():
    p = week(breaks=BreakRule(5, segment=15), lunch=LunchRule(30, 360, 180, 300))
    result = solve(p, time_limit=5)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert breaches(p, result.assignment, result.breaks, result.lunches) == []


@pytest.mark.rule("PLAN-05")
def test_hand_edits_that_break_the_contract_are_named():
    p = week(people=1)
    roster = {("A0", d): "E" for d in range(6)}  # six in a row, six in the week
    roster["A0", 3] = "L"  # late then early: 7 h rest
    found = breaches(p, roster)
    assert rules_of(found) == [
        ("days_per_week", "A0", 0),
        ("max_consecutive", "A0", 0),
        ("rest", "A0", 4),
    ]
    words = sorted(b.words for b in found)
    assert words[0] == "A0 on day 1: 6 days in a row, at most 5"
    assert words[1] == "A0 on day 1: 6 days worked in the week, 5 wanted"
    assert words[2] == "A0 on day 5: E may not follow L (too little rest)"


def test_days_off_blocks_and_the_ends_of_the_horizon():
    p = week(people=1)
    alone = {("A0", d): "E" for d in (0, 1, 3, 4, 5)}  # one day off inside the week
    assert rules_of(breaches(p, alone)) == [("min_days_off", "A0", 2)]
    at_end = {("A0", d): "E" for d in range(5)}  # two days off at the end
    assert breaches(p, at_end) == []


def test_locks_fixed_days_off_and_friendly_classes():
    pregnant = Employee("P", WEEK, days_off=frozenset({6}), shift_class="no_night")
    p = RosterProblem(
        days=7, shifts=(EARLY, LATE), employees=(pregnant,), locks=(Lock("P", 0, None),)
    )
    roster = {("P", 0): "E", ("P", 1): "L", ("P", 2): "E", ("P", 3): "E", ("P", 6): "E"}
    assert rules_of(breaches(p, roster)) == [
        ("days_off", "P", 6),
        ("friendly_class", "P", 1),  # 14:00-23:00 runs into the evening
        ("locked", "P", 0),
    ]


@pytest.mark.rule("FLOOR-01")
@pytest.mark.rule("FLOOR-02")
def test_breaks_and_lunch_out_of_place():
    rule = BreakRule(5, segment=15, tokens=1)
    p = week(people=2, breaks=rule, lunch=LunchRule(30, 360, 180, 300))
    roster = {("A0", 1): "E", ("A1", 1): "E"}
    base = 7 * 60  # minutes from that day's midnight
    breaks = {
        ("A0", 1): (base + 30, base + 120, base + 150),  # too early; too close
        ("A1", 1): (base + 120, base + 240, base + 360),
    }
    lunches = {("A0", 1): base + 270, ("A1", 1): base + 240}  # A1's break during lunch
    found = [b for b in breaches(p, roster, breaks, lunches) if b.rule != "days_per_week"]
    assert sorted((b.rule, b.employee) for b in found) == [
        ("break_tokens", "T"),
        ("breaks", "A0"),
        ("breaks", "A0"),
        ("lunch", "A1"),
    ]
    assert any("2 of team T on a break at 09:00, at most 1" in b.detail for b in found)


@pytest.mark.rule("PLAN-05")
def test_the_solver_keeps_days_per_week():
    p = week(people=4)
    result = solve(p, time_limit=5)
    for person in ("A0", "A1", "A2", "A3"):
        assert sum(k[0] == person for k in result.assignment) == 5
