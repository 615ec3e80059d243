"""Employee-friendly shift classes (PLAN-07): family hours, no evening or night for
pregnant staff, shifts around a student's classes, longer rest blocks for staff from
other towns; and a class that cannot hold is named in the conflict."""

from __future__ import annotations

import pytest

from ccops.core.roster.problem import (
    Contract,
    Employee,
    FriendlyClasses,
    IntervalCover,
    RosterProblem,
    ShiftType,
    shift_fits_class,
)
from ccops.core.roster.solve import solve

EARLY = ShiftType("E", 480, start=7 * 60)  # 07:00-15:00
DAY = ShiftType("D", 480, start=9 * 60)  # 09:00-17:00
LATE = ShiftType("L", 480, start=14 * 60)  # 14:00-22:00
NIGHT = ShiftType("N", 480, start=22 * 60)  # 22:00-06:00
SHIFTS = (EARLY, DAY, LATE, NIGHT)

pytestmark = pytest.mark.rule("PLAN-07")


def problem(*employees: Employee, days: int = 7, cover: int = 1) -> RosterProblem:
    want = [
        IntervalCover(day, hour * 60, cover, 100, 1) for day in range(days) for hour in range(24)
    ]
    return RosterProblem(
        days=days,
        shifts=SHIFTS,
        employees=employees,
        interval_cover=tuple(want),
        interval_minutes=60,
        friendly=FriendlyClasses(),
    )


def worked(result, code):
    return {day: s for (who, day), s in result.assignment.items() if who == code}


def test_which_shifts_suit_which_class():
    p = problem()
    family = Employee("F", Contract(), shift_class="family_hours")
    pregnant = Employee("P", Contract(), shift_class="no_night")
    assert [s.code for s in SHIFTS if shift_fits_class(p, family, s, 0)] == ["D"]
    assert [s.code for s in SHIFTS if shift_fits_class(p, pregnant, s, 0)] == ["E", "D"]
    student = Employee(
        "S", Contract(), shift_class="class_timetable", unavailable=((0, 8 * 60, 12 * 60),)
    )
    assert [s.code for s in SHIFTS if shift_fits_class(p, student, s, 0)] == ["L", "N"]
    assert [s.code for s in SHIFTS if shift_fits_class(p, student, s, 1)] == ["E", "D", "L", "N"]


def test_rosters_keep_each_class_even_when_cover_is_short():
    people = (
        Employee("F", Contract(min_minutes=5 * 480), shift_class="family_hours"),
        Employee("P", Contract(min_minutes=5 * 480), shift_class="no_night"),
        Employee(
            "S",
            Contract(),
            shift_class="class_timetable",
            unavailable=tuple((d, 8 * 60, 12 * 60) for d in range(5)),
        ),
        Employee("O", Contract(min_minutes=5 * 480)),
    )
    result = solve(problem(*people), time_limit=20)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert set(worked(result, "F").values()) <= {"D"}
    assert set(worked(result, "P").values()) <= {"E", "D"}
    for day, code in worked(result, "S").items():
        assert day >= 5 or code in ("L", "N")


def test_staff_from_other_towns_get_their_days_off_in_blocks():
    home = Employee("H", Contract(min_minutes=4 * 480, max_consecutive=5), shift_class="long_rest")
    p = RosterProblem(
        **{**problem(home, days=14).__dict__, "friendly": FriendlyClasses(long_rest_days_off=3)}
    )
    result = solve(p, time_limit=20)
    days = worked(result, "H")
    off = [d for d in range(14) if d not in days]
    blocks, run = [], []
    for d in off:
        if run and d != run[-1] + 1:
            blocks.append(run)
            run = []
        run.append(d)
    blocks.append(run)
    inner = [b for b in blocks if b and b[0] > 0 and b[-1] < 13]
    assert all(len(b) >= 3 for b in inner), blocks


def test_a_class_that_cannot_hold_is_named():
    locked_late = Employee("P", Contract(min_minutes=7 * 480), shift_class="no_night")
    p = RosterProblem(
        **{**problem(locked_late).__dict__, "shifts": (LATE, NIGHT)}
    )  # only evening and night shifts exist
    result = solve(p, time_limit=20)
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert "friendly_class" in conflict.rules and "min_minutes" in conflict.rules
