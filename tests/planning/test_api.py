"""Planning API: the Erlang calculator, forecasts, staffing and head-count, 422 on bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ccops.intake.models import AcdInterval
from ccops.planning.models import Forecast
from tests.planning.helpers import make_forecast, make_planning


@pytest.fixture
def planner(center):
    return center.client_for(center.user("planner"))


def test_erlang_endpoint_answers_like_the_cli(planner):
    answer = planner.post(
        reverse("api:erlang"), {"calls": 300, "aht": 180}, content_type="application/json"
    ).json()
    assert answer["agents"] == 35
    assert set(answer) >= {"agents", "service_level", "asa", "occupancy", "p_wait"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"calls": -1, "aht": 180}, "calls"),
        ({"calls": 10, "aht": 0}, "aht"),
        ({"calls": 10, "aht": 180, "sl": 2}, "sl"),
    ],
)
def test_bad_erlang_input_is_422_naming_the_field(planner, payload, field):
    response = planner.post(reverse("api:erlang"), payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_a_forecast_needs_two_weeks_of_history(center, planner):
    start = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)
    AcdInterval.objects.bulk_create(
        AcdInterval(
            queue=center.queue,
            interval_start=start + dt.timedelta(minutes=30 * i),
            interval_minutes=30,
            offered=10,
            answered=10,
            abandoned=0,
            answered_in_threshold=9,
            abandoned_in_threshold=0,
            talk_seconds=1500,
            hold_seconds=100,
            acw_seconds=200,
        )
        for i in range(48 * 5)
    )
    response = planner.post(
        reverse("api:request_forecast"),
        {"seat_type": center.seat_type.pk, "horizon_days": 28},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "5" in str(response.json()["detail"])
    assert not Forecast.objects.exists()


def test_forecast_intervals_adjust_publish_staff_and_headcount(
    center, planner, django_capture_on_commit_callbacks
):
    forecast, plan = make_planning(center)
    intervals = planner.get(reverse("api:forecast_intervals", args=[forecast.pk])).json()
    assert len(intervals) == 7 * 24
    assert intervals[0]["final_calls"] == 120.0
    adjusted = planner.post(
        reverse("api:adjust_forecast", args=[forecast.pk]),
        {
            "kind": "billing",
            "first_day": "2026-12-07",
            "last_day": "2026-12-07",
            "factor": 1.25,
            "reason": "bills",
        },
        content_type="application/json",
    )
    assert adjusted.status_code == 201
    published = planner.post(reverse("api:publish_forecast", args=[forecast.pk])).json()
    assert published["published_at"]
    with django_capture_on_commit_callbacks(execute=False):
        queued = planner.post(
            reverse("api:request_staffing", args=[forecast.pk]),
            {"service_level": 0.9, "threshold_seconds": 15},
            content_type="application/json",
        )
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    rows = planner.get(reverse("api:staffing_intervals", args=[plan.pk])).json()
    assert len(rows) == 7 * 24
    lines = planner.get(reverse("api:headcount") + f"?plan={plan.pk}").json()
    assert {line["role"] for line in lines} >= {"agent", "team_lead", "qa_inspector"}


def test_bad_adjustment_is_422(center, planner):
    forecast = make_forecast(center)
    response = planner.post(
        reverse("api:adjust_forecast", args=[forecast.pk]),
        {"first_day": "2026-12-09", "last_day": "2026-12-07", "factor": 1.2, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.rule("PLAN-01")
def test_forecast_totals_per_day_month_and_year(center, planner):
    forecast = make_forecast(center, days=3)
    url = reverse("api:forecast_totals", args=[forecast.pk])
    days = planner.get(url).json()
    assert [(d["period"], d["calls"], d["aht"]) for d in days] == [
        ("2026-12-07", 2880.0, 180.0),
        ("2026-12-08", 2880.0, 180.0),
        ("2026-12-09", 2880.0, 180.0),
    ]
    assert planner.get(url + "?level=monthly").json() == [
        {"period": "2026-12-01", "calls": 8640.0, "aht": 180.0}
    ]
    assert planner.get(url + "?level=yearly").json()[0]["period"] == "2026-01-01"
    bad = planner.get(url + "?level=weekly")
    assert bad.status_code == 422 and bad.json()["field"] == "level"


def test_an_unknown_method_is_422_not_auto(center, planner):
    response = planner.post(
        reverse("api:request_forecast"),
        {"seat_type": center.seat_type.pk, "method": "prophet"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["field"] == "method"
    assert not Forecast.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"horizon_days": 0}, "horizon_days"),
        ({"horizon_days": 400}, "horizon_days"),
        ({"interval_minutes": 7}, "interval_minutes"),
        ({"billing_days": [1, 40]}, "billing_days"),
    ],
)
def test_bad_forecast_settings_are_422_naming_the_field(center, planner, change, field):
    response = planner.post(
        reverse("api:request_forecast"),
        {"seat_type": center.seat_type.pk} | change,
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == field and body["fields"][field] == body["detail"]
    assert not Forecast.objects.exists()


def test_bad_staffing_settings_are_422_naming_the_field(center, planner):
    forecast = make_forecast(center)
    response = planner.post(
        reverse("api:request_staffing", args=[forecast.pk]),
        {"service_level": 1.5},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["field"] == "service_level"
