"""Staffing plans from a forecast: intervals, head-count lines by vendor, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from ccops.core import erlang
from ccops.planning import services
from ccops.planning.models import HeadcountLine, StaffingInterval, StaffingPlan
from ccops.policy.services import do_set_rule
from tests.conftest import make_person
from tests.planning.helpers import make_forecast, make_planning


def _answer_queue(center, agents_a=3, agents_b=1):
    for team in (center.team_a, center.team_b):
        team.queue = center.queue
        team.save()
    for _ in range(agents_a - 1):
        make_person(center.vendor_a, team=center.team_a)
    for _ in range(agents_b - 1):
        make_person(center.vendor_b, team=center.team_b)


@pytest.mark.rule("PLAN-10")
def test_every_interval_gets_required_and_scheduled_agents(center):
    forecast, plan = make_planning(center, calls=120.0)
    assert plan.status == "succeeded"
    rows = StaffingInterval.objects.filter(plan=plan)
    assert rows.count() == forecast.intervals.count() == 7 * 24
    expected = int(erlang.required_agents(120, 180, 30).agents)
    assert {r.required for r in rows} == {expected}
    assert rows.first().scheduled == pytest.approx(expected / 0.7)
    assert rows.first().service_level >= 0.8


def test_adjusted_calls_drive_staffing(center):
    forecast = make_forecast(center, calls=100.0)
    planner = center.user("planner")
    services.do_adjust_forecast(
        forecast,
        acting_user=planner,
        kind="billing",
        first_day=dt.date(2026, 12, 8),
        last_day=dt.date(2026, 12, 8),
        factor=2.0,
        reason="bills go out",
    )
    plan = services.do_request_staffing(forecast, acting_user=planner)
    services.run_staffing(plan.pk)
    by_day = {}
    for row in StaffingInterval.objects.filter(plan=plan):
        by_day.setdefault(row.start.astimezone().date(), set()).add(row.calls)
    assert by_day[dt.date(2026, 12, 8)] == {200.0}
    assert by_day[dt.date(2026, 12, 9)] == {100.0}


@pytest.mark.rule("ORG-01")
@pytest.mark.rule("ORG-06")
@pytest.mark.rule("ORG-07")
def test_vendors_are_asked_for_their_share_and_the_client_for_its_roles(center):
    _answer_queue(center, agents_a=3, agents_b=1)
    _forecast, plan = make_planning(center, calls=600.0, days=14)
    lines = HeadcountLine.objects.filter(plan=plan)
    months = sorted({line.month for line in lines})
    assert months == [dt.date(2026, 12, 1)]
    agents = {line.organisation_id: line.count for line in lines.filter(role="agent")}
    assert set(agents) == {center.vendor_a.pk, center.vendor_b.pk}
    assert agents[center.vendor_a.pk] == pytest.approx(3 * agents[center.vendor_b.pk], rel=0.05)
    vendor_roles = set(lines.filter(organisation=center.vendor_a).values_list("role", flat=True))
    assert vendor_roles == {"agent", "standby", "back_office", "team_lead", "supervisor"}
    client_roles = set(lines.filter(organisation=center.client_org).values_list("role", flat=True))
    assert client_roles == {"coach", "business_supervisor", "qa_inspector"}


@pytest.mark.rule("ORG-01")
def test_head_count_follows_the_centers_ratios(center):
    _answer_queue(center, agents_a=1, agents_b=0)
    admin = center.user("admin")
    _f, plan = make_planning(center, calls=600.0)
    before = HeadcountLine.objects.get(plan=plan, role="team_lead", organisation=center.vendor_a)
    do_set_rule("ORG-01", {"agents_per_team_lead": 10}, acting_user=admin, reason="pilot")
    _f, again = make_planning(center, calls=600.0)
    after = HeadcountLine.objects.get(plan=again, role="team_lead", organisation=center.vendor_a)
    assert after.count == pytest.approx(2 * before.count, abs=1)


def test_staffing_defaults_come_from_the_rules(center):
    admin = center.user("admin")
    do_set_rule(
        "PLAN-10", {"service_level": 0.9, "threshold_seconds": 15}, acting_user=admin, reason="x"
    )
    do_set_rule("FLOOR-01", {"break_minutes_per_hour": 6}, acting_user=admin, reason="x")
    forecast = make_forecast(center)
    plan = services.do_request_staffing(forecast, acting_user=center.user("planner"))
    assert (plan.service_level, plan.threshold_seconds, plan.break_minutes_per_hour) == (0.9, 15, 6)


@pytest.mark.parametrize(
    "settings_",
    [{"service_level": 1.5}, {"absence": 0.95}, {"max_occupancy": 0}],
)
def test_impossible_targets_are_refused_and_nothing_stored(center, settings_):
    forecast = make_forecast(center)
    with pytest.raises(Exception) as caught:
        services.do_request_staffing(forecast, acting_user=center.user("planner"), **settings_)
    assert type(caught.value).__name__ == "ValidationError"
    assert not StaffingPlan.objects.exists()


def test_a_failing_run_keeps_nothing_half_written(center, monkeypatch):
    _f, plan = make_planning(center)
    kept = StaffingInterval.objects.filter(plan=plan).count()
    StaffingPlan.objects.filter(pk=plan.pk).update(status="failed")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("ccops.planning.staffing.headcount_lines", broken)
    services.run_staffing(plan.pk)
    plan.refresh_from_db()
    assert plan.status == "failed"
    assert "disk full" in plan.error
    assert StaffingInterval.objects.filter(plan=plan).count() == kept


def test_only_planners_plan(center):
    forecast = make_forecast(center)
    with pytest.raises(Exception) as caught:
        services.do_request_staffing(forecast, acting_user=center.user("qa_inspector"))
    assert type(caught.value).__name__ == "PermissionDenied"
