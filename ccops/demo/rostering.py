"""The first week of the plan rostered, as the demo's planners would on day one: shift
templates, each organisation's published demand for the general seat type and a roster
for each. The client's own and vendor VA's are approved (their agents and team leads
read them), vendor VB's waits for the client's review. The client's roster is
multi-skill: it answers the VIP seat type too, with the VIP agents who also take
general calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from ccops.planning import rostering
from ccops.planning.models import PublishedDemand, Roster, ShiftTemplate, StaffingPlan

SHIFTS = (
    *((f"D{hour:02d}", hour * 60, 480, False) for hour in range(7, 16)),  # 8 h days
    *((f"L{hour:02d}", hour * 60, 540, False) for hour in range(8, 13)),  # 9 h with lunch
    ("N22", 22 * 60, 540, True),  # the night line
)
SEAT_TYPE = "GEN"
ALSO_SEAT_TYPE = "VIP"  # answered together with the general seat by the client
ROSTER_SECONDS = 12  # per organisation
BUILT_BY = {"CLIENT": "planner", "VA": "va_pm", "VB": "vb_pm"}
APPROVED = {"CLIENT", "VA"}


class DemoRosterError(RuntimeError):
    """A roster of the demo week did not come out; names the organisation."""


def create_shift_templates() -> None:
    ShiftTemplate.objects.bulk_create(
        ShiftTemplate(
            code=code, start=dt.time(start // 60, start % 60), minutes=minutes, night=night
        )
        for code, start, minutes, night in SHIFTS
    )


def first_monday(plan: StaffingPlan) -> dt.date:
    first = plan.forecast.horizon_start
    assert first is not None
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def roster_first_week(planner: Any, *, seconds: int = ROSTER_SECONDS) -> dict[str, int]:
    """Templates, the general seat type's demand for the plan's first whole week, and a
    roster per organisation; returns rows written per model."""
    create_shift_templates()
    plan = StaffingPlan.objects.get(forecast__seat_type__code=SEAT_TYPE, forecast__site=None)
    week = first_monday(plan)
    also = StaffingPlan.objects.filter(
        forecast__seat_type__code=ALSO_SEAT_TYPE, forecast__site=None
    ).first()
    also_demand = rostering.do_publish_demand(also, week, acting_user=planner) if also else []
    users = get_user_model().objects.in_bulk(BUILT_BY.values(), field_name="username")
    for demand in rostering.do_publish_demand(plan, week, acting_user=planner):
        code = demand.organisation.code
        builder = users[BUILT_BY.get(code, "planner")]
        together = [d for d in also_demand if d.organisation_id == demand.organisation_id]
        run = rostering.do_request_roster(
            demand, acting_user=builder, time_limit=seconds, also_covers=together
        )
        run = rostering.run_roster(run.pk, live=False)
        if run.roster is None:
            raise DemoRosterError(f"the {code} roster failed: {run.error} {run.conflicts}")
        roster = rostering.do_submit_roster(run.roster, acting_user=builder, revision=1)
        if code in APPROVED:
            rostering.do_approve_roster(roster, acting_user=planner, revision=roster.revision)
    models = (ShiftTemplate, PublishedDemand, Roster)
    return {model._meta.label: model.objects.count() for model in models}
