"""Overtime (FLOOR-08): the client posts overtime where the published roster falls
short, the vendor's agents take the seats, the client audits who came."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from ccops.planning import overtime, rostering
from ccops.planning.models import OvertimeTake
from tests.planning.test_rosters import generate, week  # noqa: F401 -- fixture
from tests.planning.test_swaps import agent_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(center: Any, week: dict[str, Any]) -> Any:  # noqa: F811
    roster = generate(center, week["mine"]).roster
    rostering.do_submit_roster(roster, acting_user=center.user("vendor_pm"), revision=1)
    rostering.do_approve_roster(roster, acting_user=center.user("planner"), revision=2)
    return roster


@pytest.mark.rule("FLOOR-08")
def test_overtime_posted_taken_and_audited(center, published):
    planner = center.client_for(center.user("planner"))
    gap = planner.get(f"/api/planning/rosters/{published.pk}/overtime-gap").json()
    assert gap is None or {"day", "start_minute", "minutes", "seats"} <= set(gap)
    me = center.agent_a
    day = min(
        (published.demand.week_start + dt.timedelta(days=i) for i in range(7)),
        key=lambda d: published.shifts.filter(person=me, day=d).exists(),
    )
    working = published.shifts.filter(person=me, day=day).first()
    start = 22 * 60 if working is None else working.start_minute  # overlaps when working
    posted = planner.post(
        f"/api/planning/demand/{published.demand_id}/overtime",
        {"day": str(day), "start_minute": start, "minutes": 60, "seats": 1},
        content_type="application/json",
    )
    assert posted.status_code == 201, posted.json()
    offer = posted.json()["id"]
    agent = agent_client(center, me)
    assert [o["id"] for o in agent.get("/api/planning/overtime").json()] == [offer]
    taken = agent.post(f"/api/planning/overtime/{offer}/take")
    if working is not None:
        assert taken.status_code == 422  # it overlaps the agent's own shift
        return
    assert taken.status_code == 201, taken.json()
    assert agent.post(f"/api/planning/overtime/{offer}/take").status_code == 422  # full
    take = taken.json()["id"]
    assert (
        center.client_for(center.user("vendor_pm"))
        .post(
            f"/api/planning/overtime/takes/{take}/audit",
            {"attended": True},
            content_type="application/json",
        )
        .status_code
        == 403
    )  # the client audits, not the vendor
    audited = planner.post(
        f"/api/planning/overtime/takes/{take}/audit",
        {"attended": True},
        content_type="application/json",
    )
    assert audited.json()["attended"] is True
    assert OvertimeTake.objects.get().audited_by == center.user("planner")


def test_overtime_checks_rest_and_seats(center, published):
    me = center.agent_a
    shifts = list(published.shifts.filter(person=me).order_by("day"))
    last = shifts[0]
    # Right after a shift ends: too little rest before the next day's... same day overlap
    offer = overtime.do_offer_overtime(
        published.demand,
        acting_user=center.user("planner"),
        day=last.day,
        start_minute=last.start_minute + 60,
        minutes=60,
        seats=1,
    )
    with pytest.raises(rostering.ValidationError, match="overlaps"):
        overtime.do_take_overtime(offer, person=me, acting_user=None)
    with pytest.raises(PermissionDenied):
        overtime.do_offer_overtime(
            published.demand,
            acting_user=center.user("vendor_pm"),
            day=last.day,
            start_minute=0,
            minutes=60,
            seats=1,
        )


@pytest.mark.rule("FLOOR-08")
def test_overtime_taken_counts_in_coverage_until_audited_as_not_come(center, published):
    """The roster's coverage counts agents on overtime taken; the largest gap moves on."""
    rows = rostering.coverage(published)
    gap = overtime.largest_gap(published, rows)
    if gap is None:  # fully covered: make room for an offer late on Sunday
        gap = {"day": published.demand.week_start + dt.timedelta(days=6), "start_minute": 22 * 60}
    offer = overtime.do_offer_overtime(
        published.demand,
        acting_user=center.user("planner"),
        day=gap["day"],
        start_minute=gap["start_minute"],
        minutes=60,
        seats=2,
    )
    free = [
        p
        for p in rostering.people_of(published).values()
        if not published.shifts.filter(person=p, day__in=[gap["day"], offer.day]).exists()
    ]
    takes = [
        overtime.do_take_overtime(offer, person=p, acting_user=center.user("vendor_pm"))
        for p in free[:2]
    ]
    assert takes
    first = (offer.day - published.demand.week_start).days * 48 + offer.start_minute // 30
    after = rostering.coverage(published)
    assert [r.overtime for r in after[first : first + 2]] == [len(takes)] * 2
    assert sum(r.overtime for r in after) == 2 * len(takes)
    assert after[first].under == max(rows[first].under - len(takes), 0)
    overtime.do_audit_overtime(takes[0], acting_user=center.user("planner"), attended=False)
    assert rostering.coverage(published)[first].overtime == len(takes) - 1
