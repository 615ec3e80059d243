"""Interval forecasting of call volume and handle time (PLAN-01, PLAN-02).

    result = forecast_calls(starts, calls, interval_minutes=30, horizon_days=28)
    result.starts, result.calls.mean, result.calls.lower, result.calls.upper, result.method

History may be finer than the forecast interval; closed hours are learnt from it and get
no rows. Special days (Chinese statutory holidays, swapped working days, billing days of
the month, planner events) come from `SpecialDays`; anomalous history days are found and
kept out of training. Accuracy: `wape`, `bias`, `weekly_accuracy`; forecast levels:
`totals` (interval, daily, monthly, yearly).
"""

from __future__ import annotations

from ccops.core.forecast.accuracy import (
    LEVELS,
    Level,
    Totals,
    WeekAccuracy,
    bias,
    totals,
    wape,
    weekly_accuracy,
)
from ccops.core.forecast.calendar import DayKind, Event, SpecialDays
from ccops.core.forecast.engine import Band, IntervalForecast, forecast_calls
from ccops.core.forecast.history import History, build_history
from ccops.core.forecast.settings import METHODS, ForecastSettings

__all__ = [
    "LEVELS",
    "METHODS",
    "Band",
    "DayKind",
    "Event",
    "ForecastSettings",
    "History",
    "IntervalForecast",
    "Level",
    "SpecialDays",
    "Totals",
    "WeekAccuracy",
    "bias",
    "build_history",
    "forecast_calls",
    "totals",
    "wape",
    "weekly_accuracy",
]
