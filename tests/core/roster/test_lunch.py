"""Lunch on long shifts: one meal break in its window, off the phones throughout, no
other break during it; short shifts take none."""

from __future__ import annotations

import time

import pytest

from ccops.core.errors import InputError
from ccops.core.roster.model import build_model
from ccops.core.roster.problem import (
    BreakRule,
    Contract,
    Employee,
    IntervalCover,
    LunchRule,
    RosterProblem,
    ShiftType,
)
from ccops.core.roster.solve import _Search, away_moments, solve

LONG = ShiftType("L9", 540, start=8 * 60)  # 08:00-17:00
SHORT = ShiftType("S6", 360, start=8 * 60)  # 08:00-14:00
LUNCH = LunchRule(minutes=30, over=360, earliest=180, latest=300)
MUST_WORK = Contract(min_minutes=360)


def day_of(shift: ShiftType, people: int, want: int) -> RosterProblem:
    return RosterProblem(
        days=1,
        shifts=(shift,),
        employees=tuple(Employee(f"A{i}", MUST_WORK, team="T") for i in range(people)),
        interval_cover=tuple(
            IntervalCover(0, minute, want, 100, 1) for minute in range(8 * 60, 17 * 60, 15)
        ),
        interval_minutes=15,
        breaks=BreakRule(minutes_per_hour=5, segment=10),
        lunch=LUNCH,
    )


def test_a_long_shift_lunches_in_its_window_without_a_break_during_it():
    p = day_of(LONG, people=3, want=2)
    result = solve(p, time_limit=20)
    assert result.status == "OPTIMAL"
    assert not [x for x in result.penalties if x.rule == "under_cover"]  # never two away
    for person in ("A0", "A1", "A2"):
        start = result.lunches[person, 0]
        assert 11 * 60 <= start <= 13 * 60 and start % 15 == 0
        assert not [t for t in result.breaks[person, 0] if start <= t < start + 30]


def test_lunch_is_off_the_phones_and_counted_in_the_cost():
    p = day_of(LONG, people=1, want=1)
    result = solve(p, time_limit=20)
    # five 10-minute breaks (45 minutes a 9-hour shift) and two quarters of lunch short
    assert result.objective == (5 + 2) * 100
    away = away_moments(p, {k: tuple(result.breaks[k]) for k in result.breaks}, result.lunches)
    assert p.cost(result.assignment, away) == result.objective


def test_a_shift_of_six_hours_or_less_takes_no_lunch():
    result = solve(day_of(SHORT, people=2, want=1), time_limit=20)
    assert result.assignment and not result.lunches


def test_the_search_keeps_lunches_when_re_optimising():
    p = day_of(LONG, people=4, want=3)
    search = _Search(build_model(p), 1, time.perf_counter() + 30)
    search.best = {(f"A{i}", 0): "L9" for i in range(4)}
    search.breaks = {
        (f"A{i}", 0): (9 * 60, 10 * 60 + 15, 14 * 60, 15 * 60, 16 * 60 - 15) for i in range(4)
    }
    search.lunches = {(f"A{i}", 0): 12 * 60 for i in range(4)}  # everyone at noon
    search.objective = start = p.cost(search.best, away_moments(p, search.breaks, search.lunches))
    for chosen in ([0, 1], [2, 3]):
        _, finished = search.improve(chosen, range(1), seed=1)
        assert finished
        assert search.objective == p.cost(
            search.best, away_moments(p, search.breaks, search.lunches)
        )
    assert search.objective < start


def test_lunch_must_be_whole_intervals():
    with pytest.raises(InputError) as caught:
        RosterProblem(1, (LONG,), (), interval_minutes=15, lunch=LunchRule(minutes=20))
    assert caught.value.field == "lunch minutes"
