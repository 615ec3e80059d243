"""A planner at a browser: enter a bill run, forecast from ACD history, adjust with a
reason, publish, export, staff the forecast and read the head-count plan; a vendor's
project manager sees only the head-count asked of its own vendor.

Forecasts and staffing plans run in the (immediate) task backend, so each page after a
submit shows a finished run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from ccops.org.roles import Role
from ccops.planning.models import Adjustment, Forecast, PlanningEvent, StaffingPlan
from tests.e2e.browser import log_in, needs_chromium
from tests.planning.helpers import make_planning
from tests.planning.test_forecast_runs import _history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def logged_in(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(locale="en-US", accept_downloads=True).new_page()
    return log_in(page, live_server, username)


@pytest.fixture
def history(center: Any) -> None:
    """Four weeks of half-hourly ACD history for the center's queue (from 2026-10-05)."""
    center.team_a.queue = center.queue
    center.team_a.save()
    _history(center)


@pytest.mark.rule("PLAN-01")
def test_planner_forecasts_adjusts_publishes_and_staffs(
    center: Any, history: None, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    page = logged_in(browser, live_server, center.user(Role.PLANNER).username)
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(f"{live_server.url}/planning/events/")
    page.fill("[data-testid=event-form] input[name=name]", "Bill run")
    page.select_option("[data-testid=event-form] select[name=seat_type]", str(center.seat_type.pk))
    page.fill("[data-testid=event-form] input[name=first_day]", "2026-11-03")
    page.fill("[data-testid=event-form] input[name=last_day]", "2026-11-03")
    page.fill("[data-testid=event-form] input[name=uplift]", "1.5")
    page.click("[data-testid=event-form] button[type=submit]")
    page.wait_for_selector("[data-testid=event-table] >> text=Bill run")
    assert PlanningEvent.objects.get().uplift == 1.5

    page.click("a[href$='/planning/forecasts/']")
    page.select_option(
        "[data-testid=forecast-form] select[name=seat_type]", str(center.seat_type.pk)
    )
    page.fill("[data-testid=forecast-form] input[name=horizon_days]", "14")
    page.click("[data-testid=forecast-form] button[type=submit]")
    page.wait_for_selector("[data-testid=forecast-status].status-succeeded", timeout=60_000)
    page.wait_for_selector("[data-testid=forecast-chart] .main-svg")  # plotly drew it
    forecast = Forecast.objects.get()
    assert forecast.horizon_days == 14 and forecast.intervals.exists()
    assert page.locator("[data-testid=totals-daily] tbody tr").count() == 14

    form = "[data-testid=adjust-form]"
    page.select_option(f"{form} select[name=kind]", "event")
    page.fill(f"{form} input[name=first_day]", "2026-11-05")
    page.fill(f"{form} input[name=last_day]", "2026-11-05")
    page.fill(f"{form} input[name=factor]", "1.2")
    page.fill(f"{form} [name=reason]", "TV campaign")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("text=TV campaign")
    assert Adjustment.objects.get().reason == "TV campaign"

    page.click("[data-testid=publish]")  # confirmed in the dialog
    page.wait_for_selector("[data-testid=forecast-published] >> text=✓")
    forecast.refresh_from_db()
    assert forecast.published_at is not None

    with page.expect_download() as download:
        page.click("[data-testid=forecast-export]")
    path = tmp_path / "forecast.xlsx"
    download.value.save_as(path)
    assert len(load_workbook(path).sheetnames) == 4  # intervals, days, months, years

    page.click("[data-testid=staffing-form] button[type=submit]")
    page.wait_for_selector("[data-testid=staffing-status].status-succeeded", timeout=60_000)
    page.wait_for_selector("[data-testid=required-map] .main-svg")
    plan = StaffingPlan.objects.get()
    assert plan.intervals.filter(required__gt=0).exists()

    page.goto(f"{live_server.url}/planning/headcount/")
    page.wait_for_selector("[data-testid=headcount-2026-11]")
    assert plan.headcount.exists()
    page.screenshot(path=str(tmp_path / "headcount.png"))


def test_a_vendor_sees_only_its_own_head_count(center: Any, live_server: Any, browser: Any) -> None:
    for team in (center.team_a, center.team_b):
        team.queue = center.queue
        team.save()
    _, plan = make_planning(center)
    staffed_by = set(plan.headcount.values_list("organisation__name", flat=True))
    assert {center.vendor_a.name, center.vendor_b.name} <= staffed_by
    page = logged_in(browser, live_server, center.user(Role.VENDOR_PM).username)
    for path in ("/planning/forecasts/", f"/planning/staffing/{plan.pk}/", "/planning/events/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status in (403, 404), path
    page.goto(f"{live_server.url}/planning/headcount/")
    table = page.locator("[data-testid^=headcount-]").first.text_content() or ""
    assert center.vendor_a.name in table
    assert center.vendor_b.name not in table and center.client_org.name not in table
