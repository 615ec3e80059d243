"""A forecast read per day, month and year (PLAN-01), adjustments included."""

from __future__ import annotations

import datetime as dt

import pytest

from ccops.planning.levels import forecast_totals
from tests.planning.helpers import make_forecast

pytestmark = [pytest.mark.django_db, pytest.mark.rule("PLAN-01")]


@pytest.fixture
def year_end(center):
    """28 Dec 2026 .. 3 Jan 2027, 24 intervals a day at 120 calls and 180 s; on the
    first day one interval adjusted to 240 calls at 300 s."""
    forecast = make_forecast(center, first_day=dt.date(2026, 12, 28), days=7)
    first = forecast.intervals.order_by("start").first()
    first.adjusted, first.aht = 240.0, 300.0
    first.save()
    return forecast


def test_daily_totals_follow_local_days_and_adjustments(year_end):
    days = forecast_totals(year_end, "daily")
    assert [d.period for d in days] == [dt.date(2026, 12, 28) + dt.timedelta(n) for n in range(7)]
    assert days[0].calls == 23 * 120 + 240
    assert days[0].aht == pytest.approx((23 * 120 * 180 + 240 * 300) / (23 * 120 + 240))
    assert [d.calls for d in days[1:]] == [2880.0] * 6
    assert days[1].aht == pytest.approx(180.0)


def test_monthly_and_yearly_totals_split_at_the_year_end(year_end):
    months = forecast_totals(year_end, "monthly")
    assert [(m.period, m.calls) for m in months] == [
        (dt.date(2026, 12, 1), 4 * 2880.0 + 120),
        (dt.date(2027, 1, 1), 3 * 2880.0),
    ]
    years = forecast_totals(year_end, "yearly")
    assert [y.period for y in years] == [dt.date(2026, 1, 1), dt.date(2027, 1, 1)]
    assert sum(y.calls for y in years) == sum(m.calls for m in months)


def test_a_forecast_without_intervals_has_no_totals(center):
    assert forecast_totals(make_forecast(center, days=0), "daily") == []
