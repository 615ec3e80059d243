"""Breaks on timed shifts: 5 minutes per hour in segments, away from the ends and spaced
(FLOOR-01); never more of a team away at once than its tokens (FLOOR-02); someone on a
break is off the phones for that interval."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from ccops.core.errors import InputError
from ccops.core.roster.model import build_model
from ccops.core.roster.problem import (
    BreakRule,
    Contract,
    Employee,
    IntervalCover,
    RosterProblem,
    ShiftType,
)
from ccops.core.roster.solve import _Search, solve
from ccops.core.ruleset import DEFAULTS

DAY = ShiftType("D", 480, start=8 * 60)  # 08:00-16:00
ANY_HOURS = Contract()
FIVE_A_HOUR = DEFAULTS["FLOOR-01"]["break_minutes_per_hour"]


def team_day(
    people: int, want: int, tokens: int | None = None, contract: Contract = ANY_HOURS
) -> RosterProblem:
    """One day, everyone on the day shift's team, ``want`` on the phones all day."""
    rule = BreakRule(minutes_per_hour=FIVE_A_HOUR, segment=10, tokens=tokens)
    return RosterProblem(
        days=1,
        shifts=(DAY,),
        employees=tuple(Employee(f"A{i}", contract, team="T1") for i in range(people)),
        interval_cover=tuple(
            IntervalCover(0, minute, want, 100, 1) for minute in range(8 * 60, 16 * 60, 15)
        ),
        interval_minutes=15,
        breaks=rule,
    )


@pytest.mark.rule("FLOOR-01")
def test_each_shift_takes_its_breaks_in_segments_away_from_the_ends():
    p = team_day(people=3, want=2)
    result = solve(p, time_limit=20)
    # 32 quarter-hours with one spare person each, less the 12 quarters of breaks
    assert result.status == "OPTIMAL" and result.objective == 32 - 12
    assert {penalty.rule for penalty in result.penalties} == {"over_cover"}
    assert p.breaks is not None and p.breaks.segments(480) == 4  # 40 minutes in tens
    for person in ("A0", "A1", "A2"):
        taken = result.breaks[person, 0]
        assert len(taken) == 4
        assert all(9 * 60 <= t <= 15 * 60 - 10 and t % 15 == 0 for t in taken)
        assert all(b - a >= 60 for a, b in zip(taken, taken[1:], strict=False))
    # two on the phones at all times: breaks never overlap with 3 people and 2 wanted
    away = Counter(t for taken in result.breaks.values() for t in taken)
    assert max(away.values()) == 1


@pytest.mark.rule("FLOOR-02")
def test_no_more_of_a_team_away_than_its_tokens():
    # Four people who must work, nobody wanted on the phones: breaks could all be at
    # once, but one token lets only one away at a time.
    p = team_day(people=4, want=0, tokens=1, contract=Contract(min_minutes=480))
    result = solve(p, time_limit=20)
    away = Counter(t for taken in result.breaks.values() for t in taken)
    assert sum(away.values()) == 4 * 4 and max(away.values()) == 1


@pytest.mark.rule("FLOOR-01")
def test_someone_on_a_break_is_off_the_phones():
    # Two people and two wanted all day: each break leaves one short for an interval.
    p = team_day(people=2, want=2)
    result = solve(p, time_limit=20)
    assert result.objective == 8 * 100
    assert (
        p.cost(
            result.assignment,
            {k: tuple(t + 0 for t in v) for k, v in result.breaks.items()},
        )
        == result.objective
    )


def test_the_search_tracks_breaks_of_the_people_it_holds_fixed():
    p = team_day(people=5, want=3, tokens=2)
    search = _Search(build_model(p), 1, time.perf_counter() + 30)
    search.best = {(f"A{i}", 0): "D" for i in range(5)}
    search.breaks = {(f"A{i}", 0): (540, 615, 690, 765) for i in range(5)}  # all at once
    search.objective = start = p.cost(search.best, search.breaks)
    for chosen in ([0, 1], [2, 3], [4, 0]):
        _, finished = search.improve(chosen, range(1), seed=1)
        assert finished and search.objective == p.cost(search.best, search.breaks)
    assert search.objective < start


def test_breaks_need_timed_shifts_and_segments_that_fit_an_interval():
    rule = BreakRule(minutes_per_hour=5, segment=20)
    with pytest.raises(InputError) as caught:
        RosterProblem(1, (DAY,), (), interval_minutes=15, breaks=rule)
    assert caught.value.field == "break segment"
    with pytest.raises(InputError):
        RosterProblem(1, (ShiftType("D", 480),), (), breaks=BreakRule(minutes_per_hour=5))


@pytest.mark.rule("FLOOR-02")
def test_a_token_serves_one_break_after_another_within_a_long_interval():
    # 30-minute intervals and 15-minute breaks: one token lets two breaks start in an
    # interval (one after the other), never three.
    rule = BreakRule(minutes_per_hour=FIVE_A_HOUR, segment=15, tokens=1)
    assert rule.breaks_per_interval(30) == 2 and rule.breaks_per_interval(15) == 1
    p = RosterProblem(
        days=1,
        shifts=(DAY,),
        employees=tuple(Employee(f"A{i}", Contract(min_minutes=480), team="T1") for i in range(6)),
        interval_cover=tuple(IntervalCover(0, m, 0, 100, 1) for m in range(8 * 60, 16 * 60, 30)),
        interval_minutes=30,
        breaks=rule,
    )
    result = solve(p, time_limit=20)
    away = Counter(t for taken in result.breaks.values() for t in taken)
    assert sum(away.values()) == 6 * 3 and max(away.values()) == 2
