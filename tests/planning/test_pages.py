"""Planning pages: forecast detail, adjust, publish, staffing heat maps, head-count, exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ccops.planning.models import Adjustment, Forecast, StaffingPlan
from tests.planning.helpers import make_forecast, make_planning


@pytest.fixture
def planner(center):
    return center.client_for(center.user("planner"))


def test_forecast_page_shows_chart_totals_and_forms(center, planner):
    forecast = make_forecast(center)
    page = planner.get(reverse("planning:forecast_detail", args=[forecast.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for testid in ("forecast-chart", "adjust-form", "staffing-form", "publish"):
        assert f'data-testid="{testid}"' in body
    assert "20,160" in body or "20160" in body  # 7 days x 24 intervals x 120 calls


def test_adjust_with_reason_and_publish(center, planner):
    forecast = make_forecast(center)
    url = reverse("planning:forecast_adjust", args=[forecast.pk])
    response = planner.post(
        url,
        {
            "kind": "event",
            "first_day": "2026-12-07",
            "last_day": "2026-12-07",
            "factor": "1.5",
            "reason": "campaign",
        },
    )
    assert response.status_code == 302
    assert Adjustment.objects.get().reason == "campaign"
    adjusted = forecast.intervals.filter(adjusted__isnull=False)
    assert adjusted.count() == 24 and {i.adjusted for i in adjusted} == {180.0}
    planner.post(reverse("planning:forecast_publish", args=[forecast.pk]))
    forecast.refresh_from_db()
    assert forecast.published_at is not None


def test_an_adjustment_without_reason_is_refused(center, planner):
    forecast = make_forecast(center)
    planner.post(
        reverse("planning:forecast_adjust", args=[forecast.pk]),
        {
            "kind": "event",
            "first_day": "2026-12-07",
            "last_day": "2026-12-07",
            "factor": "1.5",
            "reason": "",
        },
    )
    assert not Adjustment.objects.exists()
    assert not forecast.intervals.filter(adjusted__isnull=False).exists()


def test_staffing_request_from_the_page(center, planner, django_capture_on_commit_callbacks):
    forecast = make_forecast(center)
    with django_capture_on_commit_callbacks(execute=False):
        response = planner.post(
            reverse("planning:staffing_create", args=[forecast.pk]),
            {
                "service_level": "90",
                "threshold_seconds": "15",
                "break_minutes_per_hour": "5",
                "briefings": "2",
                "training": "3",
                "leave": "5",
                "absence": "10",
            },
        )
    plan = StaffingPlan.objects.get()
    assert response.status_code == 302
    assert (plan.service_level, plan.threshold_seconds) == (0.9, 15)
    assert plan.absence == pytest.approx(0.10)


def test_staffing_page_heat_maps_headcount_scenarios_and_export(center, planner):
    _forecast, plan = make_planning(center)
    url = reverse("planning:staffing_detail", args=[plan.pk])
    body = planner.get(url + "?sl=90&threshold=15&shrinkage=35").content.decode()
    assert 'data-testid="required-map"' in body
    assert 'data-testid="scenarios"' in body
    assert 'data-testid="headcount-2026-12"' in body
    workbook = load_workbook(io.BytesIO(planner.get(url + "?export=xlsx").content))
    assert len(workbook.sheetnames) == 2
    intervals = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(intervals) == 1 + 7 * 24


@pytest.mark.rule("PLAN-01")
def test_forecast_export(center, planner):
    forecast = make_forecast(center, days=2)
    response = planner.get(reverse("planning:forecast_detail", args=[forecast.pk]) + "?export=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 2 * 24
    assert rows[1][0] == "2026-12-07 08:00"
    days, months, years = (list(s.iter_rows(values_only=True))[1:] for s in book.worksheets[1:])
    assert [(d[0].date(), d[1], d[2]) for d in days] == [
        (dt.date(2026, 12, 7), 2880, 180),
        (dt.date(2026, 12, 8), 2880, 180),
    ]
    assert [m[1] for m in months] == [5760] and [y[1] for y in years] == [5760]


@pytest.mark.rule("PLAN-01")
def test_forecast_page_totals_by_year_month_and_day(center, planner):
    forecast = make_forecast(center, days=3)
    body = planner.get(reverse("planning:forecast_detail", args=[forecast.pk])).content.decode()
    for testid in ("totals-yearly", "totals-monthly", "totals-daily"):
        assert f'data-testid="{testid}"' in body
    assert "2026-12-09" in body and "8,640" in body


def test_progress_partial_then_reload(center, planner):
    forecast = make_forecast(center)
    Forecast.objects.filter(pk=forecast.pk).update(status="running", progress=40)
    url = reverse("planning:forecast_detail", args=[forecast.pk])
    partial = planner.get(url, HTTP_HX_REQUEST="true")
    assert b"40 %" in partial.content and b"<html" not in partial.content
    Forecast.objects.filter(pk=forecast.pk).update(status="succeeded", progress=100)
    assert planner.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_vendor_pm_sees_only_its_headcount_and_no_forecasts(center):
    for team in (center.team_a, center.team_b):
        team.queue = center.queue
        team.save()
    make_planning(center, calls=400.0)
    pm = center.client_for(center.user("vendor_pm"))
    assert pm.get(reverse("planning:forecast_list")).status_code == 403
    body = pm.get(reverse("planning:headcount_list")).content.decode()
    assert center.vendor_a.name in body
    assert center.vendor_b.name not in body
    assert center.client_org.name not in body


def test_read_only_client_roles_cannot_change_plans(center):
    forecast = make_forecast(center)
    qa = center.client_for(center.user("qa_inspector"))
    assert qa.get(reverse("planning:forecast_detail", args=[forecast.pk])).status_code == 200
    assert qa.post(reverse("planning:forecast_publish", args=[forecast.pk])).status_code == 403


def test_methods_read_in_words_on_the_list_and_the_page(center, planner):
    forecast = make_forecast(center, backtest={"mstl": 0.1, "ensemble": 0.12})
    forecast.chosen_method = "mstl+top_down"
    forecast.save()
    for url in (
        reverse("planning:forecast_list"),
        reverse("planning:forecast_detail", args=[forecast.pk]),
    ):
        body = planner.get(url).content.decode()
        assert "MSTL + Daily totals x intraday profile" in body, url
    body = planner.get(reverse("planning:forecast_detail", args=[forecast.pk])).content.decode()
    assert "Ensemble (average of three)" in body
