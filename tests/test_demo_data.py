"""The demo center: deterministic, shaped by the organisation rules, and self-consistent.

One small center (a week of ACD history, two days of agent detail on ordinary
weekdays) is built once for the module and removed afterwards; each test reads it
inside its own rolled-back transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Sum
from django.test import override_settings

from ccops.core import identity
from ccops.core.ruleset import DEFAULTS
from ccops.demo import traffic
from ccops.demo.accounts import DEMO_PASSWORD
from ccops.demo.generate import DemoError, DemoSummary, build_demo_center, reset_demo_data
from ccops.intake.models import AcdInterval, AgentState, CallRecord, ClockPunch
from ccops.org.models import Organisation, Person, Profile, SeatType, Team
from ccops.org.roles import CLIENT_ROLES, Role
from tests.demo_center import FAST_HASHER, demo_center

TODAY = dt.date(2026, 11, 18)  # a Wednesday: the detail days are Monday and Tuesday
BUILD = {"seed": 11, "weeks": 1, "detail_days": 2, "today": TODAY}
BANK_CSV = Path("/work/shared/data/anonymous_bank_1999_6min.csv")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with demo_center(django_db_blocker, **BUILD) as summary:
        yield summary


def snapshot() -> dict[str, Any]:
    """What must not change between two builds with the same seed (primary keys may)."""
    people = Person.objects.order_by("employee_no").values_list(
        "employee_no",
        "name",
        "phone",
        "national_id",
        "education",
        "hire_date",
        "status",
        "position",
        "team__code",
        "shift_class",
        "acd_account",
        "organisation__code",
    )
    skills = Person.skills.through.objects.values_list(
        "person__employee_no", "seattype__code"
    ).order_by("person__employee_no", "seattype__code")
    acd = (
        AcdInterval.objects.values("queue__code")
        .order_by("queue__code")
        .annotate(
            offered=Sum("offered"),
            answered=Sum("answered"),
            talk=Sum("talk_seconds"),
            acw=Sum("acw_seconds"),
            rows=Count("id"),
        )
    )
    return {
        "people": list(people),
        "skills": list(skills),
        "acd": list(acd),
        "calls": CallRecord.objects.aggregate(n=Count("id"), talk=Sum("talk_seconds")),
        "states": sorted(Counter(AgentState.objects.values_list("state", flat=True)).items()),
        "punches": ClockPunch.objects.count(),
        "logins": sorted(Profile.objects.values_list("user__username", "role", "person__name")),
    }


def test_same_seed_builds_the_same_center(demo: DemoSummary) -> None:
    first = snapshot()
    reset_demo_data()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        again = build_demo_center(**BUILD)
    assert snapshot() == first
    assert again == demo


def test_a_second_build_is_refused_without_reset(demo: DemoSummary) -> None:
    with pytest.raises(DemoError):
        build_demo_center(**BUILD)
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo_data", "--weeks", "1", "--detail-days", "1")


@pytest.mark.rule("ORG-01")
def test_teams_have_a_lead_and_about_twenty_agents(demo: DemoSummary) -> None:
    """ORG-01: one team lead per twenty agents."""
    span = DEFAULTS["ORG-01"]["agents_per_team_lead"]
    assert Team.objects.count() == round(350 / span)
    for team in Team.objects.select_related("lead"):
        members = team.members.exclude(status=Person.Status.LEFT)
        agents = members.filter(position=Person.Position.AGENT).count()
        assert abs(agents - span) <= 2, team.code
        assert team.lead is not None and team.lead.team_id == team.pk
        assert team.lead.position == Person.Position.TEAM_LEAD
        assert team.lead.organisation_id == team.organisation_id


@pytest.mark.rule("ORG-02", "ORG-03", "ORG-05", "ORG-06", "ORG-07")
def test_head_counts_follow_the_organisation_ratios(demo: DemoSummary) -> None:
    """ORG-02 supervisors, ORG-03 coaches, ORG-05 QA, ORG-06 back office, ORG-07 standby,
    trainers 2-3 per vendor."""
    on_file = Person.objects.exclude(status=Person.Status.LEFT)
    agents = on_file.filter(position=Person.Position.AGENT, team__isnull=False)
    client = Organisation.objects.get(code="CLIENT")
    coaches = on_file.filter(position=Person.Position.COACH, organisation=client).count()
    assert coaches == math.ceil(agents.count() / DEFAULTS["ORG-03"]["agents_per_coach"])
    qa = on_file.filter(position=Person.Position.QA_INSPECTOR, organisation=client).count()
    assert qa == math.ceil(agents.count() / DEFAULTS["ORG-05"]["agents_per_qa_inspector"])
    for org in Organisation.objects.exclude(teams=None).distinct():
        mine = on_file.filter(organisation=org)
        front = agents.filter(organisation=org).count()
        back = mine.filter(position=Person.Position.BACK_OFFICE).count()
        assert back == math.ceil(front / DEFAULTS["ORG-06"]["front_line_per_back_office"])
        standby = mine.filter(position=Person.Position.AGENT, team__isnull=True).count()
        assert abs(standby / front - DEFAULTS["ORG-07"]["standby_share"]) < 0.02
        if org.kind == Organisation.Kind.VENDOR:
            supervisors = mine.filter(position=Person.Position.SUPERVISOR).count()
            rule = DEFAULTS["ORG-02"]
            expected = max(
                rule["min_supervisors_at_start"],
                math.ceil(org.teams.count() / rule["teams_per_supervisor"]),
            )
            assert supervisors == expected
            assert 2 <= mine.filter(position=Person.Position.TRAINER).count() <= 3
    assert 330 <= agents.count() <= 370


def test_people_have_valid_unique_identifiers(demo: DemoSummary) -> None:
    rows = list(
        Person.objects.values_list(
            "employee_no", "national_id", "phone", "acd_account", "hire_date", "name"
        )
    )
    for employee_no, national_id, phone, _, hire_date, name in rows:
        assert identity.normalise_national_id(national_id) == national_id
        birth = dt.date(int(national_id[6:10]), int(national_id[10:12]), int(national_id[12:14]))
        assert dt.date(1985, 1, 1) <= birth <= dt.date(2004, 12, 31), employee_no
        assert (hire_date - birth).days >= 18 * 365
        assert len(phone) == 11 and identity.normalise_phone(phone) == phone
        assert 2 <= len(name) <= 3
        assert TODAY - dt.timedelta(days=3 * 366) <= hire_date <= TODAY
    for column in range(4):
        values = [row[column] for row in rows if row[column]]
        assert len(values) == len(set(values))


@pytest.mark.rule("ORG-08", "PEOPLE-07")
def test_skills_match_the_team_queue(demo: DemoSummary) -> None:
    """PEOPLE-07: seat types carry the skill bars; agents hold their team's seat type."""
    bars = DEFAULTS["PEOPLE-07"]
    gen = SeatType.objects.get(code="GEN")
    assert (gen.min_knowledge_score, gen.min_typing_cpm, gen.max_lookup_seconds) == (
        bars["general"]["knowledge"],
        bars["general"]["typing_cpm"],
        bars["general"]["lookup_seconds"],
    )
    seat_of_person = {
        (person_id, seat_id)
        for person_id, seat_id in Person.skills.through.objects.values_list(
            "person_id", "seattype_id"
        )
    }
    for person_id, seat_id in (
        CallRecord.objects.filter(person__isnull=False)
        .values_list("person_id", "queue__seat_type_id")
        .distinct()
    ):
        assert (person_id, seat_id) in seat_of_person


