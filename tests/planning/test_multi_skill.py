"""Multi-skill rosters: one run answers the week's demand of several seat types with the
same agents; each shift answers one seat type its holder is skilled for, coverage is
shown per seat type, and a hand edit onto a seat type the person lacks is named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ccops.org.models import Person
from ccops.planning import roster_edits, rostering
from ccops.planning.models import PublishedDemand, Roster, RosterRun
from tests.factories import SeatTypeFactory
from tests.planning.test_rosters import WEEK, publish_week

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rule("PLAN-05")]


def vip_demand(org: Any, seat: Any, site_id: int | None, agents: int = 1) -> PublishedDemand:
    """``agents`` wanted on ``seat`` from 10:00 to 18:00 every day of the week."""
    required = [agents if 20 <= i % 48 < 36 else 0 for i in range(7 * 48)]
    return PublishedDemand.objects.create(
        organisation=org,
        seat_type=seat,
        site_id=site_id,
        week_start=WEEK,
        interval_minutes=30,
        required=required,
    )


@pytest.fixture
def week(center):
    return publish_week(center)


@pytest.fixture
def vip(center, week):
    seat = SeatTypeFactory(code="VIP", name="贵宾专席")
    demand = vip_demand(center.vendor_a, seat, week["mine"].site_id)
    skilled = list(Person.objects.filter(organisation=center.vendor_a).order_by("employee_no"))[:3]
    for person in skilled:
        person.skills.add(demand.seat_type)
    return {"demand": demand, "skilled": {p.employee_no for p in skilled}}


def test_one_run_answers_two_seat_types_with_the_skilled_agents(center, week, vip):
    run = rostering.do_request_roster(
        week["mine"],
        acting_user=center.user("vendor_pm"),
        time_limit=8,
        also_covers=[vip["demand"]],
    )
    run = rostering.run_roster(run.pk)
    assert run.state == "succeeded", run.error
    roster = run.roster
    assert list(roster.also_covers.all()) == [vip["demand"]]
    codes = list(roster.shifts.select_related("person").values_list("person__employee_no", "code"))
    on_vip = [(person, code) for person, code in codes if code.endswith("@VIP")]
    assert on_vip and {person for person, _ in on_vip} <= vip["skilled"]
    assert all(code.endswith(("@VIP", "@GEN")) for _, code in codes)
    assert rostering.roster_breaches(roster) == []
    gen = rostering.coverage(roster)
    seat = rostering.coverage(roster, vip["demand"])
    assert sum(r.on_duty for r in gen) + sum(r.on_duty for r in seat) == sum(
        len(rostering.on_duty_moments(s, WEEK, 30)) for s in roster.shifts.all()
    )
    assert sum(r.under for r in seat) < sum(vip["demand"].required)  # VIP is answered
    cost = sum(r.under * 3 + r.over for r in (*gen, *seat))
    assert cost == roster.objective


def test_a_multi_skill_roster_keeps_its_seat_types_in_new_versions_and_edits(center, week, vip):
    run = rostering.do_request_roster(
        week["mine"],
        acting_user=center.user("vendor_pm"),
        time_limit=5,
        also_covers=[vip["demand"]],
    )
    roster = rostering.run_roster(run.pk).roster
    copy = roster_edits.do_revise_roster(roster, acting_user=center.user("vendor_pm"))
    assert list(copy.also_covers.all()) == [vip["demand"]]
    unskilled = (
        Person.objects.filter(organisation=center.vendor_a)
        .exclude(employee_no__in=vip["skilled"])
        .first()
    )
    shift = copy.shifts.filter(person=unskilled).first()
    broken = roster_edits.do_edit_shift(
        copy,
        acting_user=center.user("vendor_pm"),
        revision=copy.revision,
        person=unskilled,
        day=shift.day,
        shift=shift.code.replace("@GEN", "@VIP"),
    )
    assert [b.rule for b in broken] == ["skills"]
    assert broken[0].words == f"{unskilled.employee_no} on {shift.day:%m-%d}: not skilled for VIP"
    with translation.override("zh-hans"):
        said = rostering.roster_breaches(copy)[0].words
    assert said == f"{unskilled.employee_no} {shift.day:%m-%d}：不具备 VIP 专席技能"
    assert copy.shifts.get(person=unskilled, day=shift.day).code.endswith("@VIP")


def test_only_the_same_vendors_week_can_be_answered_together(center, week, vip):
    other = vip_demand(center.vendor_b, vip["demand"].seat_type, week["mine"].site_id)
    with pytest.raises(ValidationError, match="not another seat type"):
        rostering.do_request_roster(
            week["mine"], acting_user=center.user("vendor_pm"), also_covers=[other]
        )
    later = PublishedDemand.objects.filter(pk=vip["demand"].pk)
    later.update(week_start=WEEK + dt.timedelta(days=7))
    with pytest.raises(ValidationError, match="not another seat type"):
        rostering.do_request_roster(
            week["mine"], acting_user=center.user("vendor_pm"), also_covers=[later.get()]
        )
    assert not RosterRun.objects.exists()


def test_the_pages_and_the_api_show_each_seat_type(center, week, vip):
    pm = center.client_for(center.user("vendor_pm"))
    page = pm.get(f"/planning/demand/{week['mine'].pk}/").content.decode()
    assert 'data-testid="also-covers"' in page and "贵宾专席" in page
    pm.post(
        f"/planning/demand/{week['mine'].pk}/generate/",
        {"time_limit": "5", "also_covers": [str(vip["demand"].pk)]},
    )
    roster = Roster.objects.get()
    shown = pm.get(f"/planning/rosters/{roster.pk}/").content.decode()
    assert shown.count('data-testid="coverage-map"') == 2
    assert shown.count('data-testid="coverage-seat"') == 2
    assert "@VIP" in shown
    covering = pm.get(f"/planning/demand/{vip['demand'].pk}/").content.decode()
    assert 'data-testid="covering"' in covering and f"/planning/rosters/{roster.pk}/" in covering

    base = "/api/planning"
    got = pm.get(f"{base}/rosters/{roster.pk}").json()
    assert got["also_covers"] == [vip["demand"].pk]
    listed = pm.get(f"{base}/rosters", {"demand": vip["demand"].pk}).json()
    assert [r["id"] for r in listed] == [roster.pk]
    seat = pm.get(f"{base}/rosters/{roster.pk}/coverage", {"demand": vip["demand"].pk}).json()
    assert [r["required"] for r in seat] == vip["demand"].required
    elsewhere = vip_demand(center.vendor_b, vip["demand"].seat_type, week["mine"].site_id)
    assert (
        pm.get(f"{base}/rosters/{roster.pk}/coverage", {"demand": elsewhere.pk}).status_code == 404
    )
    queued = pm.post(
        f"{base}/demand/{week['mine'].pk}/runs",
        {"time_limit": 5, "also_covers": [elsewhere.pk]},
        content_type="application/json",
    )
    assert queued.status_code == 404  # another vendor's demand is not there for them


def test_a_published_roster_of_another_seat_type_keeps_its_agents_busy(center, week, vip):
    """The VIP roster is published first; the general roster then leaves the VIP agents'
    VIP days alone and counts them in their week, and a hand edit onto such a day is named."""
    pm, planner = center.user("vendor_pm"), center.user("planner")
    run = rostering.do_request_roster(vip["demand"], acting_user=pm, time_limit=5)
    first = rostering.run_roster(run.pk).roster
    assert first is not None
    first = rostering.do_submit_roster(first, acting_user=pm, revision=first.revision)
    first = rostering.do_approve_roster(first, acting_user=planner, revision=first.revision)
    busy = set(first.shifts.values_list("person__employee_no", "day"))
    assert busy

    run = rostering.do_request_roster(week["mine"], acting_user=pm, time_limit=8)
    run = rostering.run_roster(run.pk)
    assert run.state == "succeeded", (run.error, run.conflict_lines)
    general = run.roster
    mine = set(general.shifts.values_list("person__employee_no", "day"))
    assert not busy & mine  # never on both rosters the same day
    assert all(not code.endswith("@VIP") for code in general.shifts.values_list("code", flat=True))
    assert rostering.roster_breaches(general) == []
    for person in vip["skilled"]:  # five days a week across both rosters
        days = {d for p, d in busy | mine if p == person}
        assert len(days) == 5

    person, day = sorted(busy)[0]
    agent = Person.objects.get(employee_no=person)
    template = general.shifts.exclude(code__contains="@").first().code
    broken = roster_edits.do_edit_shift(
        general, acting_user=pm, revision=general.revision, person=agent, day=day, shift=template
    )
    assert "locked" in [b.rule for b in broken]
    assert any("in another roster" in b.words for b in broken)
