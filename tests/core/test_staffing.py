"""Shrinkage, FTE, the seat table, beta, the role ratios and scenarios."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.core import erlang, staffing
from ccops.core.errors import InputError
from ccops.core.staffing import Ratios, Scenario, ServiceTarget, Shrinkage


@pytest.mark.rule("FLOOR-01")
def test_breaks_of_five_minutes_an_hour_are_planned_shrinkage():
    default = Shrinkage()
    assert default.breaks == pytest.approx(5 / 60)
    assert default.planned == default.total == pytest.approx(5 / 60)
    longer = Shrinkage.with_breaks(10, training=0.05, absence=0.08)
    assert longer.breaks == pytest.approx(10 / 60)
    assert longer.planned == pytest.approx(10 / 60 + 0.05)
    assert longer.total == pytest.approx(10 / 60 + 0.05 + 0.08)


def test_scheduled_agents_cover_shrinkage():
    assert staffing.scheduled_agents(35, Shrinkage.of_total(0.3)) == pytest.approx(50.0)
    plan = staffing.staff_intervals([300, 0, 120], 180, 30, shrinkage=Shrinkage.of_total(0.3))
    assert plan.required.tolist() == [35, 0, 16]
    assert plan.scheduled.tolist() == pytest.approx([50.0, 0.0, 16 / 0.7])
    assert plan.scheduled_heads.tolist() == [50, 0, 23]
    assert plan.scheduled_hours == pytest.approx((50 + 16 / 0.7) / 2)


@pytest.mark.parametrize("total", [1.0, -0.1, 1.5, float("nan")])
def test_impossible_shrinkage_is_refused(total):
    with pytest.raises(InputError) as caught:
        Shrinkage.of_total(total)
    assert caught.value.field == "shrinkage"


def test_pooled_queues_need_no_more_than_queues_apart():
    """Pool the load before rounding: never sum per-queue head-counts."""
    calls = np.array([[40.0, 300.0], [25.0, 180.0], [10.0, 90.0]])  # three queues, two intervals
    aht = np.array([[200.0], [150.0], [400.0]])
    pooled_calls, pooled_aht = staffing.pool_queues(calls, aht)
    assert pooled_calls.tolist() == [75.0, 570.0]
    assert pooled_calls * pooled_aht == pytest.approx((calls * aht).sum(axis=0))
    pooled = erlang.required_agents(pooled_calls, pooled_aht, 30).agents
    apart = erlang.required_agents(calls, aht, 30).agents.sum(axis=0)
    assert (pooled < apart).all()


def test_fte_per_day_and_month():
    days = np.repeat(np.array(["2026-12-01", "2026-12-02"]), 48)
    scheduled = np.full(96, 10.0)  # ten agents all day: 240 agent-hours a day
    keys, fte = staffing.fte_by_period(days, scheduled, 30, staffing.HOURS_PER_FTE_DAY)
    assert keys.tolist() == ["2026-12-01", "2026-12-02"]
    assert fte.tolist() == pytest.approx([30.0, 30.0])
    months, fte_month = staffing.fte_by_period(
        np.array(["2026-12"] * 96), scheduled, 30, staffing.HOURS_PER_FTE_MONTH
    )
    assert fte_month.tolist() == pytest.approx([480 / 174])


@pytest.mark.rule("PLAN-03")
@pytest.mark.parametrize(
    ("requests", "seats"),
    [
        (0, 5),
        (30, 5),
        (50, 5),
        (51, 7),
        (100, 7),
        (120, 10),
        (200, 10),
        (300, 14),
        (400, 17),
        (450, 20),
        (500, 20),
        (501, 23),
        (1000, 35),
    ],
)
def test_busy_hour_seat_table(requests, seats):
    assert staffing.busy_hour_seats(requests) == seats


@pytest.mark.rule("PLAN-03")
def test_seat_table_is_a_setting():
    assert staffing.busy_hour_seats(150, table=[[100, 8], [200, 12]], seats_per_further_100=4) == 12
    assert staffing.busy_hour_seats(250, table=[[100, 8], [200, 12]], seats_per_further_100=4) == 16


@pytest.mark.rule("PLAN-04")
@pytest.mark.parametrize(("daily", "beta"), [(0, 4), (999, 4), (1000, 3), (4999, 3), (5000, 3)])
def test_beta_by_daily_volume(daily, beta):
    assert staffing.beta_for(daily) == beta


@pytest.mark.rule("PLAN-04")
def test_beta_above_5000_is_a_setting_and_seats_times_beta():
    assert staffing.beta_for(8000, beta_above=2.5) == 2.5
    assert staffing.front_line_by_beta(300, 3000) == 14 * 3
    assert staffing.front_line_by_beta(80, 600) == 7 * 4
    assert staffing.front_line_by_beta(300, 9000, beta_above=2.5) == 35


@pytest.mark.rule("ORG-01")
@pytest.mark.rule("ORG-02")
@pytest.mark.rule("ORG-03")
@pytest.mark.rule("ORG-04")
@pytest.mark.rule("ORG-05")
@pytest.mark.rule("ORG-06")
@pytest.mark.rule("ORG-07")
def test_every_role_from_the_ratios():
    plan = staffing.headcount_plan(399.2, cities=2)
    counts = {line.role: line.count for line in plan.lines}
    assert counts == {
        "agent": 400,
        "standby": 20,  # 5 %
        "back_office": 27,  # 1 per 15
        "team_lead": 20,  # 1 per 20
        "supervisor": 4,  # 20 teams / 6.5
        "coach": 20,  # 1 per 20
        "business_supervisor": 2,  # 1 per city
        "qa_inspector": 16,  # 1 per 25
    }
    assert plan.total == sum(counts.values())
    assert {line.rule for line in plan.lines} >= {f"ORG-0{i}" for i in range(1, 8)}


@pytest.mark.rule("ORG-02")
def test_start_up_minimum_of_supervisors():
    assert staffing.headcount_plan(30).count("supervisor") == 1
    assert staffing.headcount_plan(30, starting=True).count("supervisor") == 2
    assert staffing.headcount_plan(0, starting=True).total == 0


@pytest.mark.rule("ORG-01")
@pytest.mark.rule("ORG-07")
def test_ratios_follow_the_centers_rules():
    ratios = Ratios.from_rules(
        {"ORG-01": {"agents_per_team_lead": 15}, "ORG-07": {"standby_share": 0.1}}
    )
    plan = staffing.headcount_plan(300, ratios=ratios)
    assert plan.count("team_lead") == 20
    assert plan.count("standby") == 30
    assert plan.count("qa_inspector") == 12  # untouched rules keep their defaults


def test_scenarios_side_by_side():
    rng = np.random.default_rng(3)
    calls = rng.uniform(50, 400, 48 * 7)
    scenarios = [
        Scenario("80/20, 30 %", ServiceTarget(0.8, 20), Shrinkage.of_total(0.30)),
        Scenario("90/15, 30 %", ServiceTarget(0.9, 15), Shrinkage.of_total(0.30)),
        Scenario("80/20, 35 %", ServiceTarget(0.8, 20), Shrinkage.of_total(0.35)),
    ]
    base, strict, shrunk = staffing.compare_scenarios(calls, 180, 30, scenarios, months=7 / 30)
    assert strict.required_hours > base.required_hours
    assert shrunk.required_hours == base.required_hours
    assert shrunk.scheduled_hours == pytest.approx(base.required_hours / 0.65)
    assert strict.service_level > base.service_level >= 0.8
    assert base.fte_month == pytest.approx(base.scheduled_hours / 174 / (7 / 30))
