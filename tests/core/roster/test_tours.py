"""The tour engine for large teams: whole weeks of shifts, breaks and lunch chosen by
column generation; checked against brute force, the per-employee engine, the
independent rule check and the problem's own cost."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest

from ccops.core.errors import InputError
from ccops.core.roster.breaches import breaches
from ccops.core.roster.problem import (
    BreakRule,
    Contract,
    Employee,
    Fairness,
    IntervalCover,
    Lock,
    LunchRule,
    RosterProblem,
    ShiftType,
)
from ccops.core.roster.solve import away_moments, place_breaks, solve
from ccops.core.roster.tours import _groups, _Pricer, solve_tours, unsuited

WEEK = Contract(days_per_week=5, max_consecutive=5)
BREAKS = BreakRule(minutes_per_hour=5, segment=15)
LUNCH = LunchRule(minutes=30, over=360, earliest=180, latest=300)


def shifts(every: int = 60, first: int = 6, last: int = 16) -> tuple[ShiftType, ...]:
    return tuple(
        ShiftType(f"{hours}h{start // 60:02d}{start % 60:02d}", hours * 60, start=start)
        for hours in (8, 9)
        for start in range(first * 60, last * 60, every)
    )


def curve(day: int, minute: int, people: int) -> int:
    hour = minute / 60
    peak = math.exp(-(((hour - 11) / 3) ** 2)) + 0.8 * math.exp(-(((hour - 18) / 3) ** 2))
    return round(people * 0.7 * min(peak, 1.0) * (0.7 if day >= 5 else 1.0))


def team_week(employees: tuple[Employee, ...], **rules: object) -> RosterProblem:
    people = len(employees)
    return RosterProblem(
        days=7,
        shifts=shifts(),
        employees=employees,
        interval_cover=tuple(
            IntervalCover(d, m, curve(d, m, people), 2, 1)
            for d in range(7)
            for m in range(6 * 60, 24 * 60, 15)
        ),
        interval_minutes=15,
        min_rest_minutes=11 * 60,
        breaks=BREAKS,
        lunch=LUNCH,
        **rules,  # type: ignore[arg-type]
    )


def cost_of(p: RosterProblem, result) -> int:
    away = {
        key: tuple(t + key[1] * 1440 for t in moments)
        for key, moments in away_moments(p, result.breaks, result.lunches).items()
    }
    return p.cost(result.assignment, away)


@pytest.mark.rule("PLAN-05")
@pytest.mark.rule("FLOOR-01")
def test_a_team_week_keeps_every_rule_and_proves_its_gap():
    staff = [Employee(f"A{i:02d}", WEEK) for i in range(24)]
    staff += [Employee(f"F{i}", WEEK, shift_class="family_hours") for i in range(4)]
    staff += [Employee(f"P{i}", WEEK, shift_class="no_night") for i in range(2)]
    staff += [Employee(f"S{i}", WEEK, days_off=frozenset({5, 6})) for i in range(4)]
    p = team_week(tuple(staff))
    result = solve_tours(p, time_limit=12)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert breaches(p, result.assignment, result.breaks, result.lunches) == []
    assert result.objective == cost_of(p, result)
    assert result.lower_bound is not None and result.lower_bound <= result.objective
    assert result.gap is not None and result.gap <= 0.1
    for person in staff:
        assert sum(code == person.code for code, _ in result.assignment) == 5


def test_the_bound_holds_against_the_per_employee_engine():
    """On a team small enough for the per-employee engine to prove its optimum, the tour
    engine's bound lies below it and its roster costs no more than the bound allows."""
    few = (ShiftType("E", 480, start=7 * 60), ShiftType("L", 480, start=13 * 60))
    p = RosterProblem(
        days=3,
        shifts=few,
        employees=tuple(Employee(f"A{i}", Contract(max_consecutive=2)) for i in range(3)),
        interval_cover=tuple(
            IntervalCover(d, m, 1 + (d + m // 60) % 2, 3, 1)
            for d in range(3)
            for m in range(7 * 60, 21 * 60, 30)
        ),
        interval_minutes=30,
        min_rest_minutes=11 * 60,
        breaks=BreakRule(minutes_per_hour=5, segment=30, margin=60, spacing=90),
    )
    exact = solve(p, time_limit=20)
    assert exact.status == "OPTIMAL"
    tours = solve_tours(p, time_limit=20)
    assert tours.lower_bound is not None
    assert tours.lower_bound <= exact.objective + 1e-6
    assert tours.objective == cost_of(p, tours) >= exact.objective
    assert breaches(p, tours.assignment, tours.breaks, tours.lunches) == []


def brute_best(p: RosterProblem, employee: Employee, value: np.ndarray) -> float:
    best = -math.inf
    options = [None, *range(len(p.shifts))]
    for choice in itertools.product(options, repeat=p.days):
        roster = {
            (employee.code, d): p.shifts[s].code for d, s in enumerate(choice) if s is not None
        }
        if not breaches(p, roster):
            best = max(best, sum(value[d, s] for d, s in enumerate(choice) if s is not None))
    return best


@pytest.mark.parametrize("seed", range(10))
def test_the_pricer_finds_the_best_week_that_keeps_the_rules(seed):
    rng = np.random.default_rng(seed)
    contract = Contract(
        days_per_week=int(rng.integers(2, 5)),
        max_consecutive=int(rng.integers(2, 4)),
        min_days_off=int(rng.integers(1, 3)),
    )
    somebody = Employee(
        "X",
        contract,
        days_off=frozenset({int(rng.integers(0, 7))}),
        shift_class=str(rng.choice(["", "long_rest"])),
    )
    p = RosterProblem(
        days=int(rng.choice([5, 6, 7])),
        shifts=(
            ShiftType("E", 480, start=6 * 60),
            ShiftType("L", 480, start=15 * 60),
            ShiftType("N", 540, start=22 * 60),
        ),
        employees=(somebody,),
        first_weekday=int(rng.integers(0, 7)),
        min_rest_minutes=11 * 60,
    )
    value = rng.normal(size=(p.days, 3))
    pricer = _Pricer(p, _groups(p)[0])
    worth, pairs = pricer.best(value)
    assert worth == pytest.approx(brute_best(p, somebody, value))
    roster = {("X", d): p.shifts[s].code for d, s in pairs}
    assert not breaches(p, roster)
    assert worth == pytest.approx(sum(value[d, s] for d, s in pairs))


def test_rules_the_tour_engine_does_not_model_are_named():
    p = team_week((Employee("A", Contract(min_consecutive=2)),), fairness=Fairness(1, nights=0))
    assert unsuited(p) == [
        "fairness of nights and weekends",
        "minimum working blocks or weekend caps",
    ]
    with pytest.raises(InputError) as raised:
        solve_tours(p, time_limit=5)
    assert "fairness of nights and weekends" in str(raised.value.value)


@pytest.mark.rule("PLAN-05")
def test_locked_days_hold_in_the_tour_engine():
    """Days fixed by hand (or busy on another seat type's roster): the locked shift is
    worked, a locked day off is off, and the rest of the week still keeps every rule."""
    team = tuple(Employee(f"A{i}", WEEK, team="T") for i in range(8))
    late, early = "8h1500", "8h0600"
    locks = (Lock("A0", 2, late), Lock("A0", 3, None), Lock("A1", 6, early), Lock("A2", 0, None))
    p = team_week(team, locks=locks)
    assert unsuited(p) == []
    result = solve_tours(p, time_limit=20)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert result.assignment["A0", 2] == late and ("A0", 3) not in result.assignment
    assert result.assignment["A1", 6] == early and ("A2", 0) not in result.assignment
    assert not breaches(p, result.assignment, result.breaks, result.lunches)
    free = solve_tours(replace(p, locks=()), time_limit=20)
    assert result.lower_bound is not None and free.lower_bound is not None
    assert result.lower_bound >= free.lower_bound - 1e-6  # locks never make it cheaper


def test_a_group_with_no_possible_week_names_the_rules_that_clash():
    off = frozenset({0, 2, 4})  # five days a week wanted, three fixed off
    p = team_week((Employee("A", WEEK), Employee("B", WEEK, days_off=off)))
    result = solve_tours(p, time_limit=10)
    assert result.status == "INFEASIBLE"
    assert [c.employee for c in result.conflicts] == ["B"]
    assert "the working days each week" in result.conflicts[0].words


def test_stopping_early_still_gives_a_whole_roster_and_progress_is_heard():
    heard: list[tuple[float, float, float]] = []
    p = team_week(tuple(Employee(f"A{i}", WEEK) for i in range(20)))
    result = solve_tours(p, time_limit=30, progress=lambda *x: heard.append(x), stop=lambda: True)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert breaches(p, result.assignment, result.breaks, result.lunches) == []
    assert heard[0][1] == math.inf and heard[-1][1] == result.objective


@pytest.mark.rule("FLOOR-02")
def test_breaks_placed_again_keep_the_break_tokens():
    staff = tuple(Employee(f"A{i:02d}", WEEK, team="T1") for i in range(14))
    free = team_week(staff)
    tokens = replace(free, breaks=BreakRule(5, segment=15, tokens=2))
    rostered = solve_tours(free, time_limit=5)
    placed = place_breaks(tokens, rostered, time_limit=20)
    assert placed.assignment == rostered.assignment
    assert breaches(tokens, placed.assignment, placed.breaks, placed.lunches) == []
    assert placed.objective == cost_of(tokens, placed)
    assert placed.lower_bound == rostered.lower_bound <= placed.objective


@pytest.mark.rule("FLOOR-02")
def test_the_tour_engine_keeps_each_teams_break_tokens():
    staff = tuple(Employee(f"A{i:02d}", WEEK, team="T1") for i in range(10))
    staff += tuple(Employee(f"B{i:02d}", WEEK, team="T2") for i in range(10))
    p = replace(team_week(staff), breaks=BreakRule(5, segment=15, tokens=1))
    assert unsuited(p) == []
    result = solve_tours(p, time_limit=15)
    assert breaches(p, result.assignment, result.breaks, result.lunches) == []
    assert result.objective == cost_of(p, result)


@pytest.mark.rule("PLAN-05")
def test_minimal_change_in_the_tour_engine():
    """Re-optimising a roster: a dear change keeps it as it was; a cheap one follows the
    new demand, and costs no more than keeping the old roster would."""
    team = tuple(Employee(f"A{i}", WEEK, team="T") for i in range(8))
    p = team_week(team)
    before = solve_tours(p, time_limit=10)
    previous = tuple((code, day, shift) for (code, day), shift in before.assignment.items())
    quiet_wednesday = tuple(replace(c, required=0) if c.day == 2 else c for c in p.interval_cover)
    changed = replace(p, interval_cover=quiet_wednesday, previous=previous)
    assert unsuited(replace(changed, change_weight=1)) == []

    dear = solve_tours(replace(changed, change_weight=1000), time_limit=10)
    assert dear.assignment == before.assignment

    cheap_problem = replace(changed, change_weight=1)
    cheap = solve_tours(cheap_problem, time_limit=10)
    moved = sum(
        before.assignment.get((e.code, d)) != cheap.assignment.get((e.code, d))
        for e in team
        for d in range(7)
    )
    assert moved > 0
    assert not breaches(cheap_problem, cheap.assignment, cheap.breaks, cheap.lunches)
    assert cheap.objective == cost_of(cheap_problem, cheap)
    assert cheap.objective <= cost_of(cheap_problem, dear) + 1e-6
    assert cheap.lower_bound is not None and cheap.lower_bound <= cheap.objective + 1e-6
