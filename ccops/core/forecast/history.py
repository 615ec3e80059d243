"""Call history on the interval grid: checked, sorted and summed into a days x slots matrix.

History may come at the target interval or finer (6-minute counts summed to 30 minutes);
rows may be missing (a missing row is an interval without calls). Every refusal is an
`InputError` naming the field, the 1-based array element and a stable code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ccops.core.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DayArray = npt.NDArray[np.datetime64]

MINUTES_PER_DAY = 1440
#: Shortest history that shows every weekday twice.
MIN_HISTORY_DAYS = 14


@dataclass(frozen=True)
class History:
    """Calls (and handle time) per day and interval of the day.

    Attributes:
        first_day: the first calendar day of the history (``datetime64[D]``).
        calls: calls per day (rows) and interval of the day (columns).
        handled_calls: calls whose handle time is known, same shape (None without AHT).
        handle_seconds: their handle time summed, in seconds, same shape (None without AHT).
        interval_minutes: length of one interval (a column).
        source_minutes: the granularity the history came in.
    """

    first_day: np.datetime64
    calls: FloatArray
    handled_calls: FloatArray | None
    handle_seconds: FloatArray | None
    interval_minutes: int
    source_minutes: int

    @property
    def days(self) -> DayArray:
        """The calendar day of every row."""
        return self.first_day + np.arange(self.calls.shape[0])

    @property
    def slots(self) -> int:
        """Intervals per day."""
        return int(self.calls.shape[1])


def check_interval_minutes(interval_minutes: object) -> int:
    """The interval length as an int, if it divides a day.

    Raises:
        InputError: ``interval_minutes`` out_of_range.
    """
    if (
        isinstance(interval_minutes, bool)
        or not isinstance(interval_minutes, int | np.integer)
        or interval_minutes <= 0
        or MINUTES_PER_DAY % int(interval_minutes)
    ):
        raise InputError(
            "interval_minutes",
            interval_minutes,
            "out_of_range",
            "must be a whole number of minutes that divides a day (15, 30, 60 ...)",
        )
    return int(interval_minutes)


def check_horizon(horizon_days: object) -> int:
    """The horizon as an int of at least one day.

    Raises:
        InputError: ``horizon_days`` not_positive.
    """
    if (
        isinstance(horizon_days, bool)
        or not isinstance(horizon_days, int | np.integer)
        or horizon_days <= 0
    ):
        raise InputError("horizon_days", horizon_days, "not_positive", "must be at least one day")
    return int(horizon_days)


def as_minutes(starts: Sequence[Any] | npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """Interval starts as ``datetime64[m]``: datetimes, ISO strings or datetime64 values.

    Raises:
        InputError: ``interval_start`` not_a_time (a value that is no date and time) or
            misaligned (seconds past a whole minute), naming the element.
    """
    raw = np.asarray(starts)
    if raw.ndim != 1:
        raw = raw.reshape(-1)
    try:
        stamps = raw.astype("datetime64[s]")
    except (TypeError, ValueError):
        stamps = np.array([_one_stamp(value, row) for row, value in enumerate(raw, 1)])
    missing = np.flatnonzero(np.isnat(stamps))
    if len(missing):
        row = int(missing[0])
        raise InputError(
            "interval_start", plain(raw[row]), "not_a_time", "must be a date and time", row=row + 1
        )
    minutes = stamps.astype("datetime64[m]")
    off = np.flatnonzero(minutes.astype("datetime64[s]") != stamps)
    if len(off):
        row = int(off[0])
        raise InputError(
            "interval_start",
            plain(raw[row]),
            "misaligned",
            "must start on a whole minute",
            row=row + 1,
        )
    return minutes


def plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, for error messages."""
    return value.item() if isinstance(value, np.generic) else value


def _one_stamp(value: object, row: int) -> np.datetime64:
    try:
        return np.datetime64(value, "s")  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError) as exc:
        raise InputError(
            "interval_start", value, "not_a_time", "must be a date and time", row=row
        ) from exc


def as_counts(
    values: npt.ArrayLike, field: str, size: int, *, allow_nan: bool = False
) -> FloatArray:
    """Finite, non-negative numbers, one per interval start.

    Raises:
        InputError: ``field`` not_numeric (text, NaN, infinity; NaN allowed if asked),
            negative, or out_of_range when the length differs from the starts'.
    """
    raw = np.asarray(values)
    if raw.ndim != 1:
        raw = raw.reshape(-1)
    if len(raw) != size:
        raise InputError(
            field, len(raw), "out_of_range", f"must have one value per interval start ({size})"
        )
    if raw.dtype.kind in "biuf":
        numbers = raw.astype(np.float64)
    else:
        numbers = np.array([_one_number(value, field, row) for row, value in enumerate(raw, 1)])
    bad = ~np.isfinite(numbers)
    if allow_nan:
        bad &= ~np.isnan(numbers)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            field, plain(raw[row]), "not_numeric", "must be a finite number", row=row + 1
        )
    negative = np.flatnonzero(numbers < 0)
    if len(negative):
        row = int(negative[0])
        raise InputError(field, plain(raw[row]), "negative", "must not be negative", row=row + 1)
    return numbers


