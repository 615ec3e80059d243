"""Re-optimising a published roster, changing as little as possible: after the demand is
published again, a new version keeps each agent's days unless a change covers the new
demand better than it costs; the published roster stays as it was until approved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ccops.planning import roster_edits, rostering
from ccops.planning.models import PublishedDemand, Roster, RosterRun
from tests.planning.test_rosters import generate, publish_week

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rule("PLAN-05")]
PER_DAY = 48


@pytest.fixture
def published(center) -> dict[str, Any]:
    week = publish_week(center)
    roster = generate(center, week["mine"]).roster
    pm, planner = center.user("vendor_pm"), center.user("planner")
    roster = rostering.do_submit_roster(roster, acting_user=pm, revision=roster.revision)
    roster = rostering.do_approve_roster(roster, acting_user=planner, revision=roster.revision)
    return {"demand": week["mine"], "roster": roster}


def move_wednesday_to_tuesday(demand: PublishedDemand) -> None:
    """The demand published again: Wednesday's calls come on Tuesday."""
    need = list(demand.required)
    tuesday, wednesday = slice(PER_DAY, 2 * PER_DAY), slice(2 * PER_DAY, 3 * PER_DAY)
    need[tuesday] = [a + b for a, b in zip(need[tuesday], need[wednesday], strict=True)]
    need[wednesday] = [0] * PER_DAY
    demand.required = need
    demand.save()


def reoptimise(center: Any, roster: Roster, **rules: Any) -> RosterRun:
    run = rostering.do_request_roster(
        roster.demand,
        acting_user=center.user("vendor_pm"),
        time_limit=8,
        based_on=roster,
        **rules,
    )
    return rostering.run_roster(run.pk)


def changed_days(old: Roster, new: Roster) -> int:
    return len(roster_edits.roster_diff(old, new))


def test_a_dear_change_keeps_the_roster_as_it_was(center, published):
    move_wednesday_to_tuesday(published["demand"])
    run = reoptimise(center, published["roster"], change_weight=1000)
    assert run.state == "succeeded", run.error
    assert run.engine == "tours" and run.based_on == published["roster"]
    new = run.roster
    assert new.based_on == published["roster"] and new.source == "reoptimised"
    assert new.state == "draft" and new.number == 2
    assert changed_days(published["roster"], new) == 0
    assert published["roster"].shifts.count() == new.shifts.count()


def test_a_cheap_change_follows_the_new_demand_and_keeps_every_rule(center, published):
    old = published["roster"]
    move_wednesday_to_tuesday(published["demand"])
    kept = sum(r.under * 3 + r.over for r in rostering.coverage(old))
    run = reoptimise(center, old, change_weight=1)
    assert run.state == "succeeded", run.error
    new = run.roster
    assert rostering.roster_breaches(new) == []
    changes = changed_days(old, new)
    after = sum(r.under * 3 + r.over for r in rostering.coverage(new))
    assert changes > 0 and after + changes <= kept  # better than keeping the old one
    assert new.objective == after + changes
    old.refresh_from_db()
    assert old.state == "approved"  # published until the new version is approved


def test_a_roster_of_another_week_or_a_free_change_is_refused(center, published):
    roster = published["roster"]
    other = PublishedDemand.objects.exclude(pk=roster.demand_id).first()
    pm = center.user("vendor_pm")
    with pytest.raises(ValidationError, match="another week"):
        rostering.do_request_roster(other, acting_user=pm, based_on=roster)
    with pytest.raises(ValidationError, match="at least 1"):
        rostering.do_request_roster(roster.demand, acting_user=pm, based_on=roster, change_weight=0)


def test_the_page_and_the_api_reoptimise(center, published):
    roster = published["roster"]
    pm = center.client_for(center.user("vendor_pm"))
    page = pm.get(f"/planning/rosters/{roster.pk}/").content.decode()
    assert 'data-testid="reoptimise-form"' in page
    done = pm.post(
        f"/planning/rosters/{roster.pk}/reoptimise/", {"time_limit": "5", "change_weight": "7"}
    )
    assert done.status_code == 302
    run = RosterRun.objects.get(based_on=roster)
    assert run.options["change_weight"] == 7 and run.state == "succeeded"
    queued = pm.post(
        f"/api/planning/demand/{roster.demand_id}/runs",
        {"time_limit": 5, "based_on": roster.pk},
        content_type="application/json",
    )
    assert queued.status_code == 202
    body = queued.json()
    assert body["based_on_id"] == roster.pk and body["options"]["change_weight"] == 5
    stranger = center.client_for(center.user("vendor_pm", org=center.vendor_b))
    refused = stranger.post(f"/planning/rosters/{roster.pk}/reoptimise/", {"time_limit": "5"})
    assert refused.status_code == 404
    assert RosterRun.objects.filter(based_on=roster).count() == 2
