"""Scheduled shifts and clock punches, and which shift day each punch belongs to.

Times are local wall-clock datetimes as the roster and the clock give them (naive, or
all aware in one zone; never mixed). The centers these rules come from keep China
time, which has no daylight saving, so wall-clock differences are true durations.

A punch belongs to the shift *day* of the shift it was punched for, not to the
calendar date it carries: the ``out`` at 06:02 of a 22:00-06:00 night shift belongs
to the day the shift started. A punch is attributed to a shift of its employee when
it falls inside the shift widened by ``window`` on both sides (4 hours by default);
a punch near no shift is returned as unattributed, never dropped.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ccops.core.errors import InputError

Direction = Literal["in", "out"]
DIRECTIONS: tuple[Direction, ...] = ("in", "out")
DEFAULT_WINDOW = dt.timedelta(hours=4)


@dataclass(frozen=True)
class Shift:
    """One scheduled shift of an employee: its roster date (the shift day) and times.

    ``end`` is after ``start``; it falls on the next calendar day for a night shift.
    ``row`` is the roster file row it came from, for messages.
    """

    employee: str
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    row: int | None = None


@dataclass(frozen=True)
class Punch:
    """One clock punch: who, when (local time) and whether in or out."""

    employee: str
    at: dt.datetime
    direction: Direction
    row: int | None = None

    def describe(self) -> str:
        """``2026-10-05 08:03 in`` (seconds shown only when there are some)."""
        spec = "seconds" if self.at.second else "minutes"
        return f"{self.at.date().isoformat()} {self.at.time().isoformat(spec)} {self.direction}"


@dataclass(frozen=True)
class Attribution:
    """Punches by the shift they belong to, and those near no shift.

    ``by_shift`` has every shift given, in roster order, with its punches in time order
    (an empty tuple when there were none).
    """

    by_shift: Mapping[Shift, tuple[Punch, ...]]
    unattributed: tuple[Punch, ...]


def check_roster(shifts: Iterable[Shift]) -> None:
    """Refuse a roster an attribution could not trust.

    Raises:
        InputError: a shift that does not end after it starts; a second shift of an
            employee on one day; or a shift overlapping the employee's previous one
            (named on the later of the two rows).
    """
    for employee_shifts in _by_employee(shifts).values():
        days: dict[dt.date, Shift] = {}
        for previous, shift in zip([None, *employee_shifts], employee_shifts, strict=False):
            if shift.end <= shift.start:
                raise InputError(
                    "shift_end", shift.end, "out_of_range", "must be after the start", row=shift.row
                )
            if shift.day in days:
                raise InputError(
                    "date", shift.day, "duplicate", _second_shift(days[shift.day]), row=shift.row
                )
            if previous is not None and shift.start < previous.end:
                raise InputError(
                    "shift_start", shift.start, "overlap", _overlap(previous), row=shift.row
                )
            days[shift.day] = shift


def check_punches(punches: Iterable[Punch], employees: Iterable[str]) -> None:
    """Refuse punches of people not on the roster and exact duplicate punches.

    Raises:
        InputError: naming the punch's row (for a duplicate, the second occurrence).
    """
    rostered = set(employees)
    seen: dict[tuple[str, dt.datetime, str], Punch] = {}
    for punch in punches:
        if punch.employee not in rostered:
            raise InputError(
                "employee", punch.employee, "unknown", "not on the roster", row=punch.row
            )
        key = (punch.employee, punch.at, punch.direction)
        if key in seen:
            first = seen[key].row
            reason = "the same punch twice" + (f" (first at row {first})" if first else "")
            raise InputError("punch_time", punch.at, "duplicate", reason, row=punch.row)
        seen[key] = punch


def shift_day_of(
    punch: Punch, shifts: Sequence[Shift], window: dt.timedelta = DEFAULT_WINDOW
) -> Shift | None:
    """The shift ``punch`` belongs to, among one employee's shifts (checked, any order).

    Candidates are the shifts whose time widened by ``window`` holds the punch. Of two
    candidates (shifts closer than two windows apart), an ``in`` goes to the shift with
    the nearer start and an ``out`` to the one with the nearer end, the earlier shift on
    a tie: an ``in`` is punched for a start, an ``out`` for an end.
    """
    return _Timeline(sorted(shifts, key=lambda shift: shift.start)).shift_of(punch, window)


def attribute(
    shifts: Sequence[Shift], punches: Iterable[Punch], *, window: dt.timedelta = DEFAULT_WINDOW
) -> Attribution:
    """Every punch attributed to its shift day (see ``shift_day_of``) or left unattributed.

    Raises:
        InputError: from ``check_roster`` and ``check_punches``.
    """
    check_roster(shifts)
    punches = list(punches)
    timelines = {name: _Timeline(own) for name, own in _by_employee(shifts).items()}
    check_punches(punches, timelines)
    found: dict[Shift, list[Punch]] = {shift: [] for shift in shifts}
    unattributed: list[Punch] = []
    for punch in sorted(punches, key=lambda p: p.at):
        shift = timelines[punch.employee].shift_of(punch, window)
        (unattributed if shift is None else found[shift]).append(punch)
    return Attribution({shift: tuple(found[shift]) for shift in shifts}, tuple(unattributed))


class _Timeline:
    """One employee's non-overlapping shifts in time order, searchable by bisection."""

    def __init__(self, shifts: Sequence[Shift]) -> None:
        self.shifts = shifts
        self.starts = [shift.start for shift in shifts]
        self.ends = [shift.end for shift in shifts]  # sorted too: the shifts do not overlap

    def shift_of(self, punch: Punch, window: dt.timedelta) -> Shift | None:
        first = bisect_left(self.ends, punch.at - window)
        last = bisect_right(self.starts, punch.at + window)
        candidates = self.shifts[first:last]
        if not candidates:
            return None
        return min(candidates, key=lambda shift: _distance(punch, shift))


def _by_employee(shifts: Iterable[Shift]) -> dict[str, list[Shift]]:
    grouped: dict[str, list[Shift]] = {}
    for shift in shifts:
        grouped.setdefault(shift.employee, []).append(shift)
    for employee_shifts in grouped.values():
        employee_shifts.sort(key=lambda shift: (shift.start, shift.end))
    return grouped


def _distance(punch: Punch, shift: Shift) -> tuple[dt.timedelta, dt.datetime]:
    edge = shift.start if punch.direction == "in" else shift.end
    return abs(punch.at - edge), shift.start


def _second_shift(previous: Shift) -> str:
    where = f" (row {previous.row})" if previous.row else ""
    return f"a second shift for {previous.employee} on this day{where}"


def _overlap(previous: Shift) -> str:
    where = f" at row {previous.row}" if previous.row else ""
    return (
        f"overlaps {previous.employee}'s shift of {previous.day.isoformat()}{where}, "
        f"which ends {previous.end.isoformat(' ', 'minutes')}"
    )