def _one_number(value: object, field: str, row: int) -> float:
    if isinstance(value, bool) or value is None:
        raise InputError(field, value, "not_numeric", "must be a number", row=row)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InputError(field, value, "not_numeric", "must be a number", row=row) from exc
    if math.isnan(number) and isinstance(value, str) and value.strip().lower() != "nan":
        raise InputError(field, value, "not_numeric", "must be a number", row=row)
    return number


def source_granularity(sorted_minutes: IntArray, interval_minutes: int) -> int:
    """The history's own interval length: the most common step between starts.

    Raises:
        InputError: ``interval_minutes`` out_of_range when the history is coarser than the
            interval or its intervals do not nest in it.
    """
    steps = np.diff(sorted_minutes)
    steps = steps[steps > 0]
    if not len(steps):
        return interval_minutes
    values, counts = np.unique(steps, return_counts=True)
    step = int(values[int(np.argmax(counts))])
    if step > interval_minutes:
        raise InputError(
            "interval_minutes",
            interval_minutes,
            "out_of_range",
            f"is finer than the history, which comes per {step} minutes",
        )
    if interval_minutes % step:
        raise InputError(
            "interval_minutes",
            interval_minutes,
            "out_of_range",
            f"is not a multiple of the history's {step}-minute intervals",
        )
    return step


def build_history(
    starts: npt.ArrayLike,
    calls: npt.ArrayLike,
    *,
    interval_minutes: int,
    aht: npt.ArrayLike | None = None,
    min_history_days: int = MIN_HISTORY_DAYS,
) -> History:
    """Check the rows and sum them into intervals of ``interval_minutes``.

    Args:
        starts: interval starts, naive local wall-clock times (``datetime64[m]``, datetimes
            or ISO strings), in any order.
        calls: calls offered in each interval.
        interval_minutes: the target interval; the history's own must divide it.
        aht: average handle time in seconds per row (NaN allowed where unknown).
        min_history_days: shortest accepted history, in calendar days.

    Returns:
        The history as a days x intervals matrix; missing rows count as no calls.

    Raises:
        InputError: not_a_time, misaligned, duplicate, not_numeric, negative, out_of_range
            or too_short, naming the field and (for one element) its 1-based position.
    """
    interval = check_interval_minutes(interval_minutes)
    minutes = as_minutes(starts)
    counts = as_counts(calls, "calls", len(minutes))
    handle = None if aht is None else as_counts(aht, "aht", len(minutes), allow_nan=True)
    if not len(minutes):
        raise InputError("history", 0, "too_short", "has no rows; give at least two weeks")
    order = np.argsort(minutes, kind="stable")
    ordered = minutes[order].astype(np.int64)
    repeated = np.flatnonzero(np.diff(ordered) == 0)
    if len(repeated):
        row = int(order[repeated[0] + 1])
        raise InputError(
            "interval_start", str(minutes[row]), "duplicate", "appears twice", row=row + 1
        )
    step = source_granularity(ordered, interval)
    of_day = ordered % MINUTES_PER_DAY
    off = np.flatnonzero(of_day % step)
    if len(off):
        row = int(order[off[0]])
        raise InputError(
            "interval_start",
            str(minutes[row]),
            "misaligned",
            f"does not start a {step}-minute interval of the history",
            row=row + 1,
        )
    day = ordered // MINUTES_PER_DAY
    span = int(day[-1] - day[0]) + 1
    if span < min_history_days:
        raise InputError(
            "history", span, "too_short", f"covers {span} days; give at least {min_history_days}"
        )
    slots = MINUTES_PER_DAY // interval
    cell = (day - day[0]) * slots + of_day // interval
    size = span * slots
    matrix = _summed(cell, counts[order], size).reshape(span, slots)
    handled = seconds = None
    if handle is not None:
        known = ~np.isnan(handle[order])
        weights = np.where(known, counts[order], 0.0)
        handled = _summed(cell, weights, size).reshape(span, slots)
        product = np.where(known, weights * np.nan_to_num(handle[order]), 0.0)
        seconds = _summed(cell, product, size).reshape(span, slots)
    first_day = np.datetime64(int(day[0]), "D")
    return History(first_day, matrix, handled, seconds, interval, step)


def _summed(cells: IntArray, values: FloatArray, size: int) -> FloatArray:
    return np.bincount(cells, weights=values, minlength=size).astype(np.float64)
