"""A roster's month: only the month's shift days are fined, every employee is listed."""

from __future__ import annotations

import datetime as dt

import pytest

from ccops.core.attendance import Month, default_policy, month_report
from ccops.core.errors import InputError
from tests.core.attendance.builders import punch, shift


def report(shifts, punches, month="2026-10"):
    return month_report(shifts, punches, Month.parse(month), default_policy())


@pytest.mark.rule("ATT-10")
def test_a_night_shift_of_the_month_before_keeps_its_punches_after_midnight() -> None:
    last_night = shift("2026-09-30", "22:00", "06:00")
    first_day = shift("2026-10-01", "14:00", "22:00")
    result = report(
        [last_night, first_day],
        [punch("2026-09-30 22:20"), punch("2026-10-01 06:00", "out"), punch("2026-10-01 14:00")],
    )
    [employee] = result.employees
    assert [day.day for day in employee.days] == [dt.date(2026, 10, 1)]
    assert employee.lines == () and result.unattributed == ()
    assert result.flagged[0].flags == ("missing_out",)


@pytest.mark.rule("ATT-08")
def test_a_run_does_not_carry_over_from_the_month_before() -> None:
    days = ["2026-09-29", "2026-09-30", "2026-10-01"]
    punches = [punch(f"{d} 08:03") for d in days] + [punch(f"{d} 17:00", "out") for d in days]
    [employee] = report([shift(d) for d in days], punches).employees
    assert [line.amount for line in employee.lines] == [2]


@pytest.mark.rule("ATT-10")
def test_everyone_on_the_roster_is_listed_in_employee_order() -> None:
    shifts = [shift("2026-10-05", employee="B"), shift("2026-11-02", employee="A")]
    result = report(
        shifts,
        [punch("2026-10-05 08:00", employee="B"), punch("2026-10-05 17:00", "out", employee="B")],
    )
    assert [(e.employee, e.total) for e in result.employees] == [("A", 0), ("B", 0)]


def test_an_out_before_in_anywhere_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        report(
            [shift()], [punch("2026-10-05 17:00", row=2), punch("2026-10-05 08:00", "out", row=3)]
        )
    assert caught.value.row == 3


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "October", "2026-10-01", ""])
def test_a_month_is_year_and_month(text: str) -> None:
    with pytest.raises(InputError):
        Month.parse(text)


def test_a_month_holds_its_days() -> None:
    october = Month.parse("2026-10")
    assert dt.date(2026, 10, 31) in october and dt.date(2026, 11, 1) not in october
    assert str(october) == "2026-10"
