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
from tests.planning.test_rosters import add_templates, staff_the_teams

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
