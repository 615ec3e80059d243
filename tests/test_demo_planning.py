"""The demo center comes planned: a published forecast, a staffing plan and head-count
per seat type, which the planner can open straight away and which a reset removes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from ccops.demo.generate import DemoSummary, build_demo_center, reset_demo_data
from ccops.demo.planning import HORIZON_DAYS
from ccops.org.models import Organisation, SeatType
from ccops.planning.models import Forecast, HeadcountLine, PlanningEvent, StaffingPlan, Status
from ccops.planning.staffing import shrinkage_of
from tests.demo_center import FAST_HASHER, demo_center

TODAY = dt.date(2026, 11, 18)
BUILD = {"seed": 5, "weeks": 3, "detail_days": 0, "today": TODAY, "roster_seconds": 5}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with demo_center(django_db_blocker, **BUILD) as summary:
        yield summary


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.rule("PLAN-01")
def test_every_seat_type_has_a_published_forecast_of_the_next_weeks(demo: DemoSummary) -> None:
    for seat_type in SeatType.objects.all():
        forecast = Forecast.objects.get(seat_type=seat_type, site=None)
        assert forecast.status == Status.SUCCEEDED, forecast.error
        assert forecast.published_at is not None
        assert forecast.horizon_start == TODAY
        assert forecast.horizon_days == HORIZON_DAYS
        assert forecast.chosen_method
        assert forecast.intervals.count() > HORIZON_DAYS * 20
    assert demo.counts["planning.Forecast"] == SeatType.objects.count()


def test_every_forecast_is_staffed_with_head_count_by_organisation(demo: DemoSummary) -> None:
    for plan in StaffingPlan.objects.select_related("forecast"):
        assert plan.status == Status.SUCCEEDED, plan.error
        assert 0.2 <= shrinkage_of(plan).total <= 0.35  # what hotlines lose, breaks included
        assert plan.intervals.filter(required__gt=0).exists()
    staffed_by = set(HeadcountLine.objects.values_list("organisation__code", flat=True))
    assert staffed_by == set(Organisation.objects.values_list("code", flat=True))
    assert demo.counts["planning.HeadcountLine"] == HeadcountLine.objects.count() > 0


def test_the_bill_run_is_entered_before_forecasting(demo: DemoSummary) -> None:
    event = PlanningEvent.objects.get()
    assert event.first_day == dt.date(2026, 12, 1) and event.uplift > 1
    assert event.seat_type is not None and event.seat_type.code == "GEN"


def test_the_planner_opens_the_planned_demo(demo: DemoSummary) -> None:
    planner = logged_in("planner")
    forecast = Forecast.objects.get(seat_type__code="GEN")
    plan = forecast.staffing_plans.get()
    pages = [
        reverse("planning:forecast_list"),
        reverse("planning:forecast_detail", args=[forecast.pk]),
        reverse("planning:staffing_detail", args=[plan.pk]),
        reverse("planning:headcount_list"),
        reverse("planning:event_list"),
    ]
    for url in pages:
        response = planner.get(url)
        assert response.status_code == 200, url
    assert logged_in("va_pm").get(pages[1]).status_code in (403, 404)


def test_reset_removes_the_plans_with_the_center(demo: DemoSummary) -> None:
    deleted = reset_demo_data()
    assert deleted["planning.Forecast"] == demo.counts["planning.Forecast"]
    assert not Forecast.objects.exists() and not PlanningEvent.objects.exists()
    assert not StaffingPlan.objects.exists() and not SeatType.objects.exists()


def test_planning_can_be_left_out(demo: DemoSummary) -> None:
    reset_demo_data()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        summary = build_demo_center(**BUILD, planning=False)
    assert "planning.Forecast" not in summary.counts and not Forecast.objects.exists()


@pytest.mark.rule("PLAN-05")
def test_the_first_week_is_rostered_and_published(demo: DemoSummary) -> None:
    from ccops.planning import rostering
    from ccops.planning.models import Roster

    states = dict(Roster.objects.values_list("organisation__code", "state"))
    assert states == {"CLIENT": "approved", "VA": "approved", "VB": "submitted"}
    for roster in Roster.objects.all():
        assert rostering.roster_breaches(roster) == []
        assert roster.shifts.exists()
    client = Roster.objects.get(organisation__code="CLIENT")
    assert [d.seat_type.code for d in client.also_covers.all()] == ["VIP"]  # multi-skill
    assert client.shifts.filter(code__endswith="@VIP").exists()
    page = logged_in("va_agent").get("/planning/my-schedule/?week=" + _first_roster_week())
    assert page.status_code == 200 and page.content.decode().count("<tr>") >= 5
    assert logged_in("planner").get(reverse("planning:demand_list")).status_code == 200


def _first_roster_week() -> str:
    from ccops.planning.models import PublishedDemand

    return PublishedDemand.objects.values_list("week_start", flat=True).first().isoformat()
