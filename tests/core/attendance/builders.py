"""Small builders for attendance tests: shifts and punches from short text."""

from __future__ import annotations

import datetime as dt

from ccops.core.attendance import Punch, Shift, ShiftDay, assess_shift
from ccops.core.attendance.punches import Direction


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def shift(
    day: str = "2026-10-05", start: str = "08:00", end: str = "17:00", employee: str = "A"
) -> Shift:
    """A shift on ``day``; an end at or before the start is on the next day."""
    begins = at(f"{day} {start}")
    ends = at(f"{day} {end}")
    if ends <= begins:
        ends += dt.timedelta(days=1)
    return Shift(employee, begins.date(), begins, ends)


def punch(
    when: str, direction: Direction = "in", employee: str = "A", row: int | None = None
) -> Punch:
    return Punch(employee, at(when), direction, row)


def worked(day: str, arrive: str = "08:00", leave: str = "17:00", employee: str = "A") -> ShiftDay:
    """An 08:00-17:00 shift day with an in at ``arrive`` and an out at ``leave``."""
    return assess_shift(
        shift(day, employee=employee),
        [punch(f"{day} {arrive}", "in", employee), punch(f"{day} {leave}", "out", employee)],
    )


def absent(day: str, employee: str = "A") -> ShiftDay:
    return assess_shift(shift(day, employee=employee), [])


def late_and_early(day: str, late_by: int = 0, early_by: int = 0) -> ShiftDay:
    """An 08:00-17:00 day arriving ``late_by`` minutes late and leaving ``early_by`` early
    (negative: early arrival, late leaving)."""
    arrive = at(f"{day} 08:00") + dt.timedelta(minutes=late_by)
    leave = at(f"{day} 17:00") - dt.timedelta(minutes=early_by)
    return worked(day, arrive.strftime("%H:%M"), leave.strftime("%H:%M"))


def late(day: str, minutes: int) -> ShiftDay:
    return late_and_early(day, late_by=minutes)


def early(day: str, minutes: int) -> ShiftDay:
    return late_and_early(day, early_by=minutes)
