"""Forecast levels and accuracy (PLAN-01): interval, daily, monthly and yearly totals;
WAPE and bias; a per-week table comparing a published forecast with the actual calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from ccops.core.errors import InputError
from ccops.core.forecast.history import FloatArray, as_counts, as_minutes

Level = Literal["interval", "daily", "monthly", "yearly"]
#: The four forecast levels of PLAN-01, coarsest first.
LEVELS: Final[tuple[Level, ...]] = ("yearly", "monthly", "daily", "interval")
_UNITS: Final = {"interval": "m", "daily": "D", "monthly": "M", "yearly": "Y"}


@dataclass(frozen=True)
class Totals:
    """Calls summed per period of one level.

    Attributes:
        level: ``interval``, ``daily``, ``monthly`` or ``yearly``.
        periods: start of each period, sorted (``datetime64`` in minutes, days, months
            or years).
        calls: the total of each period.
    """

    level: Level
    periods: npt.NDArray[np.datetime64]
    calls: FloatArray


def totals(starts: npt.ArrayLike, calls: npt.ArrayLike, level: Level) -> Totals:
    """Sum interval values into the periods of a forecast level (PLAN-01).

    Args:
        starts: interval starts (naive local times).
        calls: a value per interval (forecast or actual calls).
        level: ``interval``, ``daily``, ``monthly`` or ``yearly``.

    Raises:
        InputError: ``level`` out_of_range, or bad starts or calls.
    """
    if level not in _UNITS:
        raise InputError("level", level, "out_of_range", f"must be one of {', '.join(LEVELS)}")
    minutes = as_minutes(starts)
    values = as_counts(calls, "calls", len(minutes))
    periods, where = np.unique(minutes.astype(f"datetime64[{_UNITS[level]}]"), return_inverse=True)
    summed = np.bincount(where.reshape(-1), weights=values, minlength=len(periods))
    return Totals(level, periods, summed.astype(np.float64))


def _pair(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    found = as_counts(actual, "actual", np.size(actual))
    mine = as_counts(forecast, "forecast", len(found))
    if found.sum() <= 0:
        raise InputError("actual", 0, "not_positive", "must contain some calls to measure against")
    return found, mine


def wape(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Weighted absolute percentage error: sum |forecast - actual| / sum actual.

    Raises:
        InputError: lengths differ, a negative or non-numeric value, or no actual calls.
    """
    found, mine = _pair(actual, forecast)
    return float(np.abs(mine - found).sum() / found.sum())


def bias(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Relative bias: sum (forecast - actual) / sum actual; above zero = over-forecast.

    Raises:
        InputError: lengths differ, a negative or non-numeric value, or no actual calls.
    """
    found, mine = _pair(actual, forecast)
    return float((mine - found).sum() / found.sum())


@dataclass(frozen=True)
class WeekAccuracy:
    """One week of the accuracy review: totals, WAPE and bias (None without actuals)."""

    week_start: dt.date
    actual: float
    forecast: float
    wape: float | None
    bias: float | None


def weekly_accuracy(
    forecast_starts: npt.ArrayLike,
    forecast_calls: npt.ArrayLike,
    actual_starts: npt.ArrayLike,
    actual_calls: npt.ArrayLike,
    *,
    week_starts_on: int = 0,
) -> tuple[WeekAccuracy, ...]:
    """Per week, a published forecast against the calls that came (PLAN-01 review).

    Only days of the forecast that have actuals count (a forecast runs ahead of the
    data); on those days an interval missing on one side counts as no calls there, so
    calls in an interval forecast as closed are errors too. WAPE is measured interval
    by interval.

    Args:
        forecast_starts: interval starts of the forecast.
        forecast_calls: forecast calls per interval.
        actual_starts: interval starts of the actual calls (same interval grid).
        actual_calls: actual calls per interval.
        week_starts_on: 0 = weeks from Monday ... 6 = from Sunday.

    Returns:
        One row per week that has actual calls, oldest first.
    """
    if isinstance(week_starts_on, bool) or week_starts_on not in range(7):
        raise InputError("week_starts_on", week_starts_on, "out_of_range", "must be 0 to 6")
    f_starts = as_minutes(forecast_starts)
    f_calls = as_counts(forecast_calls, "forecast", len(f_starts))
    a_starts = as_minutes(actual_starts)
    a_calls = as_counts(actual_calls, "actual", len(a_starts))
    if not len(f_starts) or not len(a_starts):
        return ()
    first, last = f_starts.min().astype("datetime64[D]"), f_starts.max().astype("datetime64[D]")
    days_with_actuals = np.unique(a_starts.astype("datetime64[D]"))
    counted = days_with_actuals[(days_with_actuals >= first) & (days_with_actuals <= last)]
    keep_f = np.isin(f_starts.astype("datetime64[D]"), counted)
    keep_a = np.isin(a_starts.astype("datetime64[D]"), counted)
    cells, where = np.unique(
        np.concatenate([f_starts[keep_f], a_starts[keep_a]]), return_inverse=True
    )
    where = where.reshape(-1)
    split = int(keep_f.sum())
    predicted = np.bincount(where[:split], weights=f_calls[keep_f], minlength=len(cells))
    seen = np.bincount(where[split:], weights=a_calls[keep_a], minlength=len(cells))
    day_number = cells.astype("datetime64[D]").astype(np.int64)
    weekday = (day_number + 3) % 7
    week = day_number - (weekday - week_starts_on) % 7
    rows = []
    for start in np.unique(week):
        mine = week == start
        actual, forecast = float(seen[mine].sum()), float(predicted[mine].sum())
        error = float(np.abs(predicted[mine] - seen[mine]).sum())
        rows.append(
            WeekAccuracy(
                week_start=np.datetime64(int(start), "D").astype(dt.date),
                actual=actual,
                forecast=forecast,
                wape=error / actual if actual > 0 else None,
                bias=(forecast - actual) / actual if actual > 0 else None,
            )
        )
    return tuple(rows)
