"""The roster pages: the client publishes demand from a staffing plan, the vendor
generates and submits a roster, the client approves it, agents and team leads see it."""

from __future__ import annotations

import pytest

from ccops.planning.models import PublishedDemand, Roster, RosterRun
from tests.planning.helpers import make_planning
from tests.planning.test_rosters import WEEK, add_templates, staff_the_teams

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan(center):
    staff_the_teams(center)
    add_templates()
    return make_planning(center, calls=30)[1]


@pytest.mark.rule("PLAN-05")
def test_publish_generate_submit_approve_and_see_it(center, plan):
    planner = center.client_for(center.user("planner"))
    page = planner.get(f"/planning/staffing/{plan.pk}/")
    assert 'data-testid="publish-demand"' in page.content.decode()
    done = planner.post(f"/planning/staffing/{plan.pk}/demand/", {"week_start": "2026-12-07"})
    assert done.status_code == 302 and done.url == "/planning/rosters/"
    demand = PublishedDemand.objects.get(organisation=center.vendor_a)

    pm = center.client_for(center.user("vendor_pm"))
    listing = pm.get("/planning/rosters/").content.decode()
    assert f"/planning/demand/{demand.pk}/" in listing and center.vendor_b.name not in listing
    assert (
        'data-testid="generate-form"' in pm.get(f"/planning/demand/{demand.pk}/").content.decode()
    )
    pm.post(f"/planning/demand/{demand.pk}/generate/", {"time_limit": "5", "days_per_week": "5"})
    run = RosterRun.objects.get()
    assert run.state == "succeeded"  # the test worker runs it at once
    polled = pm.get(f"/planning/runs/{run.pk}/", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    roster = run.roster
    html = pm.get(f"/planning/rosters/{roster.pk}/").content.decode()
    assert 'data-testid="roster-grid"' in html and 'data-testid="breaches-none"' in html
    assert 'data-testid="coverage-map"' in html and 'data-testid="submit"' in html
    pm.post(f"/planning/rosters/{roster.pk}/submit/", {"revision": roster.revision})
    roster.refresh_from_db()
    assert roster.state == "submitted"

    stale = planner.post(f"/planning/rosters/{roster.pk}/approve/", {"revision": 1})
    assert stale.status_code == 302
    roster.refresh_from_db()
    assert roster.state == "submitted"  # the stale form changed nothing
    planner.post(f"/planning/rosters/{roster.pk}/approve/", {"revision": roster.revision})
    roster.refresh_from_db()
    assert roster.state == Roster.State.APPROVED

    agent = center.client_for(center.user("agent"))
    mine = agent.get("/planning/my-schedule/?week=2026-12-07").content.decode()
    shifts = roster.shifts.filter(person=center.agent_a)
    assert shifts.count() == 5 and all(s.code in mine for s in shifts)
    team = pm.get(f"/planning/team-schedule/?team={center.team_a.pk}&week=2026-12-07")
    assert center.agent_a.name in team.content.decode()


def test_vendor_b_and_agents_are_kept_out(center, plan):
    from ccops.planning import rostering

    rostering.do_publish_demand(plan, WEEK, acting_user=center.user("planner"))
    demand = PublishedDemand.objects.get(organisation=center.vendor_a)
    other = center.client_for(center.outsider("vendor_pm"))
    assert other.get(f"/planning/demand/{demand.pk}/").status_code == 404
    assert other.post(f"/planning/demand/{demand.pk}/generate/").status_code == 404
    agent = center.client_for(center.user("agent"))
    assert agent.get("/planning/rosters/").status_code == 403
    assert (
        center.client_for(center.user("planner")).get("/planning/my-schedule/").status_code == 403
    )