def test_every_role_has_a_login(demo: DemoSummary) -> None:
    user_model = get_user_model()
    profiles = Profile.objects.select_related("user", "organisation", "person")
    assert {p.role for p in profiles} == set(Role.values)
    for profile in profiles:
        expected = (
            "CLIENT"
            if profile.role in CLIENT_ROLES
            else ("VB" if profile.user.username.startswith("vb_") else "VA")
        )
        assert profile.organisation.code == expected
        if profile.person:
            assert profile.person.organisation_id == profile.organisation_id
        assert profile.user.check_password(DEMO_PASSWORD)
    assert list(
        user_model.objects.filter(is_superuser=True).values_list("username", flat=True)
    ) == ["admin"]
    agent = Profile.objects.get(user__username="va_agent").person
    lead = Profile.objects.get(user__username="va_lead").person
    assert agent.team_id == lead.team_id and AgentState.objects.filter(person=agent).exists()
    assert {row[0] for row in demo.logins} >= {"admin", "vb_pm", "vb_agent"}


def test_acd_ledger_is_consistent(demo: DemoSummary) -> None:
    zone = ZoneInfo(settings.TIME_ZONE)
    days = {TODAY - dt.timedelta(days=n) for n in range(1, 8)}
    for row in AcdInterval.objects.all():
        assert row.answered + row.abandoned <= row.offered
        assert row.answered_in_threshold <= row.answered
        assert row.abandoned_in_threshold <= row.abandoned
        local = row.interval_start.astimezone(zone)
        assert local.minute in (0, 30) and local.date() in days and 8 <= local.hour < 21
        assert row.interval_minutes == 30
    totals = AcdInterval.objects.values_list("queue__code").annotate(
        answered=Sum("answered"),
        handled=Sum(F("talk_seconds") + F("hold_seconds") + F("acw_seconds")),
    )
    for queue, answered, handled in totals:
        assert 240 <= handled / answered <= 440, queue


