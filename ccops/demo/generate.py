"""Build a complete, believable demo contact center in an empty database.

One client with an in-house team, two vendors, two sites, four seat types and five
queues; about 350 agents in teams with their leads, supervisors, coaches, QA, back
office, standby and trainers; a login per role; weeks of ACD history and, for the
last days, shifts, clock punches, agent states and call records that agree with it.

The build is deterministic: the same seed and `today` give the same center (random
numbers come from seeded generators only, never the clock or uuid4).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from ccops.attendance.models import (
    AttendanceSummary,
    AwayFromSeat,
    BlackoutDay,
    LeaveRequest,
    SummaryLine,
    TokenWait,
)
from ccops.audit import services as audit
from ccops.demo.accounts import DEMO_USERNAMES, create_logins
from ccops.demo.activity import HistoryWriter
from ccops.demo.attendance import seed_attendance
from ccops.demo.planning import DemoPlanningError, run_planning
from ccops.demo.rostering import ROSTER_SECONDS, DemoRosterError, roster_first_week
from ccops.demo.structure import (
    Structure,
    create_people,
    create_reference_data,
    create_teams,
    physical_seats,
    plan_people,
    plan_teams,
)
from ccops.intake.models import AcdInterval, AgentState, CallRecord, ClockPunch, ImportBatch
from ccops.org.models import Organisation, Person, Profile, Queue, SeatType, Site, Team
from ccops.planning.models import Forecast, PlanningEvent, PublishedDemand, ShiftTemplate
from ccops.planning.services import MIN_HISTORY_DAYS

PEOPLE_STREAM = 0


class DemoError(RuntimeError):
    """The database is not in a state the demo can be built into or removed from."""


@dataclass(frozen=True)
class DemoSummary:
    """What the build created: rows per model and the demo logins.

    ``logins`` holds (username, password, role label, organisation code).
    """

    counts: dict[str, int] = field(default_factory=dict)
    logins: tuple[tuple[str, str, str, str], ...] = ()


def existing_data() -> list[str]:
    """What in the database would clash with a demo build (empty if nothing)."""
    found = []
    if Person.objects.exists():
        found.append("people")
    if Organisation.objects.exists():
        found.append("organisations")
    if get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists():
        found.append("demo users")
    return found


def build_demo_center(
    *,
    seed: int = 7,
    weeks: int = 12,
    detail_days: int = 14,
    today: dt.date | None = None,
    planning: bool = True,
    roster_seconds: int = ROSTER_SECONDS,
) -> DemoSummary:
    """Create the demo center; history ends yesterday (`today` defaults to the local date).

    The ACD history covers `weeks` weeks (or `detail_days`, if longer); the last
    `detail_days` of it also get shifts, clock punches, agent states and call records.
    With `planning` and enough history for a forecast, the demo planner then forecasts,
    publishes and staffs every seat type (see ccops.demo.planning).
    Raises DemoError if the database already holds people or organisations.
    """
    if weeks < 0 or detail_days < 0:
        raise DemoError("weeks and detail days cannot be negative")
    today = today or timezone.localdate()
    with transaction.atomic():
        if clash := existing_data():
            raise DemoError(f"the database already has {', '.join(clash)}")
        structure = build_structure(seed, today)
        logins = create_logins(structure.people, structure.orgs)
        history = write_history(
            structure, seed=seed, today=today, weeks=weeks, detail_days=detail_days
        )
        counts = structure_counts() | history
        counts[get_user_model()._meta.label] = len(logins)
        if planning and max(weeks * 7, detail_days) >= MIN_HISTORY_DAYS:
            planner = get_user_model().objects.get(username="planner")
            try:
                counts |= run_planning(structure, planner, today)
                counts |= roster_first_week(planner, seconds=roster_seconds)
            except (DemoPlanningError, DemoRosterError) as exc:  # the whole build rolls back
                raise DemoError(str(exc)) from exc
        counts |= seed_attendance(today)
        audit.record(
            "demo.build",
            note=f"demo center built: seed={seed}, weeks={weeks}, detail_days={detail_days}, "
            f"today={today.isoformat()}",
        )
    return DemoSummary(counts=counts, logins=tuple(logins))


def build_structure(seed: int, today: dt.date) -> Structure:
    """Organisations, sites, seat types, queues, teams and people."""
    rnd = random.Random(f"{seed}:{PEOPLE_STREAM}")
    teams = plan_teams()
    people = plan_people(rnd, today, teams)
    orgs, sites, seat_types, queues = create_reference_data(physical_seats(people))
    structure = Structure(orgs, sites, seat_types, queues, teams, people)
    create_teams(teams, orgs, sites, queues)
    create_people(rnd, structure)
    return structure


def write_history(
    structure: Structure, *, seed: int, today: dt.date, weeks: int, detail_days: int
) -> dict[str, int]:
    """Simulate the history day by day, oldest first; returns rows written per model."""
    writer = HistoryWriter(structure, seed=seed, today=today)
    days = max(weeks * 7, detail_days)
    for back in range(days, 0, -1):
        writer.write_day(today - dt.timedelta(days=back), detail=back <= detail_days)
    return dict(writer.counts)


def structure_counts() -> dict[str, int]:
    models = (Organisation, Site, SeatType, Queue, Team, Person, Profile)
    return {model._meta.label: model.objects.count() for model in models}


def reset_demo_data() -> dict[str, int]:
    """Delete the demo's kinds of rows, dependants first. Audit rows stay (they must).

    Removes published demand (with its rosters), shift templates, forecasts (with their
    staffing plans), planning events, operational data,
    import batches, profiles and the users that had one
    (or a demo username), people, teams, queues, seat types, sites and organisations.
    Raises DemoError if other data still refers to them.
    """
    user_model = get_user_model()
    deleted: dict[str, int] = {}
    with transaction.atomic():
        users = user_model.objects.filter(profile__isnull=False) | user_model.objects.filter(
            username__in=DEMO_USERNAMES
        )
        user_ids = list(users.values_list("pk", flat=True))
        steps = [
            SummaryLine.objects.all(),
            AttendanceSummary.objects.all(),
            LeaveRequest.objects.all(),
            AwayFromSeat.objects.all(),
            TokenWait.objects.all(),
            BlackoutDay.objects.all(),
            PublishedDemand.objects.all(),  # with its runs and rosters
            ShiftTemplate.objects.all(),
            Forecast.objects.all(),
            PlanningEvent.objects.all(),
            CallRecord.objects.all(),
            AgentState.objects.all(),
            ClockPunch.objects.all(),
            AcdInterval.objects.all(),
            ImportBatch.objects.all(),
            Profile.objects.all(),
            user_model.objects.filter(pk__in=user_ids),
            Team.objects.all(),
            Person.objects.all(),
            Queue.objects.all(),
            SeatType.objects.all(),
            Site.objects.filter(parent__isnull=False),
            Site.objects.all(),
            Organisation.objects.all(),
        ]
        for queryset in steps:
            try:
                _, per_model = queryset.delete()
            except ProtectedError as exc:
                raise DemoError(f"cannot reset: other data still refers to {exc}") from exc
            for label, count in per_model.items():
                deleted[label] = deleted.get(label, 0) + count
    return deleted
