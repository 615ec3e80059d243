"""Shift swaps (ATT-11): an agent asks, the colleague accepts, a team lead approves;
the published roster changes only when both weeks still keep every rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ccops.org.roles import Role
from ccops.planning import rostering
from ccops.planning.models import ShiftSwap
from tests.conftest import make_person
from tests.factories import ProfileFactory
from tests.planning.test_rosters import generate, week  # noqa: F401 -- fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(center: Any, week: dict[str, Any]) -> Any:  # noqa: F811
    roster = generate(center, week["mine"]).roster
    pm, planner = center.user("vendor_pm"), center.user("planner")
    rostering.do_submit_roster(roster, acting_user=pm, revision=1)
    rostering.do_approve_roster(roster, acting_user=planner, revision=2)
    return roster


def agent_client(center: Any, person: Any) -> Any:
    profile = ProfileFactory(
        user__username=f"agent_{person.employee_no}".lower(),
        organisation=person.organisation,
        role=Role.AGENT,
        person=person,
    )
    return center.client_for(profile.user)


def a_day_one_works_and_the_other_does_not(roster: Any, a: Any, b: Any) -> dt.date:
    days = {s.day for s in roster.shifts.filter(person=a)}
    return next(d for d in sorted(days) if not roster.shifts.filter(person=b, day=d).exists())


def exchangeable(roster: Any, me: Any) -> tuple[Any, dt.date, dt.date]:
    """A colleague and two days: one I work and they do not, one the other way round."""
    mine = {s.day for s in roster.shifts.filter(person=me)}
    for other in {s.person for s in roster.shifts.exclude(person=me).select_related("person")}:
        theirs = {s.day for s in roster.shifts.filter(person=other)}
        if mine - theirs and theirs - mine:
            return other, min(mine - theirs), min(theirs - mine)
    raise AssertionError("no two agents with days to exchange")


@pytest.mark.rule("ATT-11")
def test_a_swap_asked_accepted_and_approved_changes_the_published_roster(center, published):
    me = center.agent_a
    colleague, day, their_day = exchangeable(published, me)
    mine = published.shifts.get(person=me, day=day)
    theirs = published.shifts.get(person=colleague, day=their_day)
    asked = agent_client(center, me).post(
        "/api/planning/swaps",
        {
            "partner": colleague.pk,
            "day": str(day),
            "partner_day": str(their_day),
            "reason": "family",
        },
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.json()
    pk = asked.json()["id"]
    lead = center.client_for(center.user("team_lead"))
    early = lead.post(f"/api/planning/swaps/{pk}/approve", {}, content_type="application/json")
    assert early.status_code == 422  # the colleague has not said yes
    accepted = agent_client(center, colleague).post(f"/api/planning/swaps/{pk}/accept")
    assert accepted.json().get("state") == "accepted", accepted.json()
    done = lead.post(
        f"/api/planning/swaps/{pk}/approve", {"answer": "ok"}, content_type="application/json"
    )
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == "approved"
    assert published.shifts.get(person=colleague, day=day).code == mine.code
    assert published.shifts.get(person=me, day=their_day).code == theirs.code
    assert not published.shifts.filter(person=me, day=day).exists()
    assert rostering.roster_breaches(published) == []


@pytest.mark.rule("ATT-11")
def test_a_swap_that_breaks_a_rule_is_refused_and_changes_nothing(center, published):
    me = center.agent_a
    colleague = type(me).objects.exclude(pk=me.pk).filter(organisation=center.vendor_a).first()
    day = a_day_one_works_and_the_other_does_not(published, me, colleague)
    swap = ShiftSwap.objects.create(
        roster=published, requester=me, partner=colleague, day=day, state="accepted"
    )
    before = list(published.shifts.order_by("pk").values_list("person_id", "day", "code"))
    with pytest.raises(rostering.ValidationError, match="break the rules"):
        from ccops.planning import swaps

        swaps.do_decide_swap(swap, acting_user=center.user("team_lead"), approve=True)
    after = list(published.shifts.order_by("pk").values_list("person_id", "day", "code"))
    assert sorted(after) == sorted(before)
    swap.refresh_from_db()
    assert swap.state == "accepted"


def test_only_the_two_agents_see_their_swap_and_vendor_b_none(center, published):
    me = center.agent_a
    other = make_person(center.vendor_a, team=center.team_a)
    colleague = (
        type(me)
        .objects.exclude(pk__in=[me.pk, other.pk])
        .filter(organisation=center.vendor_a)
        .first()
    )
    day = min(s.day for s in published.shifts.filter(person=me))
    swap = ShiftSwap.objects.create(roster=published, requester=me, partner=colleague, day=day)
    assert [s["id"] for s in agent_client(center, me).get("/api/planning/swaps").json()] == [
        swap.pk
    ]
    assert agent_client(center, other).get("/api/planning/swaps").json() == []
    outsider = center.client_for(center.outsider("team_lead"))
    assert (
        outsider.post(
            f"/api/planning/swaps/{swap.pk}/approve", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert outsider.get("/api/planning/swaps").json() == []


def test_the_pages_ask_accept_and_approve_a_swap(center, published):
    me = center.agent_a
    colleague, day, their_day = exchangeable(published, me)
    mine = agent_client(center, me)
    page = mine.get(f"/planning/my-schedule/?week={published.demand.week_start}")
    assert 'data-testid="swap-form"' in page.content.decode()
    mine.post(
        "/planning/swaps/",
        {"partner": colleague.pk, "day": str(day), "partner_day": str(their_day)},
    )
    swap = ShiftSwap.objects.get()
    theirs = agent_client(center, colleague)
    assert "Accept" in theirs.get("/planning/my-schedule/").content.decode()
    theirs.post(f"/planning/swaps/{swap.pk}/accept/")
    lead = center.client_for(center.user("vendor_pm"))
    assert 'data-testid="pending-swaps"' in lead.get("/planning/team-schedule/").content.decode()
    lead.post(f"/planning/swaps/{swap.pk}/approve/")
    swap.refresh_from_db()
    assert swap.state == "approved"