def test_detail_days_agree_with_the_acd_statistics(demo: DemoSummary) -> None:
    detail = CallRecord.objects.values_list("queue__code").annotate(
        offered=Count("id"),
        answered=Count("answered_at"),
    )
    start = dt.datetime.combine(
        TODAY - dt.timedelta(days=2), dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    recent = AcdInterval.objects.filter(interval_start__gte=start).values_list("queue__code")
    acd = {
        code: (offered, answered)
        for code, offered, answered in recent.annotate(Sum("offered"), Sum("answered"))
    }
    assert {code: (o, a) for code, o, a in detail} == acd


def test_each_on_call_state_has_its_call_record(demo: DemoSummary) -> None:
    calls = {
        (c.person_id, c.answered_at): c for c in CallRecord.objects.filter(person__isnull=False)
    }
    on_call = AgentState.objects.filter(state=AgentState.State.ON_CALL)
    assert on_call.count() == len(calls)
    for state in on_call:
        call = calls[state.person_id, state.started_at]
        assert call.ended_at == state.ended_at
        assert (call.ended_at - call.answered_at).total_seconds() == (
            call.talk_seconds + call.hold_seconds
        )
        assert call.arrived_at <= call.answered_at <= call.ended_at
    acw = AgentState.objects.filter(state=AgentState.State.ACW)
    acw_by_start = {(s.person_id, s.started_at): s for s in acw}
    for call in calls.values():
        wrap_up = acw_by_start[call.person_id, call.ended_at]
        assert (wrap_up.ended_at - wrap_up.started_at).total_seconds() == call.acw_seconds
    assert CallRecord.objects.filter(transferred=True).exists()
    ids = list(CallRecord.objects.values_list("call_id", "leg"))
    assert len(ids) == len(set(ids))


def test_states_tile_each_agent_day(demo: DemoSummary) -> None:
    days: dict[tuple[int, dt.date], list[AgentState]] = defaultdict(list)
    zone = ZoneInfo(settings.TIME_ZONE)
    for state in AgentState.objects.order_by("person_id", "started_at"):
        days[state.person_id, state.started_at.astimezone(zone).date()].append(state)
    reasons = Counter()
    for states in days.values():
        assert states[0].state == AgentState.State.LOGGED_IN
        assert states[-1].state == AgentState.State.LOGGED_OUT and states[-1].ended_at is None
        for before, after in zip(states, states[1:], strict=False):
            assert before.ended_at == after.started_at > before.started_at
        reasons.update(s.reason for s in states if s.state == AgentState.State.NOT_READY)
    assert {"小休", "用餐", "班前会"} <= set(reasons)


def test_clock_punches_pair_around_the_logins(demo: DemoSummary) -> None:
    zone = ZoneInfo(settings.TIME_ZONE)
    punches: dict[tuple[int, dt.date], dict[str, list[dt.datetime]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for punch in ClockPunch.objects.all():
        punches[punch.person_id, punch.punched_at.astimezone(zone).date()][punch.direction].append(
            punch.punched_at
        )
    logins = {
        (s.person_id, s.started_at.astimezone(zone).date()): s.started_at
        for s in AgentState.objects.filter(state=AgentState.State.LOGGED_IN)
    }
    logouts = {
        (s.person_id, s.started_at.astimezone(zone).date()): s.started_at
        for s in AgentState.objects.filter(state=AgentState.State.LOGGED_OUT)
    }
    assert set(punches) <= set(logins)
    complete = 0
    for key, by_direction in punches.items():
        assert all(len(times) == 1 for times in by_direction.values())
        if ins := by_direction.get("in"):
            assert ins[0] < logins[key]
        if outs := by_direction.get("out"):
            assert outs[0] > logouts[key]
        complete += len(by_direction) == 2
    assert complete / len(logins) > 0.95


def test_records_carry_their_persons_organisation(demo: DemoSummary) -> None:
    client = Organisation.objects.get(code="CLIENT")
    for model in (CallRecord, AgentState, ClockPunch):
        rows = model.objects.filter(person__isnull=False)
        assert not rows.exclude(organisation_id=F("person__organisation_id")).exists()
        assert not rows.filter(batch__isnull=False).exists()
    abandoned = CallRecord.objects.filter(answered_at__isnull=True)
    assert abandoned.exists() and not abandoned.exclude(organisation=client).exists()
    assert not abandoned.filter(person__isnull=False).exists()
    assert {o.code for o in Organisation.objects.filter(callrecord__isnull=False)} == {
        "CLIENT",
        "VA",
        "VB",
    }


@pytest.mark.skipif(not BANK_CSV.exists(), reason="the raw bank log is not here")
def test_shipped_profile_is_the_bank_log_averaged() -> None:
    np.testing.assert_allclose(
        traffic.read_profile(), traffic.aggregate_bank_csv(BANK_CSV), atol=1e-3
    )


@pytest.mark.parametrize(
    ("kind", "sample"),
    [
        ("people", "people.csv"),
        ("acd", "acd_intervals.csv"),
        ("cdr", "call_records.csv"),
        ("states", "agent_states.csv"),
        ("clock", "clock_records.csv"),
    ],
)
def test_documented_samples_import_into_the_demo_center(
    demo: DemoSummary, kind: str, sample: str
) -> None:
    """The files in docs/samples are what a newcomer uploads first: they must import."""
    from typer.testing import CliRunner

    from ccops.cli import app

    path = Path(__file__).resolve().parent.parent / "docs" / "samples" / sample
    result = CliRunner().invoke(app, ["import", kind, str(path), "--json"])
    assert result.exit_code == 0, result.output
    ledger = json.loads(result.stdout.strip().splitlines()[-1])
    assert ledger["status"] == "succeeded" and ledger["rejected"] == 0
    assert ledger["rows_read"] == ledger["inserted"] + ledger["updated"] + ledger["unchanged"]


def test_every_team_answers_a_queue_its_agents_are_skilled_for(demo: DemoSummary) -> None:
    for team in Team.objects.select_related("queue"):
        assert team.queue is not None, team.code
        agents = Person.objects.filter(team=team, position=Person.Position.AGENT)
        assert all(team.queue.seat_type_id in {s.pk for s in a.skills.all()} for a in agents)


@pytest.mark.rule("ATT-05")
def test_the_demo_has_blackout_days_and_leave(demo: DemoSummary) -> None:
    from ccops.attendance.models import BlackoutDay, LeaveRequest

    kinds = set(BlackoutDay.objects.values_list("kind", flat=True))
    assert kinds == {"billing_day", "bill_run_day"}
    states = sorted(LeaveRequest.objects.values_list("state", flat=True))
    assert states == ["approved", "requested"]
    assert not LeaveRequest.objects.filter(first_day__in=BlackoutDay.objects.values("day"))
