"""The roster workflow (PLAN-05): the client publishes each vendor's weekly demand, the
vendor generates a named roster in the background and submits it, the client approves
or returns it. Runs that fail or are cancelled change no roster; a stale writer gets a
conflict."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from ccops.org.models import Person
from ccops.planning import rostering
from ccops.planning.models import PublishedDemand, Roster, RosterRun, ShiftTemplate
from tests.conftest import Center, make_person
from tests.planning.helpers import make_planning

WEEK = dt.date(2026, 12, 7)  # a Monday
# Runs write their progress from a thread of their own, as in the worker: commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


def staff_the_teams(center: Center, a: int = 6, b: int = 3) -> None:
    for team in (center.team_a, center.team_b):
        team.queue = center.queue
        team.save()
    for _ in range(a - 1):
        make_person(center.vendor_a, team=center.team_a)
    for _ in range(b - 1):
        make_person(center.vendor_b, team=center.team_b)


def add_templates() -> None:
    for code, hour, minutes in (("D8", 8, 480), ("M9", 10, 540), ("E8", 12, 480)):
        ShiftTemplate.objects.create(code=code, start=dt.time(hour), minutes=minutes)


@pytest.fixture
def week(center: Center) -> dict[str, Any]:
    return publish_week(center)


def publish_week(center: Center) -> dict[str, Any]:
    """Staffed teams, shift templates and the week's demand published for each vendor."""
    staff_the_teams(center)
    add_templates()
    _forecast, plan = make_planning(center, calls=30)
    demand = rostering.do_publish_demand(plan, WEEK, acting_user=center.user("planner"))
    mine = next(d for d in demand if d.organisation_id == center.vendor_a.pk)
    return {"plan": plan, "demand": demand, "mine": mine}


def generate(
    center: Center, demand: PublishedDemand, time_limit: int = 5, **rules: Any
) -> RosterRun:
    run = rostering.do_request_roster(
        demand, acting_user=center.user("vendor_pm"), time_limit=time_limit, **rules
    )
    return rostering.run_roster(run.pk)


@pytest.mark.rule("PLAN-05")
def test_demand_is_split_among_vendors_by_their_agents(center, week):
    plan, demand = week["plan"], week["demand"]
    assert {d.organisation_id for d in demand} == {center.vendor_a.pk, center.vendor_b.pk}
    total = [sum(parts) for parts in zip(*(d.required for d in demand), strict=True)]
    first = dt.datetime.combine(WEEK, dt.time(10)).astimezone()
    assert len(total) == 7 * 48
    assert total[20] == plan.intervals.get(start=first).required  # 10:00 on Monday
    mine = week["mine"].required
    assert sum(mine) > sum(next(d for d in demand if d is not week["mine"]).required)
    again = rostering.do_publish_demand(plan, WEEK, acting_user=center.user("planner"))
    assert PublishedDemand.objects.count() == 2 and {d.pk for d in again} == {d.pk for d in demand}


def test_publishing_checks_the_week(center, week):
    planner = center.user("planner")
    with pytest.raises(rostering.ValidationError, match="Monday"):
        rostering.do_publish_demand(week["plan"], WEEK + dt.timedelta(days=1), acting_user=planner)
    with pytest.raises(rostering.ValidationError, match="2026-12-14"):
        rostering.do_publish_demand(week["plan"], WEEK + dt.timedelta(days=7), acting_user=planner)
    with pytest.raises(PermissionDenied):
        rostering.do_publish_demand(week["plan"], WEEK, acting_user=center.user("vendor_pm"))


def test_split_by_share_adds_up_and_favours_the_larger_remainder():
    parts = rostering.split_by_share([0, 1, 5, 7], {1: 0.5, 2: 0.3, 3: 0.2})
    assert [sum(x) for x in zip(*parts.values(), strict=True)] == [0, 1, 5, 7]
    assert parts == {1: [0, 1, 3, 4], 2: [0, 0, 1, 2], 3: [0, 0, 1, 1]}


@pytest.mark.rule("PLAN-05")
@pytest.mark.rule("FLOOR-01")
def test_a_generated_roster_is_a_draft_that_keeps_every_rule(center, week):
    run = generate(center, week["mine"])
    assert run.state == "succeeded" and run.progress == 100 and run.engine == "tours"
    roster = run.roster
    assert roster.state == "draft" and roster.number == 1 and roster.source == "generated"
    agents = Person.objects.filter(organisation=center.vendor_a)
    for person in agents:
        assert roster.shifts.filter(person=person).count() == 5  # five days a week
    assert rostering.roster_breaches(roster) == []
    rows = rostering.coverage(roster)
    assert len(rows) == 7 * 48
    assert sum(r.under * 3 + r.over for r in rows) == roster.objective
    shift = roster.shifts.first()
    assert len(shift.breaks) == 3 and shift.lunch is not None  # 8-9 h: 40-45 min, lunch


