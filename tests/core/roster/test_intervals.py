"""Shifts at times of day: cover per interval (night shifts count after midnight) and
rest between shifts in minutes."""

from __future__ import annotations

import random
import time

import pytest

from ccops.core.errors import InputError
from ccops.core.roster.model import build_model, on_duty
from ccops.core.roster.problem import (
    Contract,
    Employee,
    IntervalCover,
    RosterProblem,
    ShiftType,
    rest_too_short,
)
from ccops.core.roster.solve import _Search, solve

EARLY = ShiftType("E", 480, start=7 * 60)
LATE = ShiftType("L", 480, start=15 * 60)
NIGHT = ShiftType("N", 480, start=23 * 60)
ELEVEN_HOURS = 11 * 60


def problem(cover=(), people=3, days=3, **kwargs) -> RosterProblem:
    return RosterProblem(
        days=days,
        shifts=(EARLY, LATE, NIGHT),
        employees=tuple(Employee(f"A{i}", Contract()) for i in range(people)),
        interval_cover=tuple(cover),
        interval_minutes=60,
        **kwargs,
    )


def test_a_night_shift_is_on_duty_after_midnight():
    m = build_model(problem())
    at = lambda day, hour: {v.name for v in on_duty(m, day * 1440 + hour * 60)}  # noqa: E731
    assert at(1, 3) == {f"x[A{i},0,N]" for i in range(3)}  # day 0's night, at 03:00 on day 1
    assert at(1, 23) == {f"x[A{i},1,N]" for i in range(3)}
    assert at(1, 15) == {f"x[A{i},1,L]" for i in range(3)}
    assert at(0, 3) == set()  # nobody's night before the horizon


def test_rest_in_minutes_bans_a_quick_return():
    p = problem(min_rest_minutes=ELEVEN_HOURS)
    assert rest_too_short(p, LATE, EARLY)  # 23:00 to 07:00 is 8 h
    assert rest_too_short(p, NIGHT, EARLY) and rest_too_short(p, NIGHT, LATE)
    assert not rest_too_short(p, EARLY, LATE) and not rest_too_short(p, EARLY, EARLY)


def test_the_roster_covers_each_interval_and_keeps_the_rest():
    # Someone at 16:00 on day 0 (a late shift), at 04:00 on day 1 (day 0's night) and at
    # 08:00 on day 1 (an early shift): after a late or a night shift nobody may start
    # early, so two people leave one interval short and three cover all.
    want = [
        IntervalCover(0, 16 * 60, 1, 100, 1),
        IntervalCover(1, 4 * 60, 1, 100, 1),
        IntervalCover(1, 8 * 60, 1, 100, 1),
    ]
    two = problem(want, people=2, days=2, min_rest_minutes=ELEVEN_HOURS)
    assert solve(two, time_limit=10).objective == 100
    three = problem(want, people=3, days=2, min_rest_minutes=ELEVEN_HOURS)
    result = solve(three, time_limit=10)
    assert result.status == "OPTIMAL" and result.objective == 0
    roster = result.assignment
    assert sorted(roster.values()) == ["E", "L", "N"]
    for person in ("A0", "A1", "A2"):
        first, second = roster.get((person, 0)), roster.get((person, 1))
        if first and second:
            assert not rest_too_short(three, three.shift(first), three.shift(second))
    assert three.cost(roster) == 0


def test_shortfall_is_named_with_the_time_of_day():
    p = problem([IntervalCover(0, 10 * 60, 4, 100, 1)], people=3, days=1)
    result = solve(p, time_limit=10)
    assert result.objective == 100
    (short,) = result.penalties
    assert short.rule == "under_cover" and "10:00" in short.words and short.day == 0


def test_interval_cover_needs_times_and_aligned_intervals():
    with pytest.raises(InputError) as caught:
        problem([IntervalCover(0, 15, 1, 1, 1)])
    assert caught.value.field == "minute" and caught.value.code == "misaligned"
    untimed = ShiftType("D", 480)
    with pytest.raises(InputError):
        RosterProblem(1, (untimed,), (), interval_cover=(IntervalCover(0, 0, 1, 1, 1),))


def test_neighbourhood_search_counts_the_people_it_holds_fixed():
    """A re-optimised part sees the cover everyone else gives: the cost the search
    tracks stays the roster's true cost."""
    rnd = random.Random(3)
    want = [
        IntervalCover(day, hour * 60, rnd.randint(0, 3), 10, 1)
        for day in range(5)
        for hour in range(0, 24, 2)
    ]
    p = problem(want, people=8, days=5, min_rest_minutes=ELEVEN_HOURS)
    search = _Search(build_model(p), 1, time.perf_counter() + 30)
    search.best = {(f"A{i}", day): "E" for i in range(8) for day in range(5)}  # all early
    search.objective = start = p.cost(search.best)
    for chosen in ([0, 1], [2, 3, 4], [5, 6, 7]):
        _, finished = search.improve(chosen, range(5), seed=1)
        assert finished and search.objective == p.cost(search.best)
    assert search.objective < start / 2
