"""Leave (ATT-02..07) end to end: an agent asks, is told at once why a day is refused,
sees who approves and why; one approver decides (of two at once the other gets a
conflict); approved leave is a day off in the roster made afterwards."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation

from ccops.attendance import leave as service
from ccops.attendance.models import BlackoutDay, LeaveRequest
from ccops.common.actions import Conflict
from ccops.org.models import Person
from ccops.planning import rostering
from ccops.planning.models import Roster, ShiftTemplate
from tests.planning.test_rosters import WEEK, generate, publish_week
from tests.planning.test_swaps import agent_client

TODAY = WEEK - dt.timedelta(days=14)
pytestmark = pytest.mark.django_db(transaction=True)


def ask(center: Any, days: int = 1, first: dt.date | None = None, **more: Any) -> LeaveRequest:
    first = first or WEEK + dt.timedelta(days=1)
    values = {"kind": "personal", **more}
    return service.do_request_leave(
        center.agent_a,
        acting_user=center.user("agent"),
        first_day=first,
        last_day=first + dt.timedelta(days=days - 1),
        today=TODAY,
        **values,
    )


@pytest.mark.rule("ATT-02")
def test_the_length_picks_the_approver_and_the_agent_is_told_why(center):
    one = ask(center)
    assert one.state == "requested" and one.approver_level == "area_manager"
    assert service.why_this_approver(one) == "1 days: Area manager (ATT-02: up to 1 days)"
    long_ = ask(center, days=5, first=WEEK + dt.timedelta(days=3))
    assert long_.approver_level == "center_director"
    with pytest.raises(PermissionDenied):  # a team lead approves one day, not five
        service.do_decide_leave(
            long_, acting_user=center.user("team_lead"), approve=True, revision=1
        )
    done = service.do_decide_leave(
        one, acting_user=center.user("team_lead"), approve=True, revision=1
    )
    assert done.state == "approved" and done.decided_by == center.user("team_lead")
    pm = service.do_decide_leave(
        long_, acting_user=center.user("vendor_pm"), approve=False, revision=1
    )
    assert pm.state == "refused"
    with translation.override("zh-hans"):
        assert "区域经理" in service.why_this_approver(
            one
        ) or "片区经理" in service.why_this_approver(one)


@pytest.mark.rule("ATT-05")
def test_a_blackout_day_is_refused_at_once_with_the_swap_advice(center):
    billing = WEEK + dt.timedelta(days=2)
    BlackoutDay.objects.create(day=billing, kind="billing_day")
    with pytest.raises(ValidationError) as refused:
        ask(center, days=3)
    text = " ".join(refused.value.messages)
    assert f"ATT-05: no leave on {billing} (Billing day): swap shifts with a colleague" in text
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        ask(center, days=3)
    assert f"ATT-05: {billing}（账期）不准假：请与同事串班" in " ".join(refused.value.messages)
    assert not LeaveRequest.objects.exists()
    holiday = dt.date(2026, 10, 1)  # National Day, from the Chinese calendar
    with pytest.raises(ValidationError, match="Public holiday"):
        service.do_request_leave(
            center.agent_a,
            acting_user=center.user("agent"),
            kind="personal",
            first_day=holiday,
            last_day=holiday,
            today=dt.date(2026, 9, 1),
        )


@pytest.mark.rule("ATT-03")
@pytest.mark.rule("ATT-04")
def test_lead_time_sudden_illness_and_sick_leave_without_a_certificate(center):
    with pytest.raises(ValidationError, match="ATT-03"):
        ask(center, kind="marriage", days=3, first=TODAY + dt.timedelta(days=3))
    sudden = ask(center, kind="sick", first=TODAY, sudden=True, certificate=True)
    assert sudden.papers_due == TODAY + dt.timedelta(days=2)
    no_paper = ask(center, kind="sick", first=WEEK + dt.timedelta(days=4))
    assert no_paper.counted_as == "personal"


@pytest.mark.rule("ATT-06")
def test_a_night_shift_of_leave_counts_double(center):
    week = publish_week(center)
    ShiftTemplate.objects.create(code="N22", start=dt.time(22), minutes=540, night=True)
    roster = generate(center, week["mine"]).roster
    roster.shifts.filter(person=center.agent_a).update(code="N22")
    Roster.objects.filter(pk=roster.pk).update(state="approved")
    night = roster.shifts.filter(person=center.agent_a).order_by("day").first().day
    leave = ask(center, first=night)
    assert leave.days == 2 and leave.approver_level == "operations_supervisor"


def test_overlapping_leave_is_refused(center):
    ask(center, days=2)
    with pytest.raises(ValidationError, match="overlaps"):
        ask(center, first=WEEK + dt.timedelta(days=2))
    assert LeaveRequest.objects.count() == 1


@pytest.mark.rule("ATT-02")
def test_two_approvers_at_once_one_decides_the_other_gets_a_conflict(center):
    leave = ask(center)
    approvers = [center.user("team_lead"), center.user("vendor_supervisor")]
    results: list[str] = []
    start = threading.Barrier(2)

    def decide(user: Any, approve: bool) -> None:
        try:
            start.wait()
            service.do_decide_leave(leave, acting_user=user, approve=approve, revision=1)
            results.append("decided")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(user, i == 0)) for i, user in enumerate(approvers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "decided"]
    leave.refresh_from_db()
    assert leave.revision == 2 and leave.state in ("approved", "refused")


def test_approving_leave_on_published_shifts_warns_the_approver(center):
    week = publish_week(center)
    roster = generate(center, week["mine"]).roster
    Roster.objects.filter(pk=roster.pk).update(state="approved")
    day = roster.shifts.filter(person=center.agent_a).order_by("day").first().day
    leave = ask(center, first=day)
    assert [s.day for s in service.shifts_on_leave(leave)] == [day]
    pm = center.client_for(center.user("vendor_pm"))
    done = pm.post(f"/attendance/leave/{leave.pk}/approve/", {"revision": "1"}, follow=True)
    assert "re-optimise the roster" in done.content.decode()


@pytest.mark.rule("PLAN-05")
def test_approved_leave_is_a_day_off_in_the_roster(center):
    week = publish_week(center)
    day = WEEK + dt.timedelta(days=1)
    leave = ask(center, days=2, first=day)
    service.do_decide_leave(leave, acting_user=center.user("vendor_pm"), approve=True, revision=1)
    roster = generate(center, week["mine"]).roster
    mine = set(roster.shifts.filter(person=center.agent_a).values_list("day", flat=True))
    assert not mine & {day, day + dt.timedelta(days=1)}
    assert len(mine) == 3  # five working days less the two on leave
    assert rostering.roster_breaches(roster) == []


def test_another_vendor_cannot_ask_or_decide_for_my_agents(center):
    leave = ask(center)
    outsider = center.outsider("vendor_pm")
    with pytest.raises(PermissionDenied):
        service.do_decide_leave(leave, acting_user=outsider, approve=True, revision=1)
    client = center.client_for(outsider)
    assert client.get(f"/api/attendance/leave/{leave.pk}").status_code == 404
    asked = client.post(
        "/api/attendance/leave",
        {"person": center.agent_a.pk, "kind": "personal", "first_day": str(WEEK)},
        content_type="application/json",
    )
    assert asked.status_code == 404


def test_the_api_asks_explains_and_refuses_a_stale_decision(center):
    agent = agent_client(center, center.agent_a)
    future = timezone.localdate() + dt.timedelta(days=20)
    while future.weekday() > 4 or service._holiday(future)[0]:
        future += dt.timedelta(days=1)
    asked = agent.post(
        "/api/attendance/leave",
        {"kind": "personal", "first_day": str(future)},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.json()
    body = asked.json()
    assert body["approver_level"] == "area_manager" and "ATT-02" in body["approver_why"]
    lead = center.client_for(center.user("team_lead"))
    waiting = lead.get("/api/attendance/leave", {"waiting": True}).json()
    assert [w["id"] for w in waiting] == [body["id"]]
    done = lead.post(
        f"/api/attendance/leave/{body['id']}/approve",
        {"revision": 1},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "approved"
    again = lead.post(
        f"/api/attendance/leave/{body['id']}/refuse",
        {"revision": 1},
        content_type="application/json",
    )
    assert again.status_code == 409
    refused = agent.post(
        "/api/attendance/leave",
        {
            "kind": "bereavement",
            "first_day": str(future + dt.timedelta(days=10)),
            "last_day": str(future + dt.timedelta(days=14)),
        },
        content_type="application/json",
    )
    assert refused.status_code == 422 and "ATT-07" in str(refused.json())


def test_the_pages_ask_and_decide(center):
    agent = agent_client(center, center.agent_a)
    page = agent.get("/attendance/leave/").content.decode()
    assert 'data-testid="leave-form"' in page
    future = timezone.localdate() + dt.timedelta(days=20)
    while future.weekday() > 4 or service._holiday(future)[0]:
        future += dt.timedelta(days=1)
    agent.post("/attendance/leave/ask/", {"kind": "personal", "first_day": str(future)})
    leave = LeaveRequest.objects.get()
    mine = agent.get("/attendance/leave/").content.decode()
    assert 'data-testid="my-leave"' in mine and "ATT-02" in mine
    lead = center.client_for(center.user("team_lead"))
    waiting = lead.get("/attendance/leave/").content.decode()
    assert 'data-testid="leave-waiting"' in waiting
    lead.post(f"/attendance/leave/{leave.pk}/approve/", {"revision": "1"})
    leave.refresh_from_db()
    assert leave.state == "approved"
    planner = center.client_for(center.user("planner"))
    planner.post("/attendance/blackout-days/", {"day": "2026-12-15", "kind": "billing_day"})
    assert BlackoutDay.objects.filter(day=dt.date(2026, 12, 15)).exists()
    assert Person.objects.filter(pk=center.agent_a.pk).exists()


def test_my_schedule_lists_my_leave(center):
    leave = ask(center, kind="sick", first=WEEK + dt.timedelta(days=2))
    page = center.client_for(center.user("agent")).get(f"/planning/my-schedule/?week={WEEK}")
    text = page.content.decode()
    assert 'data-testid="my-schedule-leave"' in text
    assert leave.first_day.strftime("%Y-%m-%d") in text and "Waiting for approval" in text
