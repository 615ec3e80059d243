"""Leave endpoints: ask (for oneself, or a team lead for an agent), read who approves
and why, approve or refuse (a request decided meanwhile: 409), withdraw; and the
center's blackout days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from ccops.attendance import floor
from ccops.attendance import leave as service
from ccops.attendance import summary as summaries
from ccops.attendance.models import (
    AttendanceSummary,
    AwayFromSeat,
    BlackoutDay,
    LeaveRequest,
    SummaryLine,
    TokenWait,
)
from ccops.org.access import access, own_organisation_id, require, restrict
from ccops.org.models import Organisation, Person, Team
from ccops.org.roles import Role, role_of

router = Router(tags=["attendance"])


class LeaveIn(Schema):
    person: int | None = None  # default: oneself
    kind: str
    first_day: dt.date
    last_day: dt.date | None = None
    reason: str = ""
    certificate: bool = False
    sudden: bool = False
    late_marriage: bool = False
    difficult_birth: bool = False
    babies: int = 1


class LeaveOut(Schema):
    id: int
    person_id: int
    employee_no: str
    kind: str
    counted_as: str
    first_day: dt.date
    last_day: dt.date
    days: Decimal
    state: str
    revision: int
    approver_level: str
    approver_why: str
    papers_due: dt.date | None
    answer: str

    @staticmethod
    def resolve_employee_no(obj: LeaveRequest) -> str:
        return obj.person.employee_no

    @staticmethod
    def resolve_approver_why(obj: LeaveRequest) -> str:
        said = getattr(obj, "approver_why", None)  # lists say it once per site and vendor
        return said if isinstance(said, str) else service.why_this_approver(obj)


class DecisionIn(Schema):
    revision: int
    answer: str = ""


class BlackoutIn(Schema):
    day: dt.date
    kind: str
    note: str = ""


class BlackoutOut(Schema):
    id: int
    day: dt.date
    kind: str
    site_id: int | None
    note: str


def _leave(request: HttpRequest) -> Any:
    require(request.user, "view_leave")
    return restrict(LeaveRequest.objects.select_related("person"), request.user)


@router.get("/leave", response=list[LeaveOut])
def list_leave(request: HttpRequest, state: str | None = None, waiting: bool = False) -> Any:
    """Leave the caller may see; ``waiting``: only the requests the caller may decide."""
    rows = _leave(request)
    if state:
        rows = rows.filter(state=state)
    if waiting:
        return service.with_approver_why(service.waiting_for(request.user, rows))
    return service.with_approver_why(rows[:500])


@router.post("/leave", response={201: LeaveOut})
def ask_leave(request: HttpRequest, payload: LeaveIn) -> Any:
    require(request.user, "request_leave")
    values = payload.model_dump()
    chosen = values.pop("person")
    if chosen is not None:
        person = access(Person, request.user, chosen)
    else:
        person_id = getattr(getattr(request.user, "profile", None), "person_id", None)
        if person_id is None:
            raise PermissionDenied
        person = Person.objects.get(pk=person_id)
    values["last_day"] = values["last_day"] or values["first_day"]
    return Status(201, service.do_request_leave(person, acting_user=request.user, **values))


@router.get("/leave/{pk}", response=LeaveOut)
def get_leave(request: HttpRequest, pk: int) -> Any:
    return access(_leave(request), request.user, pk)


@router.post("/leave/{pk}/approve", response=LeaveOut)
def approve_leave(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    leave = access(_leave(request), request.user, pk)
    return service.do_decide_leave(
        leave,
        acting_user=request.user,
        approve=True,
        revision=payload.revision,
        answer=payload.answer,
    )


@router.post("/leave/{pk}/refuse", response=LeaveOut)
def refuse_leave(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    leave = access(_leave(request), request.user, pk)
    return service.do_decide_leave(
        leave,
        acting_user=request.user,
        approve=False,
        revision=payload.revision,
        answer=payload.answer,
    )


@router.post("/leave/{pk}/withdraw", response=LeaveOut)
def withdraw_leave(request: HttpRequest, pk: int) -> Any:
    return service.do_withdraw_leave(
        access(_leave(request), request.user, pk), acting_user=request.user
    )


@router.get("/blackout-days", response=list[BlackoutOut])
def list_blackout_days(request: HttpRequest) -> Any:
    require(request.user, "view_leave")
    return list(BlackoutDay.objects.all()[:1000])


@router.post("/blackout-days", response={201: BlackoutOut})
def add_blackout_day(request: HttpRequest, payload: BlackoutIn) -> Any:
    require(request.user, "manage_calendar")
    return Status(201, service.do_add_blackout(acting_user=request.user, **payload.model_dump()))


@router.delete("/blackout-days/{pk}", response={204: None})
def remove_blackout_day(request: HttpRequest, pk: int) -> Any:
    row = access(BlackoutDay, request.user, pk, write="manage_calendar")
    service.do_remove_blackout(row, acting_user=request.user)
    return Status(204, None)


# --- the monthly summary (ATT-12) ------------------------------------------------------


class ComputeIn(Schema):
    month: str  # YYYY-MM
    organisation: int | None = None  # the client's users name the vendor


class FineOut(Schema):
    rule: str
    amount: str
    reason: str
    events: list[str]


class LineOut(Schema):
    id: int
    person_id: int
    employee_no: str
    shifts: int
    late_count: int
    early_count: int
    absent_days: int
    half_day_absences: int
    fine_total: Decimal
    no_bonus: bool
    dismissal: bool
    fines: list[FineOut]
    flagged: list[dict[str, Any]]
    state: str
    dispute: str
    answer: str

    @staticmethod
    def resolve_employee_no(obj: SummaryLine) -> str:
        return obj.person.employee_no


class SummaryOut(Schema):
    id: int
    organisation_id: int
    month: dt.date
    state: str
    revision: int
    due_on: dt.date
    late: bool
    computed_at: dt.datetime | None
    submitted_at: dt.datetime | None
    signed_at: dt.datetime | None
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj: AttendanceSummary) -> list[Any]:
        return list(obj.lines.select_related("person"))


class StepIn(Schema):
    revision: int


class DisputeIn(Schema):
    revision: int
    comment: str


class AnswerIn(Schema):
    answer: str


def _summaries(request: HttpRequest) -> Any:
    require(request.user, "view_attendance")
    return restrict(AttendanceSummary.objects.all(), request.user)


@router.get("/summaries", response=list[SummaryOut])
def list_summaries(request: HttpRequest, month: str | None = None) -> Any:
    rows = _summaries(request).prefetch_related("lines__person")
    if month:
        rows = rows.filter(month=f"{month}-01")
    return list(rows[:100])


@router.post("/summaries", response={201: SummaryOut})
def compute_summary(request: HttpRequest, payload: ComputeIn) -> Any:
    """Compute (again) a month's summary from the published rosters and the clock."""
    require(request.user, "prepare_attendance")
    try:
        month = dt.date.fromisoformat(f"{payload.month}-01")
    except ValueError as exc:
        raise ValidationError({"month": _("Enter the month as YYYY-MM.")}) from exc
    org = access(
        Organisation, request.user, payload.organisation or own_organisation_id(request.user)
    )
    return Status(201, summaries.do_compute_summary(org, month, acting_user=request.user))