def test_a_failed_run_changes_no_roster(center, week):
    run = generate(center, week["mine"])
    approved = run.roster
    Roster.objects.filter(pk=approved.pk).update(state="approved")
    ShiftTemplate.objects.update(active=False)
    failed = generate(center, week["mine"])
    assert failed.state == "failed" and "No shift template" in failed.error
    assert failed.roster is None
    assert list(Roster.objects.values_list("pk", "state")) == [(approved.pk, "approved")]


def test_rules_that_cannot_all_hold_are_named(center, week):
    run = generate(center, week["mine"], days_per_week=7, max_consecutive=3)
    assert run.state == "failed" and run.roster is None
    assert "max_consecutive" in run.conflicts[0]["rules"]
    assert "the most working days in a row" in run.conflict_lines[0]
    with translation.override("zh-hans"):
        assert "连续工作天数上限" in run.conflict_lines[0]


def test_a_cancelled_queued_run_never_starts(center, week):
    run = rostering.do_request_roster(week["mine"], acting_user=center.user("vendor_pm"))
    rostering.do_cancel_run(run, acting_user=center.user("vendor_pm"))
    assert rostering.run_roster(run.pk).state == "cancelled"
    assert not Roster.objects.exists()


def test_rules_are_checked_before_queueing(center, week):
    with pytest.raises(rostering.ValidationError) as raised:
        rostering.do_request_roster(
            week["mine"], acting_user=center.user("vendor_pm"), days_per_week=9
        )
    assert "days_per_week" in raised.value.message_dict


def api(center: Center, role: str, outsider: bool = False) -> Any:
    user = center.outsider(role) if outsider else center.user(role)
    return center.client_for(user)


@pytest.mark.rule("PLAN-05")
def test_submit_review_and_approve_through_the_api(center, week):
    pm, planner = api(center, "vendor_pm"), api(center, "planner")
    started = pm.post(
        f"/api/planning/demand/{week['mine'].pk}/runs",
        {"time_limit": 5},
        content_type="application/json",
    )
    assert started.status_code == 202
    run = pm.get(f"/api/planning/runs/{started.json()['id']}").json()
    assert run["state"] == "succeeded", run
    pk = run["roster_id"]
    assert pm.get(f"/api/planning/rosters/{pk}/breaches").json() == []
    coverage = pm.get(f"/api/planning/rosters/{pk}/coverage").json()
    assert len(coverage) == 336 and {"under", "over", "on_duty"} <= set(coverage[0])
    shifts = pm.get(f"/api/planning/rosters/{pk}/shifts").json()
    assert len(shifts) == 6 * 5

    def post(client: Any, action: str, revision: int, comment: str = "") -> Any:
        body = {"revision": revision, "comment": comment}
        return client.post(
            f"/api/planning/rosters/{pk}/{action}", body, content_type="application/json"
        )

    assert post(pm, "submit", 1).json()["state"] == "submitted"
    assert post(pm, "submit", 1).status_code == 409  # stale revision
    assert post(pm, "approve", 2).status_code == 403  # vendors do not approve
    assert post(planner, "return", 2).status_code == 422  # a return says why
    returned = post(planner, "return", 2, "more cover on Monday morning").json()
    assert returned["state"] == "returned"
    assert returned["notes"][-1]["comment"] == "more cover on Monday morning"
    assert post(pm, "submit", 3).json()["state"] == "submitted"
    assert post(planner, "approve", 4, "ok").json()["state"] == "approved"
    assert rostering.published_roster(week["mine"]).pk == pk


def test_vendor_b_sees_none_of_vendor_a_rosters(center, week):
    run = generate(center, week["mine"])
    other = api(center, "vendor_pm", outsider=True)
    assert other.get(f"/api/planning/rosters/{run.roster_id}").status_code == 404
    assert other.get(f"/api/planning/runs/{run.pk}").status_code == 404
    assert other.get(f"/api/planning/demand/{week['mine'].pk}").status_code == 404
    assert all(
        d["organisation_id"] == center.vendor_b.pk for d in other.get("/api/planning/demand").json()
    )
    assert other.get("/api/planning/rosters").json() == []
    assert api(center, "agent").get("/api/planning/rosters").status_code == 403


@pytest.mark.rule("FLOOR-02")
def test_a_large_team_gets_the_tour_engine_and_keeps_the_break_tokens(center):
    from tests.factories import TeamFactory

    staff_the_teams(center, a=9, b=1)
    for code in ("A2", "A3", "A4", "A5"):  # teams of nine, two break tokens each
        team = TeamFactory(
            organisation=center.vendor_a, site=center.site, code=code, queue=center.queue
        )
        for _ in range(9):
            make_person(center.vendor_a, team=team)
    add_templates()
    _forecast, plan = make_planning(center, calls=150)
    demand = rostering.do_publish_demand(plan, WEEK, acting_user=center.user("planner"))
    mine = next(d for d in demand if d.organisation_id == center.vendor_a.pk)
    run = generate(center, mine, time_limit=10)
    assert run.state == "succeeded" and run.engine == "tours", (run.error, run.conflicts)
    assert run.roster.shifts.count() == 45 * 5
    assert rostering.roster_breaches(run.roster) == []
    assert run.bound is not None and run.bound <= run.best
