"""Special days: statutory holidays and swapped working days, billing days, events.

Chinese statutory holidays (and the weekend days that become working days in exchange)
come from the ``chinese_calendar`` package, which covers 2004 onwards; a day outside
its years is treated as having no holiday information. Billing days are days of the
month (PLAN-02: separate shift sets for billing periods). Events are entered by planners
as a date range and an uplift factor.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

import chinese_calendar  # type: ignore[import-untyped]
import numpy as np

from ccops.core.errors import InputError
from ccops.core.forecast.history import DayArray, FloatArray

__all__ = ["DayKind", "Event", "SpecialDays", "day_kinds", "event_uplift"]


class DayKind(IntEnum):
    """What kind of day a calendar day is for forecasting; holidays win over the rest."""

    NORMAL = 0
    HOLIDAY = 1
    WORKDAY = 2  # a weekend day worked in exchange for a holiday
    BILLING = 3
    EVENT = 4  # a planner-entered event, when no other kind applies


@dataclass(frozen=True)
class Event:
    """A known campaign or incident: calls on these days are ``uplift`` x a normal day.

    Raises:
        InputError: ``uplift`` negative or not_numeric; ``last_day`` before ``first_day``.
    """

    first_day: dt.date
    last_day: dt.date
    uplift: float
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.uplift, int | float) or not math.isfinite(self.uplift):
            raise InputError("uplift", self.uplift, "not_numeric", "must be a finite number")
        if self.uplift < 0:
            raise InputError("uplift", self.uplift, "negative", "must not be negative")
        if self.last_day < self.first_day:
            raise InputError(
                "last_day", self.last_day, "out_of_range", "must not come before the first day"
            )

    def covers(self, days: DayArray) -> np.ndarray:
        """Which of ``days`` fall inside the event."""
        first = np.datetime64(self.first_day, "D")
        last = np.datetime64(self.last_day, "D")
        return (days >= first) & (days <= last)


@dataclass(frozen=True)
class SpecialDays:
    """The calendar hook of the forecast.

    Attributes:
        statutory: use Chinese statutory holidays and swapped working days.
        holidays: further days to treat as holidays (a company day off, a local holiday).
        billing_days: days of the month when bills go out (1..31; a day past the end of a
            short month falls on its last day).
        events: planner-entered events with their uplift.
    """

    statutory: bool = True
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    billing_days: tuple[int, ...] = ()
    events: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        for day in self.billing_days:
            if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
                raise InputError(
                    "billing_days", day, "out_of_range", "must be days of the month, 1 to 31"
                )

    @classmethod
    def of(
        cls,
        *,
        statutory: bool = True,
        holidays: Iterable[dt.date] = (),
        billing_days: Iterable[int] = (),
        events: Iterable[Event | tuple[dt.date, dt.date, float]] = (),
    ) -> SpecialDays:
        """Build from plain values; events may be ``(first_day, last_day, uplift)`` tuples."""
        return cls(
            statutory=statutory,
            holidays=frozenset(holidays),
            billing_days=tuple(billing_days),
            events=tuple(e if isinstance(e, Event) else Event(*e) for e in events),
        )


def _statutory_kind(day: dt.date) -> DayKind:
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the package does not cover: no information
        return DayKind.NORMAL
    if name is None:
        return DayKind.NORMAL
    return DayKind.HOLIDAY if is_holiday else DayKind.WORKDAY


def _is_billing(day: dt.date, billing_days: tuple[int, ...]) -> bool:
    if not billing_days:
        return False
    next_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    month_length = (next_month - dt.timedelta(days=1)).day
    return any(min(b, month_length) == day.day for b in billing_days)


def day_kinds(days: DayArray, calendar: SpecialDays | None) -> np.ndarray:
    """The `DayKind` of every day (as small ints), holidays first, then swapped working
    days, billing days and events."""
    kinds = np.zeros(len(days), dtype=np.int8)
    if calendar is None:
        return kinds
    in_event = np.zeros(len(days), dtype=bool)
    for event in calendar.events:
        in_event |= event.covers(days)
    for index, value in enumerate(days.astype("datetime64[D]").tolist()):
        day: dt.date = value
        kind = _statutory_kind(day) if calendar.statutory else DayKind.NORMAL
        if day in calendar.holidays:
            kind = DayKind.HOLIDAY
        if kind == DayKind.NORMAL and _is_billing(day, calendar.billing_days):
            kind = DayKind.BILLING
        if kind == DayKind.NORMAL and in_event[index]:
            kind = DayKind.EVENT
        kinds[index] = kind
    return kinds


def event_uplift(days: DayArray, calendar: SpecialDays | None) -> FloatArray:
    """The product of the uplifts of the events covering each day (1 elsewhere)."""
    uplift = np.ones(len(days))
    if calendar is not None:
        for event in calendar.events:
            uplift[event.covers(days)] *= event.uplift
    return uplift


def in_any_event(days: DayArray, calendar: SpecialDays | None) -> np.ndarray:
    """Which days fall in at least one event (whatever their other kind)."""
    covered = np.zeros(len(days), dtype=bool)
    if calendar is not None:
        for event in calendar.events:
            covered |= event.covers(days)
    return covered
