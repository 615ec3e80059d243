"""The schedule-column engine: exact pricing, a valid bound, rosters that keep the rules."""

from __future__ import annotations

import itertools
import math
import random
import time
from pathlib import Path

import numpy as np
import pytest

from ccops.core.roster import pricing
from ccops.core.roster.checker import score_curtois
from ccops.core.roster.columns import Generation, roster_by_columns, suits_columns
from ccops.core.roster.curtois import read_curtois, roster_rows
from ccops.core.roster.pricing import OFF, SchedulePricer, schedule_breaks
from ccops.core.roster.problem import (
    Contract,
    Cover,
    Employee,
    IntervalCover,
    RosterProblem,
    ShiftType,
)
from ccops.core.roster.solve import solve

DATA = Path("/work/shared/data/curtois")
SHIFTS = (
    ShiftType("E", 480),
    ShiftType("L", 480, frozenset({"E"})),
    ShiftType("N", 600, frozenset({"E", "L"})),
)


def random_contract(rnd: random.Random, days: int) -> Employee:
    contract = Contract(
        max_shifts={
            "E": rnd.choice([days, 2]),
            "L": rnd.choice([days, 3, 0]),
            "N": rnd.randint(0, 2),
        },
        max_minutes=rnd.choice([2400, 3360, 4800]),
        min_minutes=rnd.choice([0, 960, 1920]),
        max_consecutive=rnd.randint(2, 4),
        min_consecutive=rnd.randint(1, 3),
        min_days_off=rnd.randint(1, 3),
        max_weekends=rnd.randint(0, 1),
    )
    off = frozenset(rnd.sample(range(days), rnd.randint(0, 2)))
    return Employee("A", contract, days_off=off)


def brute_force(p: RosterProblem, e: Employee, cost: np.ndarray) -> float:
    """The least cost over every schedule that keeps the rules (tiny horizons only)."""
    best = math.inf
    for schedule in itertools.product([OFF, 0, 1, 2], repeat=p.days):
        if not schedule_breaks(p, e, schedule):
            best = min(best, sum(cost[d, s] for d, s in enumerate(schedule) if s != OFF))
    return best


@pytest.mark.rule("PLAN-05")
def test_pricing_finds_the_cheapest_schedule_that_keeps_the_contract():
    rnd = random.Random(7)
    days = 7
    for _ in range(20):
        e = random_contract(rnd, days)
        p = RosterProblem(days, SHIFTS, (e,))
        cost = np.array([[rnd.uniform(-10, 6) for _ in SHIFTS] for _ in range(days)])
        priced = SchedulePricer(p, e).cheapest(cost)
        expected = brute_force(p, e, cost)
        if expected == math.inf:
            assert priced.schedule is None
            continue
        assert priced.schedule is not None
        assert schedule_breaks(p, e, priced.schedule) == []
        paid = sum(cost[d, s] for d, s in enumerate(priced.schedule) if s != OFF)
        assert priced.cost == pytest.approx(expected) == pytest.approx(paid)


@pytest.mark.rule("PLAN-05")
def test_pricing_by_cp_sat_agrees_where_the_programme_would_grow_too_large(monkeypatch):
    monkeypatch.setattr(pricing, "MOST_STATES", 0)  # every cap goes to CP-SAT
    rnd = random.Random(11)
    days, checked = 7, 0
    while checked < 4:
        e = random_contract(rnd, days)
        p = RosterProblem(days, SHIFTS, (e,))
        cost = np.array([[rnd.uniform(-10, 6) for _ in SHIFTS] for _ in range(days)])
        pricer = SchedulePricer(p, e)
        priced = pricer.cheapest(cost)
        expected = brute_force(p, e, cost)
        if pricer.solver is None or expected == math.inf:
            continue  # no cap bound the cheapest schedule
        checked += 1
        assert priced.schedule is not None and schedule_breaks(p, e, priced.schedule) == []
        paid = sum(cost[d, s] for d, s in enumerate(priced.schedule) if s != OFF)
        assert paid == pytest.approx(expected, abs=1e-3)
        assert priced.cost <= expected + 1e-9  # a lower bound, for the Lagrangian bound


def test_the_bound_holds_and_the_roster_keeps_every_rule():
    text = (DATA / "Instance2.txt").read_text()
    p = read_curtois(text)
    gen = Generation(p, time.perf_counter() + 20)
    value = gen.relax()
    assert gen.bound == pytest.approx(value)
    assert value <= 828 + 1e-6  # the proven optimum
    outcome = roster_by_columns(p, time.perf_counter() + 10)
    assert outcome.assignment is not None and outcome.cost is not None
    score = score_curtois(text, roster_rows(outcome.assignment))
    assert score.feasible and score.objective == outcome.cost
    assert outcome.cost >= math.ceil(outcome.bound - 1e-6)


def test_solve_proves_instance_1_with_the_column_bound():
    text = (DATA / "Instance1.txt").read_text()
    result = solve(read_curtois(text), time_limit=10)
    assert result.objective == 607 and result.status == "OPTIMAL"
    assert result.lower_bound == 607
    assert score_curtois(text, roster_rows(result.assignment)).feasible


def test_only_daily_cover_problems_take_the_column_engine():
    e = Employee("A", Contract())
    daily = RosterProblem(7, SHIFTS, (e,), cover=(Cover(0, "E", 1, 10, 1),))
    assert suits_columns(daily)
    timed = (ShiftType("E", 480, start=420),)
    intervals = RosterProblem(7, timed, (e,), interval_cover=(IntervalCover(0, 480, 1, 10, 1),))
    assert not suits_columns(intervals)