@router.get("/summaries/{pk}", response=SummaryOut)
def get_summary(request: HttpRequest, pk: int) -> Any:
    return access(_summaries(request), request.user, pk)


@router.post("/summaries/{pk}/submit", response=SummaryOut)
def submit_summary(request: HttpRequest, pk: int, payload: StepIn) -> Any:
    summary = access(_summaries(request), request.user, pk)
    return summaries.do_submit_summary(summary, acting_user=request.user, revision=payload.revision)


@router.post("/summaries/{pk}/sign", response=SummaryOut)
def sign_summary(request: HttpRequest, pk: int, payload: StepIn) -> Any:
    summary = access(_summaries(request), request.user, pk)
    return summaries.do_sign_summary(summary, acting_user=request.user, revision=payload.revision)


def _line(request: HttpRequest, pk: int) -> SummaryLine:
    require(request.user, "view_attendance")
    rows = restrict(SummaryLine.objects.select_related("summary", "person"), request.user)
    return access(rows, request.user, pk)


@router.post("/lines/{pk}/dispute", response=SummaryOut)
def dispute_line(request: HttpRequest, pk: int, payload: DisputeIn) -> Any:
    return summaries.do_dispute_line(
        _line(request, pk),
        acting_user=request.user,
        revision=payload.revision,
        comment=payload.comment,
    )


