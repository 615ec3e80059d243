"""Attendance at a browser: an agent asks for leave and is told who approves and why,
the team lead approves it; the vendor's performance officer computes and submits the
month, the client's site supervisor disputes a line, the officer answers and submits
again, the supervisor signs; the team lead's floor board takes an agent off the seat."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ccops.attendance.leave import _holiday
from ccops.attendance.models import AwayFromSeat, LeaveRequest
from ccops.org.roles import Role
from tests.attendance.test_summary import worked_month
from tests.e2e.browser import log_in, needs_chromium
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def logged_in(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(locale="en-US").new_page()
    return log_in(page, live_server, username)


def a_working_day_ahead(days: int = 20) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() > 4 or _holiday(day)[0]:
        day += dt.timedelta(days=1)
    return day


@pytest.mark.rule("ATT-02")
def test_leave_asked_and_approved(center: Any, live_server: Any, browser: Any) -> None:
    ProfileFactory(
        user__username="agent_leave",
        organisation=center.vendor_a,
        role=Role.AGENT,
        person=center.agent_a,
    )
    agent = logged_in(browser, live_server, "agent_leave")
    agent.click("nav.menu >> text=Leave")
    day = a_working_day_ahead()
    agent.select_option("[data-testid=leave-form] select[name=kind]", "personal")
    agent.fill("[data-testid=leave-form] input[name=first_day]", day.isoformat())
    agent.click("[data-testid=ask-leave]")
    agent.wait_for_selector(".message.success")
    assert "Area manager" in agent.inner_text("[data-testid=approver-why]")

    lead = logged_in(browser, live_server, center.user(Role.TEAM_LEAD).username)
    lead.goto(f"{live_server.url}/attendance/leave/")
    lead.click("[data-testid=approve-leave]")
    lead.wait_for_selector(".message.success")
    assert LeaveRequest.objects.get().state == "approved"

    lead.goto(f"{live_server.url}/attendance/floor/?team={center.team_a.pk}")
    lead.click(f"[data-testid=floor-row-{center.agent_a.employee_no}] [data-testid=leave-seat]")
    lead.wait_for_selector(
        f"[data-testid=floor-row-{center.agent_a.employee_no}] [data-testid=back]"
    )
    assert AwayFromSeat.objects.filter(person=center.agent_a, back_at__isnull=True).exists()


@pytest.fixture
def month(center: Any) -> dict[str, Any]:
    return worked_month(center)


@pytest.mark.rule("ATT-12")
def test_the_month_computed_disputed_answered_and_signed(
    center: Any, live_server: Any, browser: Any, month: dict[str, Any]
) -> None:
    officer = logged_in(browser, live_server, center.user(Role.PERFORMANCE_OFFICER).username)
    officer.click("nav.menu >> text=Attendance")
    officer.fill("[data-testid=compute-form] input[name=month]", "2026-12")
    officer.click("[data-testid=compute]")
    officer.wait_for_selector("[data-testid=summary-lines]")
    row = officer.locator(
        f"[data-testid=summary-lines] tr:has-text('{center.agent_a.employee_no}')"
    )
    assert "55.00" in row.inner_text()
    officer.click("[data-testid=submit-summary]")
    officer.wait_for_selector("[data-testid=summary-state] >> text=Submitted for audit")

    supervisor = logged_in(browser, live_server, center.user(Role.SITE_SUPERVISOR).username)
    supervisor.goto(officer.url)
    line = supervisor.locator(
        f"[data-testid=summary-lines] tr:has-text('{center.agent_a.employee_no}')"
    )
    line.locator("input[name=comment]").fill("was at training on the 8th")
    line.locator("button:has-text('Dispute')").click()
    supervisor.wait_for_selector("[data-testid=summary-state] >> text=Disputed")

    officer.reload()
    mine = officer.locator(
        f"[data-testid=summary-lines] tr:has-text('{center.agent_a.employee_no}')"
    )
    mine.locator("input[name=answer]").fill("no training that day; see the ACD")
    mine.locator("button:has-text('Answer')").click()
    officer.wait_for_selector("text=no training that day")
    officer.click("[data-testid=submit-summary]")
    officer.wait_for_selector("[data-testid=summary-state] >> text=Submitted for audit")

    supervisor.reload()
    supervisor.click("[data-testid=sign-summary]")
    supervisor.wait_for_selector("[data-testid=summary-state] >> text=Signed")
