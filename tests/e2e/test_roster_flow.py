"""The roster workflow at a browser (PLAN-05): the client's planner publishes a week of
demand, the vendor's project manager generates a roster, reads its coverage and rule
check and submits it, the planner returns it with a comment, then approves the
resubmitted roster, and an agent reads the published shifts in "my schedule".

Runs go through the (immediate) task backend, so the page after "Generate" shows a
finished run.
"""

from __future__ import annotations

from typing import Any

import pytest

from ccops.org.roles import Role
from ccops.planning.models import Roster
from tests.e2e.browser import log_in, needs_chromium
from tests.planning.helpers import make_planning
from tests.planning.test_rosters import add_templates, generate, publish_week, staff_the_teams

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def logged_in(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(locale="en-US").new_page()
    return log_in(page, live_server, username)


@pytest.mark.rule("PLAN-05")
def test_publish_generate_review_and_read_my_schedule(
    center: Any, live_server: Any, browser: Any
) -> None:
    staff_the_teams(center)
    add_templates()
    _forecast, plan = make_planning(center, calls=30)

    planner = logged_in(browser, live_server, center.user(Role.PLANNER).username)
    planner.goto(f"{live_server.url}/planning/staffing/{plan.pk}/")
    planner.fill("[data-testid=publish-demand] input[name=week_start]", "2026-12-07")
    planner.click("[data-testid=publish-demand] button[type=submit]")
    planner.wait_for_selector("[data-testid=demand-list] >> text=2026-12-07")

    pm = logged_in(browser, live_server, center.user(Role.VENDOR_PM).username)
    pm.click("nav.menu >> text=Rosters")
    pm.click("[data-testid=demand-list] >> text=2026-12-07")
    pm.wait_for_selector("[data-testid=demand-map] .main-svg")
    pm.fill("[data-testid=generate-form] input[name=time_limit]", "5")
    pm.click("[data-testid=generate]")
    pm.wait_for_selector("[data-testid=run-state] >> text=Succeeded")
    pm.click("[data-testid=run-roster]")
    pm.wait_for_selector("[data-testid=coverage-map] .main-svg")
    assert pm.is_visible("[data-testid=breaches-none]")
    rows = pm.locator("[data-testid=roster-grid] tbody tr")
    assert rows.count() == 6
    pm.click("[data-testid=submit]")
    pm.wait_for_selector("[data-testid=roster-state] >> text=Submitted for review")
    roster = Roster.objects.get()

    planner.goto(f"{live_server.url}/planning/rosters/{roster.pk}/")
    planner.fill("form:has([data-testid=return]) input[name=comment]", "more cover at 9:00")
    planner.click("[data-testid=return]")
    planner.wait_for_selector("[data-testid=roster-state] >> text=Returned for changes")

    pm.reload()
    assert "more cover at 9:00" in pm.inner_text("[data-testid=notes]")
    pm.click("[data-testid=submit]")
    pm.wait_for_selector("[data-testid=roster-state] >> text=Submitted for review")

    planner.reload()
    planner.click("[data-testid=approve]")
    planner.wait_for_selector("[data-testid=roster-state] >> text=Approved and published")

    agent = logged_in(browser, live_server, center.user(Role.AGENT).username)
    agent.click("nav.menu >> text=My schedule")
    agent.goto(f"{live_server.url}/planning/my-schedule/?week=2026-12-07")
    assert agent.locator("[data-testid=my-schedule] tbody tr").count() == 5


@pytest.mark.rule("PLAN-05")
def test_a_cell_edited_in_the_grid_updates_coverage_and_the_rule_check(
    center: Any, live_server: Any, browser: Any
) -> None:
    """The planner types a shift into a day of the grid: the page's coverage, rule check
    and the grid itself come back at once, without leaving the page."""
    week = publish_week(center)
    roster = generate(center, week["mine"]).roster
    shift = roster.shifts.select_related("person").order_by("person__employee_no", "day").first()
    index = (shift.day - week["mine"].week_start).days
    cell = f"[data-testid=cell-{shift.person.employee_no}-{index}]"

    pm = logged_in(browser, live_server, center.user(Role.VENDOR_PM).username)
    pm.goto(f"{live_server.url}/planning/rosters/{roster.pk}/")
    pm.wait_for_selector("[data-testid=coverage-map] .main-svg")
    totals = pm.inner_text("[data-testid=coverage-totals]")
    pm.fill(cell, "")  # the day off
    pm.dispatch_event(cell, "change")
    pm.wait_for_selector(".message.warning")  # five days a week no longer hold
    assert "days worked in the week" in pm.inner_text("main")
    pm.wait_for_selector("[data-testid=coverage-map] .main-svg")
    assert pm.inner_text("[data-testid=coverage-totals]") != totals
    assert pm.input_value(cell) == ""
    assert not roster.shifts.filter(person=shift.person, day=shift.day).exists()

    pm.fill(cell, shift.code)  # and back again: every rule holds
    pm.dispatch_event(cell, "change")
    pm.wait_for_selector(".message.success")
    assert pm.input_value(cell) == shift.code
    assert pm.inner_text("[data-testid=coverage-totals]") == totals
    assert pm.is_visible("[data-testid=breaches-none]")