@router.post("/lines/{pk}/answer", response=LineOut)
def answer_line(request: HttpRequest, pk: int, payload: AnswerIn) -> Any:
    return summaries.do_answer_line(
        _line(request, pk), acting_user=request.user, answer=payload.answer
    )


# --- breaks on the floor (FLOOR-02, FLOOR-03) -----------------------------------------


class AwayIn(Schema):
    person: int | None = None  # default: oneself
    kind: str = "break"


class AwayOut(Schema):
    id: int
    person_id: int
    team_id: int
    kind: str
    holds_token: bool
    left_at: dt.datetime
    back_at: dt.datetime | None


class QueuedOut(Schema):
    queued: bool = True
    person_id: int
    team_id: int
    asked_at: dt.datetime


class BoardRowOut(Schema):
    person_id: int
    employee_no: str
    shift: str | None
    clocked_in: dt.datetime | None
    late_minutes: int | None
    away_kind: str | None
    away_minutes: int | None
    too_long: bool
    queue_place: int | None


class BoardOut(Schema):
    team_id: int
    tokens: int
    held: int
    free: int
    waiting: int
    max_away_minutes: int
    rows: list[BoardRowOut]


@router.get("/floor/{team}", response=BoardOut)
def floor_board(request: HttpRequest, team: int) -> Any:
    """Today's attendance and break tokens of a team (an agent: their own row)."""
    require(request.user, "view_floor")
    chosen = access(Team, request.user, team)
    board = floor.team_board(chosen)
    if role_of(request.user) == Role.AGENT:
        me = Person.objects.filter(pk=getattr(request.user.profile, "person_id", None)).first()
        board = floor.for_agent(board, me)
    return {
        "team_id": chosen.pk,
        "tokens": board.tokens,
        "held": board.held,
        "free": board.free,
        "waiting": len(board.queue),
        "max_away_minutes": board.max_away,
        "rows": [
            {
                "person_id": row.person.pk,
                "employee_no": row.person.employee_no,
                "shift": row.shift.code if row.shift else None,
                "clocked_in": row.clocked_in,
                "late_minutes": row.late_minutes,
                "away_kind": row.away.kind if row.away else None,
                "away_minutes": row.away_minutes,
                "too_long": row.too_long,
                "queue_place": row.queue_place,
            }
            for row in board.rows
        ],
    }


@router.post("/away", response={201: AwayOut, 202: QueuedOut})
def leave_seat(request: HttpRequest, payload: AwayIn) -> Any:
    """Leave the seat on a free token (201), or join the queue for the next one (202)."""
    require(request.user, "view_floor")
    if payload.person is not None:
        person = access(Person, request.user, payload.person)
    else:
        person_id = getattr(getattr(request.user, "profile", None), "person_id", None)
        if person_id is None:
            raise PermissionDenied
        person = Person.objects.get(pk=person_id)
    result = floor.do_leave_seat(person, acting_user=request.user, kind=payload.kind)
    if isinstance(result, TokenWait):
        return Status(202, result)
    return Status(201, result)


@router.post("/away/{pk}/back", response=AwayOut)
def back_at_seat(request: HttpRequest, pk: int) -> Any:
    require(request.user, "view_floor")
    away = access(AwayFromSeat.objects.select_related("person"), request.user, pk)
    return floor.do_back_at_seat(away, acting_user=request.user)
