"""The one place that turns a scope's ACD history into a core forecast call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ccops.core.forecast import IntervalForecast, SpecialDays, forecast_calls


def forecast_scope(
    history: Any,
    *,
    interval_minutes: int,
    horizon_days: int,
    method: str,
    billing_days: Sequence[int],
    events: Sequence[tuple[dt.date, dt.date, float]],
    progress: Callable[[float], None] | None = None,
) -> IntervalForecast:
    """Forecast calls and handle time for the scope, with its special days."""
    calendar = SpecialDays.of(billing_days=tuple(billing_days), events=list(events))
    aht = history.aht if np.isfinite(history.aht).any() else None
    return forecast_calls(
        history.starts,
        history.calls,
        interval_minutes=interval_minutes,
        horizon_days=horizon_days,
        calendar=calendar,
        method=method,
        aht=aht,
        progress=progress,
    )
