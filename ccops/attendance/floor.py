"""Breaks on the floor (FLOOR-02, FLOOR-03) and today's attendance of a team: who is
rostered, who clocked in and how late, who is away and for how long, who holds a break
token and who waits for the next one. Nobody leaves the seat without a token (小休牌);
with none free the agent joins the queue, and the first in the queue goes when a token
comes back. An absence longer than FLOOR-03's minutes is flagged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.attendance.models import AwayFromSeat, TokenWait
from ccops.audit import services as audit
from ccops.intake.models import ClockPunch
from ccops.org.models import Person, Team
from ccops.org.roles import Role, role_of
from ccops.planning.models import Roster, RosterShift
from ccops.policy.services import rule_value


def tokens_of(team: Team) -> int:
    """FLOOR-02: break tokens of the team (as its site and vendor run the rule)."""
    value = rule_value("FLOOR-02", site_id=team.site_id, vendor_id=team.organisation_id)
    return int(value["tokens_per_team"])


def max_away_minutes(team: Team) -> int:
    """FLOOR-03: minutes away from the seat before it is flagged."""
    value = rule_value("FLOOR-03", site_id=team.site_id, vendor_id=team.organisation_id)
    return int(value["max_away_minutes"])


def _may_record_for(user: Any, person: Person) -> bool:
    me = getattr(getattr(user, "profile", None), "person_id", None)
    if me == person.pk:
        return True
    return role_of(user) in {Role.TEAM_LEAD, Role.VENDOR_SUPERVISOR, Role.VENDOR_PM, Role.ADMIN}


def do_leave_seat(person: Person, *, acting_user: Any, kind: str) -> AwayFromSeat | TokenWait:
    """The person leaves their seat on a free token of the team, or joins the queue
    (returned instead) when none is free or others wait first."""
    if not _may_record_for(acting_user, person):
        raise PermissionDenied
    if kind not in AwayFromSeat.Kind.values:
        raise ValidationError({"kind": _("Choose why you leave the seat.")})
    if person.team_id is None:
        raise ValidationError(_("Only an agent of a team takes break tokens."))
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=person.team_id)  # one token at a time
        if AwayFromSeat.objects.filter(person=person, back_at__isnull=True).exists():
            raise ValidationError(_("Already away from the seat."))
        if not _token_free_for(team, person):
            wait, _created = TokenWait.objects.get_or_create(person=person, team=team, done_at=None)
            return wait
        now = timezone.now()
        TokenWait.objects.filter(person=person, done_at__isnull=True).update(done_at=now)
        try:
            away = AwayFromSeat.objects.create(
                person=person,
                team=team,
                kind=kind,
                holds_token=True,
                left_at=now,
                recorded_by=acting_user,
            )
        except IntegrityError as exc:
            raise ValidationError(_("Already away from the seat.")) from exc
        audit.record("attendance.left_seat", away, actor=acting_user, after={"kind": kind})
    return away


def _token_free_for(team: Team, person: Person) -> bool:
    """A token is free and no one queued before the person."""
    held = AwayFromSeat.objects.filter(team=team, back_at__isnull=True, holds_token=True).count()
    free = tokens_of(team) - held
    if free <= 0:
        return False
    ahead = list(
        TokenWait.objects.filter(team=team, done_at__isnull=True).values_list(
            "person_id", flat=True
        )[:free]
    )
    return not ahead or person.pk in ahead or len(ahead) < free


def do_back_at_seat(away: AwayFromSeat, *, acting_user: Any) -> AwayFromSeat:
    """The person is back; their token goes to the first in the queue."""
    if not _may_record_for(acting_user, away.person):
        raise PermissionDenied
    with transaction.atomic():
        moved = AwayFromSeat.objects.filter(pk=away.pk, back_at__isnull=True).update(
            back_at=timezone.now()
        )
        if not moved:
            raise ValidationError(_("Already back at the seat."))
        away.refresh_from_db()
        audit.record("attendance.back_at_seat", away, actor=acting_user)
    return away


@dataclass(frozen=True)
class BoardRow:
    """One agent of the team today."""

    person: Person
    shift: RosterShift | None
    clocked_in: dt.datetime | None
    late_minutes: int | None
    away: AwayFromSeat | None
    away_minutes: int | None
    too_long: bool
    queue_place: int | None


@dataclass(frozen=True)
class Board:
    team: Team
    tokens: int
    held: int
    queue: list[TokenWait]
    rows: list[BoardRow]
    max_away: int

    @property
    def free(self) -> int:
        return max(self.tokens - self.held, 0)


def team_board(team: Team, *, now: dt.datetime | None = None) -> Board:
    """The team's attendance today and its break tokens, as of ``now``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    zone = timezone.get_current_timezone()
    people = list(
        Person.objects.filter(team=team, position=Person.Position.AGENT).order_by("employee_no")
    )
    shifts = {
        s.person_id: s
        for s in RosterShift.objects.filter(
            person__in=people, day=today, roster__state=Roster.State.APPROVED
        ).order_by("roster__number")
    }
    begin = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    first_in: dict[int, dt.datetime] = {}
    for person_id, at in (
        ClockPunch.objects.filter(
            person__in=people,
            direction="in",
            punched_at__gte=begin - dt.timedelta(hours=4),
            punched_at__lt=begin + dt.timedelta(days=1),
        )
        .order_by("punched_at")
        .values_list("person_id", "punched_at")
    ):
        first_in.setdefault(person_id, at)
    away = {a.person_id: a for a in AwayFromSeat.objects.filter(team=team, back_at__isnull=True)}
    queue = list(TokenWait.objects.filter(team=team, done_at__isnull=True).select_related("person"))
    place = {w.person_id: i + 1 for i, w in enumerate(queue)}
    limit = max_away_minutes(team)
    rows = []
    for person in people:
        shift = shifts.get(person.pk)
        clocked = first_in.get(person.pk)
        late = None
        if shift is not None and clocked is not None:
            start = begin + dt.timedelta(minutes=shift.start_minute)
            late = max(int((clocked - start).total_seconds() // 60), 0)
        gone = away.get(person.pk)
        minutes = int((now - gone.left_at).total_seconds() // 60) if gone else None
        rows.append(
            BoardRow(
                person,
                shift,
                clocked,
                late,
                gone,
                minutes,
                minutes is not None and minutes > limit,
                place.get(person.pk),
            )
        )
    held = sum(1 for a in away.values() if a.holds_token)
    return Board(team, tokens_of(team), held, queue, rows, limit)


def for_agent(board: Board, me: Person | None) -> Board:
    """What an agent sees: their own row, the tokens free and the queue's length (the
    others' names stay with the team lead)."""
    mine = [row for row in board.rows if me is not None and row.person.pk == me.pk]
    queue = [w for w in board.queue if me is not None and w.person_id == me.pk]
    return Board(board.team, board.tokens, board.held, queue, mine, board.max_away)
