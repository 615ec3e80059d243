"""Breaks on the floor: nobody leaves without a token (FLOOR-02), the queue gets the
next one, an absence over five minutes is flagged (FLOOR-03); the team lead's board
shows today's attendance and refreshes itself."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from ccops.attendance import floor
from ccops.attendance.models import AwayFromSeat, TokenWait
from ccops.intake.models import ClockPunch
from ccops.org.models import Person
from ccops.planning.models import Roster
from tests.conftest import make_person
from tests.planning.test_swaps import agent_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(center: Any) -> list[Person]:
    """Vendor A's team with four agents (two break tokens by default)."""
    for _ in range(3):
        make_person(center.vendor_a, team=center.team_a)
    return list(Person.objects.filter(team=center.team_a).order_by("employee_no"))


@pytest.mark.rule("FLOOR-02")
def test_two_tokens_then_the_queue_then_the_first_in_line(center, team):
    lead = center.user("team_lead")
    first = floor.do_leave_seat(team[0], acting_user=lead, kind="break")
    second = floor.do_leave_seat(team[1], acting_user=lead, kind="restroom")
    assert isinstance(first, AwayFromSeat) and isinstance(second, AwayFromSeat)
    third = floor.do_leave_seat(team[2], acting_user=lead, kind="break")
    fourth = floor.do_leave_seat(team[3], acting_user=lead, kind="break")
    assert isinstance(third, TokenWait) and isinstance(fourth, TokenWait)
    board = floor.team_board(center.team_a)
    assert (board.tokens, board.held, board.free, len(board.queue)) == (2, 2, 0, 2)
    floor.do_back_at_seat(first, acting_user=lead)
    # the token freed goes to the first in the queue, not to whoever asks first
    again = floor.do_leave_seat(team[3], acting_user=lead, kind="break")
    assert isinstance(again, TokenWait)
    went = floor.do_leave_seat(team[2], acting_user=lead, kind="break")
    assert isinstance(went, AwayFromSeat)
    assert not TokenWait.objects.filter(person=team[2], done_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="Already away"):
        floor.do_leave_seat(team[2], acting_user=lead, kind="break")


@pytest.mark.rule("FLOOR-02")
def test_two_agents_at_once_for_the_last_token_one_goes_one_waits(center, team):
    lead = center.user("team_lead")
    floor.do_leave_seat(team[0], acting_user=lead, kind="break")
    results: list[str] = []
    start = threading.Barrier(2)

    def go(person: Person) -> None:
        try:
            start.wait()
            result = floor.do_leave_seat(person, acting_user=lead, kind="break")
            results.append(type(result).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(p,)) for p in team[1:3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["AwayFromSeat", "TokenWait"]
    assert AwayFromSeat.objects.filter(back_at__isnull=True, holds_token=True).count() == 2


@pytest.mark.rule("FLOOR-03")
def test_an_absence_over_five_minutes_is_flagged_on_the_board(center, team):
    lead = center.user("team_lead")
    away = floor.do_leave_seat(team[0], acting_user=lead, kind="restroom")
    AwayFromSeat.objects.filter(pk=away.pk).update(left_at=timezone.now() - dt.timedelta(minutes=6))
    board = floor.team_board(center.team_a)
    row = next(r for r in board.rows if r.person == team[0])
    assert row.away_minutes == 6 and row.too_long and board.max_away == 5


def test_the_board_shows_today_attendance(center, team):
    from ccops.planning.models import PublishedDemand, RosterShift

    today = timezone.localdate()
    demand = PublishedDemand.objects.create(
        organisation=center.vendor_a,
        seat_type=center.seat_type,
        week_start=today - dt.timedelta(days=today.weekday()),
        interval_minutes=30,
        required=[0] * 336,
    )
    roster = Roster.objects.create(
        demand=demand, organisation=center.vendor_a, number=1, state="approved"
    )
    RosterShift.objects.create(
        roster=roster, person=team[0], day=today, code="D8", start_minute=480, minutes=480
    )
    zone = timezone.get_current_timezone()
    ClockPunch.objects.create(
        organisation=center.vendor_a,
        person=team[0],
        punched_at=dt.datetime.combine(today, dt.time(8, 7), tzinfo=zone),
        direction="in",
    )
    row = next(r for r in floor.team_board(center.team_a).rows if r.person == team[0])
    assert row.shift is not None and row.late_minutes == 7


def test_the_page_refreshes_itself_and_the_api_queues(center, team):
    lead = center.client_for(center.user("team_lead"))
    page = lead.get(f"/attendance/floor/?team={center.team_a.pk}").content.decode()
    assert 'hx-trigger="every 5s"' in page and 'data-testid="floor-rows"' in page
    partial = lead.get(f"/attendance/floor/?team={center.team_a.pk}&partial=1").content.decode()
    assert "<html" not in partial and 'data-testid="tokens"' in partial
    lead.post("/attendance/floor/away/", {"person": team[0].pk, "kind": "break"})
    assert AwayFromSeat.objects.filter(person=team[0], back_at__isnull=True).exists()

    me = team[1]
    agent = agent_client(center, me)
    went = agent.post("/api/attendance/away", {"kind": "break"}, content_type="application/json")
    assert went.status_code == 201 and went.json()["holds_token"]
    queued = agent_client(center, team[2]).post(
        "/api/attendance/away", {"kind": "break"}, content_type="application/json"
    )
    assert queued.status_code == 202 and queued.json()["queued"]
    seen = agent.get(f"/api/attendance/floor/{center.team_a.pk}").json()
    assert [r["employee_no"] for r in seen["rows"]] == [me.employee_no]  # only their own
    assert seen["free"] == 0 and seen["waiting"] == 0  # the queue's names stay hidden
    back = agent.post(f"/api/attendance/away/{went.json()['id']}/back")
    assert back.status_code == 200 and back.json()["back_at"]
