"""A month's attendance for a whole roster: fines per employee, and what needs a clerk."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ccops.core.attendance.days import ShiftDay, assess
from ccops.core.attendance.fines import MonthFines, month_fines
from ccops.core.attendance.policy import AttendancePolicy
from ccops.core.attendance.punches import DEFAULT_WINDOW, Punch, Shift, attribute
from ccops.core.errors import InputError

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Month:
    """A calendar month, ``2026-10``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str, field: str = "month") -> Month:
        """``YYYY-MM`` to a month.

        Raises:
            InputError: anything else, naming ``field``.
        """
        match = _MONTH.fullmatch(text.strip())
        if match is None or not 1 <= int(match[2]) <= 12:
            raise InputError(field, text, "out_of_range", "must be a month like 2026-10")
        return cls(int(match[1]), int(match[2]))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and (day.year, day.month) == (self.year, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class MonthReport:
    """Every rostered employee's month (in employee order, also those with nothing to
    pay), the days flagged for a missing punch and the punches near no shift."""

    month: Month
    employees: tuple[MonthFines, ...]
    unattributed: tuple[Punch, ...]

    @property
    def flagged(self) -> tuple[ShiftDay, ...]:
        return tuple(day for fines in self.employees for day in fines.flagged)


def month_report(
    shifts: Sequence[Shift],
    punches: Iterable[Punch],
    month: Month,
    policy: AttendancePolicy,
    *,
    window: dt.timedelta = DEFAULT_WINDOW,
) -> MonthReport:
    """Attribute the punches to the whole roster, then fine the month's shift days.

    The whole roster is used for attribution, so that the punches after midnight of the
    last night shift of the month before land on it and not on nothing; only shift days
    inside ``month`` are fined.

    Raises:
        InputError: bad roster or punches (see ``punches.attribute`` and
            ``days.assess_shift``).
    """
    attribution = attribute(shifts, punches, window=window)
    by_employee: dict[str, list[ShiftDay]] = {shift.employee: [] for shift in shifts}
    for day in assess(attribution):
        if day.day in month:
            by_employee[day.employee].append(day)
    employees = tuple(
        month_fines(employee, by_employee[employee], policy) for employee in sorted(by_employee)
    )
    return MonthReport(month, employees, attribution.unattributed)
