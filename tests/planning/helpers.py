"""Planning fixtures built straight into the database (no worker, no forecast engine)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.utils import timezone

from ccops.planning.models import Forecast, ForecastInterval, StaffingPlan


def make_forecast(
    center: Any,
    *,
    days: int = 7,
    first_day: dt.date = dt.date(2026, 12, 7),
    calls: float = 120.0,
    aht: float = 180.0,
    open_hours: tuple[int, int] = (8, 20),
    **fields: Any,
) -> Forecast:
    """A finished 30-minute forecast with a flat volume over the open hours."""
    forecast = Forecast.objects.create(
        seat_type=center.seat_type,
        site=center.site,
        interval_minutes=30,
        horizon_start=first_day,
        horizon_days=days,
        status="succeeded",
        progress=100,
        chosen_method="top_down",
        created_by=center.user("planner"),
        **fields,
    )
    zone = timezone.get_current_timezone()
    rows = []
    for day in range(days):
        date = first_day + dt.timedelta(days=day)
        for half in range(open_hours[0] * 2, open_hours[1] * 2):
            start = dt.datetime.combine(date, dt.time(half // 2, 30 * (half % 2)), zone)
            rows.append(
                ForecastInterval(
                    forecast=forecast,
                    start=start,
                    calls=calls,
                    lower=calls * 0.8,
                    upper=calls * 1.2,
                    aht=aht,
                )
            )
    ForecastInterval.objects.bulk_create(rows)
    return forecast


def make_planning(center: Any, **fields: Any) -> tuple[Forecast, StaffingPlan]:
    """A forecast and a (computed) staffing plan at 80/20 with 30 % shrinkage."""
    from ccops.planning.services import run_staffing

    forecast = make_forecast(center, **fields)
    plan = StaffingPlan.objects.create(
        forecast=forecast,
        service_level=0.8,
        threshold_seconds=20,
        break_minutes_per_hour=5,
        absence=0.3 - 5 / 60,
        created_by=center.user("planner"),
    )
    run_staffing(plan.pk)
    plan.refresh_from_db()
    return forecast, plan


def as_array(values: Any) -> np.ndarray:
    return np.asarray(list(values), dtype=float)
