"""Run the planning pipeline over the demo center, as its planner would on day one.

For every seat type with ACD history: a center-wide forecast of the next weeks,
published, and a staffing plan with its head-count lines, so that the forecast,
staffing and head-count pages have something to show straight after `make demo`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ccops.demo.structure import Structure
from ccops.planning import services
from ccops.planning.models import Forecast, HeadcountLine, PlanningEvent, StaffingPlan, Status

HORIZON_DAYS = 28
INTERVAL_MINUTES = 30
BILL_RUN = ("月初账单日", 1.3)  # the monthly bill run the demo planner knows about
# Shrinkage besides breaks (FLOOR-01, from the rules): what a hotline typically loses.
SHRINKAGE = {"briefings": 0.03, "training": 0.04, "leave": 0.06, "absence": 0.05}


class DemoPlanningError(RuntimeError):
    """A step of the demo pipeline did not finish; names the seat type and the step."""


def first_of_next_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def enter_events(structure: Structure, today: dt.date) -> None:
    """The bill run on the first two days of next month, for the general seat type."""
    name, uplift = BILL_RUN
    first = first_of_next_month(today)
    PlanningEvent.objects.create(
        name=name,
        seat_type=structure.seat_types["GEN"],
        first_day=first,
        last_day=first + dt.timedelta(days=1),
        uplift=uplift,
    )


def plan_seat_type(seat_type: Any, planner: Any) -> StaffingPlan:
    """Forecast, publish and staff one seat type center-wide; raises if a step fails."""
    forecast = services.do_request_forecast(
        acting_user=planner,
        seat_type=seat_type,
        site=None,
        interval_minutes=INTERVAL_MINUTES,
        horizon_days=HORIZON_DAYS,
        method=Forecast.Method.AUTO,
        note="demo",
    )
    forecast = services.run_forecast(forecast.pk)
    if forecast.status != Status.SUCCEEDED:
        raise DemoPlanningError(f"forecast for {seat_type.code} failed: {forecast.error}")
    services.do_publish_forecast(forecast, acting_user=planner)
    request = services.do_request_staffing(forecast, acting_user=planner, **SHRINKAGE)
    plan = services.run_staffing(request.pk)
    if plan.status != Status.SUCCEEDED:
        raise DemoPlanningError(f"staffing for {seat_type.code} failed: {plan.error}")
    return plan


def run_planning(structure: Structure, planner: Any, today: dt.date) -> dict[str, int]:
    """Events, then a published forecast and a staffing plan per seat type with history;
    returns rows written per model."""
    enter_events(structure, today)
    for seat_type in structure.seat_types.values():
        plan_seat_type(seat_type, planner)
    models = (PlanningEvent, Forecast, StaffingPlan, HeadcountLine)
    return {model._meta.label: model.objects.count() for model in models}
