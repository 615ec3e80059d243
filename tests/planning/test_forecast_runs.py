"""A forecast run end to end: ACD history in the database -> stored forecast intervals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ccops.intake.models import AcdInterval
from ccops.planning import services
from ccops.planning.models import Forecast


def _history(center, days=28):
    rng = np.random.default_rng(5)
    start = dt.datetime(2026, 10, 5, 0, 0, tzinfo=dt.UTC)  # 08:00 in Shanghai
    rows = []
    for day in range(days):
        for half in range(24):
            offered = int(rng.poisson(60 if day % 7 < 5 else 30))
            rows.append(
                AcdInterval(
                    queue=center.queue,
                    interval_start=start + dt.timedelta(days=day, minutes=30 * half),
                    interval_minutes=30,
                    offered=offered,
                    answered=offered,
                    abandoned=0,
                    answered_in_threshold=offered,
                    abandoned_in_threshold=0,
                    talk_seconds=150 * offered,
                    hold_seconds=10 * offered,
                    acw_seconds=20 * offered,
                )
            )
    AcdInterval.objects.bulk_create(rows)


@pytest.mark.rule("PLAN-01")
def test_history_to_stored_forecast(center):
    for team in (center.team_a,):
        team.queue = center.queue
        team.save()
    _history(center)
    forecast = services.do_request_forecast(
        acting_user=center.user("planner"),
        seat_type=center.seat_type,
        site=None,
        interval_minutes=30,
        horizon_days=7,
    )
    done = services.run_forecast(forecast.pk)
    assert done.status == "succeeded", done.error
    assert done.horizon_start == dt.date(2026, 11, 2)
    rows = list(done.intervals.all())
    assert 7 * 20 <= len(rows) <= 7 * 24
    assert all(r.calls >= 0 and r.aht == pytest.approx(180, rel=0.05) for r in rows)
    assert done.chosen_method


def test_failed_run_leaves_published_forecast_untouched(center, monkeypatch):
    _history(center)
    planner = center.user("planner")
    first = services.do_request_forecast(
        acting_user=planner,
        seat_type=center.seat_type,
        site=None,
        interval_minutes=30,
        horizon_days=7,
    )
    services.run_forecast(first.pk)
    services.do_publish_forecast(Forecast.objects.get(pk=first.pk), acting_user=planner)
    count = first.intervals.count()
    second = services.do_request_forecast(
        acting_user=planner,
        seat_type=center.seat_type,
        site=None,
        interval_minutes=30,
        horizon_days=7,
    )

    def broken(*args, **kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr("ccops.planning.forecasting.forecast_calls", broken)
    assert services.run_forecast(second.pk).status == "failed"
    assert second.intervals.count() == 0
    assert services.published_forecast(center.seat_type.pk, None).pk == first.pk
    assert first.intervals.count() == count
