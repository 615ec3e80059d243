"""The monthly attendance summary (ATT-12, ATT-01): the vendor computes it from the
published roster and the clock, with every fine's rule and events (ATT-08..10);
submits it; the client disputes a line, the vendor answers, the client signs; signed,
it no longer changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccops.attendance import summary as summaries
from ccops.attendance.models import AttendanceSummary
from ccops.common.actions import Conflict
from ccops.intake.models import AgentState, ClockPunch
from ccops.planning import rostering
from tests.planning.test_rosters import generate, publish_week

pytestmark = pytest.mark.django_db(transaction=True)
DECEMBER = dt.date(2026, 12, 1)


@pytest.fixture
def month(center: Any) -> dict[str, Any]:
    return worked_month(center)


def worked_month(center: Any) -> dict[str, Any]:
    """A published week; everyone punches on time, except agent A: 7 minutes late on
    their first day and absent on their second."""
    week = publish_week(center)
    roster = generate(center, week["mine"]).roster
    pm, planner = center.user("vendor_pm"), center.user("planner")
    roster = rostering.do_submit_roster(roster, acting_user=pm, revision=roster.revision)
    rostering.do_approve_roster(roster, acting_user=planner, revision=roster.revision)
    zone = timezone.get_current_timezone()
    mine = list(roster.shifts.filter(person=center.agent_a).order_by("day"))
    late_day, absent_day = mine[0].day, mine[1].day
    punches = []
    for shift in roster.shifts.select_related("person"):
        if shift.person == center.agent_a and shift.day == absent_day:
            continue
        start = dt.datetime.combine(shift.day, dt.time(), tzinfo=zone) + dt.timedelta(
            minutes=shift.start_minute
        )
        late = 7 if shift.person == center.agent_a and shift.day == late_day else -3
        punches += [
            ClockPunch(
                organisation_id=shift.person.organisation_id,
                person=shift.person,
                punched_at=start + dt.timedelta(minutes=late),
                direction="in",
            ),
            ClockPunch(
                organisation_id=shift.person.organisation_id,
                person=shift.person,
                punched_at=start + dt.timedelta(minutes=shift.minutes + 2),
                direction="out",
            ),
        ]
    ClockPunch.objects.bulk_create(punches)
    # The phones say agent A worked the day the clock says they were absent.
    absent = roster.shifts.get(person=center.agent_a, day=absent_day)
    begin = dt.datetime.combine(absent_day, dt.time(), tzinfo=zone) + dt.timedelta(
        minutes=absent.start_minute
    )
    AgentState.objects.create(
        organisation=center.vendor_a,
        person=center.agent_a,
        state="ready",
        started_at=begin,
        ended_at=begin + dt.timedelta(minutes=absent.minutes),
    )
    return {"late_day": late_day, "absent_day": absent_day, "roster": roster}


@pytest.mark.rule("ATT-12")
@pytest.mark.rule("ATT-08")
@pytest.mark.rule("ATT-10")
def test_the_month_is_computed_with_each_fine_and_its_reason(center, month):
    summary = summaries.do_compute_summary(
        center.vendor_a, DECEMBER, acting_user=center.user("vendor_pm")
    )
    assert summary.state == "draft" and summary.due_on == dt.date(2027, 1, 21)
    line = summary.lines.get(person=center.agent_a)
    assert (line.late_count, line.absent_days, line.shifts) == (1, 1, 5)
    assert line.fine_total == Decimal("55.00") and line.no_bonus and not line.dismissal
    rules = sorted((f["rule"], f["amount"]) for f in line.fines)
    assert rules == [("ATT-08", "5.00"), ("ATT-10", "50.00")]
    events = " ".join(e for f in line.fines for e in f["events"])
    assert f"{month['late_day']} late 7 min" in events and f"{month['absent_day']} absent" in events
    kinds = {(d["kind"], d["rule"], d["day"]) for d in line.discrepancies}
    assert ("absent_but_logged_in", "ATT-01", str(month["absent_day"])) in kinds
    assert 0 < line.adherence < 1 / 3  # one day of five on the phones, less its breaks
    others = summary.lines.exclude(person=center.agent_a)
    assert others.exists() and all(o.fine_total == 0 for o in others)
    again = summaries.do_compute_summary(
        center.vendor_a, DECEMBER, acting_user=center.user("vendor_pm")
    )
    assert again.pk == summary.pk and again.lines.count() == summary.lines.count()


@pytest.mark.rule("ATT-01")
@pytest.mark.rule("ATT-12")
def test_submit_dispute_answer_and_sign(center, month):
    pm, supervisor = center.user("vendor_pm"), center.user("site_supervisor")
    summary = summaries.do_compute_summary(center.vendor_a, DECEMBER, acting_user=pm)
    summary = summaries.do_submit_summary(summary, acting_user=pm, revision=summary.revision)
    assert summary.state == "submitted" and not summary.late
    line = summary.lines.get(person=center.agent_a)
    summary = summaries.do_dispute_line(
        line, acting_user=supervisor, revision=summary.revision, comment="was at training"
    )
    assert summary.state == "disputed"
    with pytest.raises(Conflict):  # a stale revision
        summaries.do_dispute_line(line, acting_user=supervisor, revision=1, comment="again")
    line.refresh_from_db()
    with pytest.raises(ValidationError, match="waits for the vendor"):
        summaries.do_sign_summary(summary, acting_user=supervisor, revision=summary.revision)
    summaries.do_answer_line(line, acting_user=pm, answer="no training on that day")
    summary = summaries.do_compute_summary(center.vendor_a, DECEMBER, acting_user=pm)
    kept = summary.lines.get(person=center.agent_a)
    assert (kept.state, kept.dispute) == ("answered", "was at training")  # survives a recompute
    summary = summaries.do_submit_summary(summary, acting_user=pm, revision=summary.revision)
    summary = summaries.do_sign_summary(summary, acting_user=supervisor, revision=summary.revision)
    assert summary.state == "signed" and summary.signed_by == supervisor
    with pytest.raises(ValidationError, match="not computed again"):
        summaries.do_compute_summary(center.vendor_a, DECEMBER, acting_user=pm)


def test_the_pages_and_the_api(center, month):
    pm = center.client_for(center.user("vendor_pm"))
    listed = pm.get("/attendance/months/").content.decode()
    assert 'data-testid="compute-form"' in listed
    done = pm.post("/attendance/months/", {"month": "2026-12"})
    assert done.status_code == 302
    summary = AttendanceSummary.objects.get()
    page = pm.get(f"/attendance/months/{summary.pk}/").content.decode()
    assert 'data-testid="summary-lines"' in page and "ATT-10" in page
    assert 'data-testid="discrepancies"' in page and "ATT-01" in page
    book = pm.get(f"/attendance/months/{summary.pk}/?export=xlsx")
    assert book.status_code == 200 and "spreadsheetml" in book["Content-Type"]

    api = center.client_for(center.user("performance_officer"))
    got = api.get(f"/api/attendance/summaries/{summary.pk}").json()
    mine = next(line for line in got["lines"] if line["employee_no"] == center.agent_a.employee_no)
    assert mine["fine_total"] == "55.00" and {f["rule"] for f in mine["fines"]} == {
        "ATT-08",
        "ATT-10",
    }
    submitted = api.post(
        f"/api/attendance/summaries/{summary.pk}/submit",
        {"revision": got["revision"]},
        content_type="application/json",
    )
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    stale = api.post(
        f"/api/attendance/summaries/{summary.pk}/submit",
        {"revision": got["revision"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    client = center.client_for(center.user("site_supervisor"))
    disputed = client.post(
        f"/api/attendance/lines/{mine['id']}/dispute",
        {"revision": submitted.json()["revision"], "comment": "check the 8th"},
        content_type="application/json",
    )
    assert disputed.status_code == 200 and disputed.json()["state"] == "disputed"
    refused = api.post(
        f"/api/attendance/lines/{mine['id']}/dispute",
        {"revision": disputed.json()["revision"], "comment": "vendor cannot dispute"},
        content_type="application/json",
    )
    assert refused.status_code == 403
