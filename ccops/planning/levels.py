"""A forecast at the levels of PLAN-01: calls and handle time per day, month and year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from ccops.core.forecast import totals
from ccops.core.forecast.accuracy import LEVELS, Level
from ccops.planning.models import Forecast
from ccops.planning.staffing import forecast_arrays

#: The levels a planner reads a forecast at, coarsest first (intervals are the forecast).
PERIOD_LEVELS: tuple[Level, ...] = tuple(level for level in LEVELS if level != "interval")


@dataclass(frozen=True)
class PeriodTotal:
    """Final (adjusted where adjusted) calls of one period, and their handle time."""

    period: dt.date
    calls: float
    aht: float | None  # calls-weighted seconds; None for a period without calls


def forecast_totals(forecast: Forecast, level: Level) -> list[PeriodTotal]:
    """The forecast's calls and handle time summed per day, month or year (PLAN-01)."""
    starts, calls, aht = forecast_arrays(forecast)
    if not starts:
        return []
    zone = timezone.get_current_timezone()
    local = np.array(
        [np.datetime64(timezone.localtime(s, zone).replace(tzinfo=None), "m") for s in starts]
    )
    volume = totals(local, calls, level)
    seconds = totals(local, calls * np.nan_to_num(aht), level)
    return [
        PeriodTotal(
            period=period.astype("datetime64[D]").astype(dt.date),
            calls=float(n),
            aht=float(s / n) if n > 0 else None,
        )
        for period, n, s in zip(volume.periods, volume.calls, seconds.calls, strict=True)
    ]
