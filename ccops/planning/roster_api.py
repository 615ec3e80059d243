"""Roster endpoints: shift templates, published demand, generation runs (progress and
cancel), rosters with their shifts, coverage and rule check, and the review steps."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ccops.common.actions import do_create
from ccops.org.access import access, require, restrict
from ccops.org.models import Person
from ccops.org.roles import Role, organisation_id_of, role_of
from ccops.planning import overtime, roster_edits, rostering, swaps
from ccops.planning.models import (
    OvertimeOffer,
    OvertimeTake,
    PublishedDemand,
    Roster,
    RosterRun,
    ShiftSwap,
    ShiftTemplate,
    StaffingPlan,
)

router = Router(tags=["rosters"])


class TemplateIn(Schema):
    code: str
    start: dt.time
    minutes: int
    night: bool = False
    site: int | None = None
    seat_types: list[int] = []


class TemplateOut(Schema):
    id: int
    code: str
    start: dt.time
    minutes: int
    night: bool
    site_id: int | None
    active: bool


class PublishIn(Schema):
    week_start: dt.date


class DemandOut(Schema):
    id: int
    organisation_id: int
    seat_type_id: int
    site_id: int | None
    week_start: dt.date
    interval_minutes: int
    required: list[int]
    agent_hours: float
    published_at: dt.datetime


class RunIn(Schema):
    time_limit: int = 60
    days_per_week: int | None = None
    max_consecutive: int | None = None
    rest_minutes: int | None = None
    under_weight: int | None = None
    over_weight: int | None = None
    lunch_minutes: int | None = None
    also_covers: list[int] = []  # demand of other seat types the same agents answer
    based_on: int | None = None  # a roster of the demand to change as little as possible
    change_weight: int | None = None  # per person-day changed (default 5 with based_on)


class RunOut(Schema):
    id: int
    demand_id: int
    also_covers: list[int]
    based_on_id: int | None
    state: str
    progress: int
    best: float | None
    bound: float | None
    gap: float | None
    engine: str
    time_limit: int
    options: dict[str, int]
    roster_id: int | None
    error: str
    conflicts: list[str]
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_also_covers(obj: RosterRun) -> list[int]:
        return sorted(obj.also_covers.values_list("pk", flat=True))

    @staticmethod
    def resolve_conflicts(obj: RosterRun) -> list[str]:
        return obj.conflict_lines


class NoteOut(Schema):
    action: str
    comment: str
    at: dt.datetime


class RosterOut(Schema):
    id: int
    demand_id: int
    also_covers: list[int]
    number: int
    state: str
    revision: int
    source: str
    objective: float | None
    lower_bound: float | None
    based_on_id: int | None
    created_at: dt.datetime
    notes: list[NoteOut]

    @staticmethod
    def resolve_notes(obj: Roster) -> list[Any]:
        return list(obj.notes.all())

    @staticmethod
    def resolve_also_covers(obj: Roster) -> list[int]:
        return sorted(obj.also_covers.values_list("pk", flat=True))


class ShiftOut(Schema):
    person_id: int
    employee_no: str
    day: dt.date
    code: str
    start_minute: int
    minutes: int
    breaks: list[int]
    lunch: int | None
    lunch_minutes: int

    @staticmethod
    def resolve_employee_no(obj: Any) -> str:
        return str(obj.person.employee_no)


class CoverageOut(Schema):
    start: dt.datetime
    required: int
    on_duty: int
    overtime: int
    under: int
    over: int


class BreachOut(Schema):
    rule: str
    employee: str
    day: int | None
    words: str


class ReviewIn(Schema):
    revision: int
    comment: str = ""


def _demand(request: HttpRequest) -> Any:
    require(request.user, "view_rosters")
    return restrict(PublishedDemand.objects.all(), request.user)


def _rosters(request: HttpRequest) -> Any:
    require(request.user, "view_rosters")
    return restrict(Roster.objects.all(), request.user)


def _runs(request: HttpRequest) -> Any:
    require(request.user, "view_rosters")
    return restrict(RosterRun.objects.all(), request.user)


@router.get("/shift-templates", response=list[TemplateOut])
def list_shift_templates(request: HttpRequest) -> Any:
    require(request.user, "view_rosters")
    return list(ShiftTemplate.objects.all())


@router.post("/shift-templates", response={201: TemplateOut})
def create_shift_template(request: HttpRequest, payload: TemplateIn) -> Any:
    require(request.user, "plan")
    values = payload.model_dump(exclude={"seat_types", "site"})
    template = ShiftTemplate(site_id=payload.site, **values)
    do_create(template, acting_user=request.user, m2m={"seat_types": payload.seat_types})
    return Status(201, template)


@router.post("/staffing/{pk}/demand", response={201: list[DemandOut]})
def publish_demand(request: HttpRequest, pk: int, payload: PublishIn) -> Any:
    """Publish each vendor's share of the plan's agents per interval for the week."""
    require(request.user, "view_planning")
    plan = access(
        restrict(StaffingPlan.objects.all(), request.user), request.user, pk, write="plan"
    )
    return Status(
        201, rostering.do_publish_demand(plan, payload.week_start, acting_user=request.user)
    )


@router.get("/demand", response=list[DemandOut])
def list_demand(request: HttpRequest, week_start: dt.date | None = None) -> Any:
    qs = _demand(request)
    if week_start:
        qs = qs.filter(week_start=week_start)
    return list(qs[:500])


@router.get("/demand/{pk}", response=DemandOut)
def get_demand(request: HttpRequest, pk: int) -> Any:
    return access(_demand(request), request.user, pk)


@router.post("/demand/{pk}/runs", response={202: RunOut})
def request_roster(request: HttpRequest, pk: int, payload: RunIn) -> Any:
    """Queue a roster run; poll it for progress until it has ended."""
    demand = access(_demand(request), request.user, pk, write="build_roster")
    values = payload.model_dump()
    also = [access(_demand(request), request.user, other) for other in values.pop("also_covers")]
    base = values.pop("based_on")
    based_on = access(_rosters(request), request.user, base) if base is not None else None
    run = rostering.do_request_roster(
        demand, acting_user=request.user, also_covers=also, based_on=based_on, **values
    )
    rostering.enqueue_roster(run)
    return Status(202, run)


@router.get("/runs/{pk}", response=RunOut)
def get_run(request: HttpRequest, pk: int) -> Any:
    return access(_runs(request), request.user, pk)


@router.post("/runs/{pk}/cancel", response=RunOut)
def cancel_run(request: HttpRequest, pk: int) -> Any:
    run = access(_runs(request), request.user, pk, write="build_roster")
    return rostering.do_cancel_run(run, acting_user=request.user)


@router.get("/rosters", response=list[RosterOut])
def list_rosters(request: HttpRequest, demand: int | None = None) -> Any:
    qs = _rosters(request).prefetch_related("notes")
    if demand is not None:  # its own rosters and the multi-skill ones that answer it too
        qs = qs.filter(Q(demand_id=demand) | Q(also_covers=demand)).distinct()
    return list(qs[:500])


@router.get("/rosters/{pk}", response=RosterOut)
def get_roster(request: HttpRequest, pk: int) -> Any:
    return access(_rosters(request), request.user, pk)


@router.get("/rosters/{pk}/shifts", response=list[ShiftOut])
def roster_shifts(request: HttpRequest, pk: int) -> Any:
    roster = access(_rosters(request), request.user, pk)
    return list(roster.shifts.select_related("person"))


@router.get("/rosters/{pk}/coverage", response=list[CoverageOut])
def roster_coverage(request: HttpRequest, pk: int, demand: int | None = None) -> Any:
    """Agents on the phones against demand per interval (under and over); ``demand``
    picks one of the seat types a multi-skill roster answers (its first by default)."""
    roster = access(_rosters(request), request.user, pk)
    answered = {d.pk: d for d in rostering.demands_of(roster)}
    if demand is not None and demand not in answered:
        raise Http404
    return rostering.coverage(roster, answered.get(demand or roster.demand_id))


@router.get("/rosters/{pk}/breaches", response=list[BreachOut])
def roster_breaches(request: HttpRequest, pk: int) -> Any:
    """The hard rules the roster breaks, by person and day (none for a generated one)."""
    return rostering.roster_breaches(access(_rosters(request), request.user, pk))


@router.post("/rosters/{pk}/submit", response=RosterOut)
def submit_roster(request: HttpRequest, pk: int, payload: ReviewIn) -> Any:
    roster = access(_rosters(request), request.user, pk, write="build_roster")
    return rostering.do_submit_roster(roster, acting_user=request.user, **payload.model_dump())


@router.post("/rosters/{pk}/approve", response=RosterOut)
def approve_roster(request: HttpRequest, pk: int, payload: ReviewIn) -> Any:
    roster = access(_rosters(request), request.user, pk, write="review_roster")
    return rostering.do_approve_roster(roster, acting_user=request.user, **payload.model_dump())


@router.post("/rosters/{pk}/return", response=RosterOut)
def return_roster(request: HttpRequest, pk: int, payload: ReviewIn) -> Any:
    roster = access(_rosters(request), request.user, pk, write="review_roster")
    return rostering.do_return_roster(roster, acting_user=request.user, **payload.model_dump())


class EditIn(Schema):
    revision: int
    person: int
    day: dt.date
    shift: str | None = None


class EditOut(Schema):
    revision: int
    breaches: list[BreachOut]


class ChangeOut(Schema):
    employee: str
    day: dt.date
    before: str | None
    after: str | None


@router.post("/rosters/{pk}/shifts", response=EditOut)
def edit_roster_shift(request: HttpRequest, pk: int, payload: EditIn) -> Any:
    """Put a person on a shift for a day (`shift` null: off); answers the roster's new
    revision and the hard rules that person's week now breaks."""
    roster = access(_rosters(request), request.user, pk, write="build_roster")
    person = access(restrict(Person.objects.all(), request.user), request.user, payload.person)
    broken = roster_edits.do_edit_shift(
        roster,
        acting_user=request.user,
        revision=payload.revision,
        person=person,
        day=payload.day,
        shift=payload.shift,
    )
    return {"revision": roster.revision, "breaches": broken}


@router.post("/rosters/{pk}/revise", response={201: RosterOut})
def revise_roster(request: HttpRequest, pk: int) -> Any:
    """A new draft version with the same shifts, to change a submitted or published one."""
    roster = access(_rosters(request), request.user, pk, write="build_roster")
    return Status(201, roster_edits.do_revise_roster(roster, acting_user=request.user))


@router.get("/rosters/{pk}/changes", response=list[ChangeOut])
def roster_changes(request: HttpRequest, pk: int) -> Any:
    """What this version changed from the one it was made from (empty for a first)."""
    roster = access(_rosters(request), request.user, pk)
    if roster.based_on is None:
        return []
    return [
        {
            "employee": c["person"].employee_no,
            "day": c["day"],
            "before": c["before"],
            "after": c["after"],
        }
        for c in roster_edits.roster_diff(roster.based_on, roster)
    ]


@router.post("/demand/{pk}/import", response={201: RosterOut})
def import_roster(
    request: HttpRequest,
    pk: int,
    file: UploadedFile | None = File(None),  # noqa: B008 -- ninja's declaration
) -> Any:
    """A new draft version from a CSV or Excel file: employee, day, shift per day worked."""
    demand = access(_demand(request), request.user, pk, write="build_roster")
    if file is None:
        raise ValidationError({"file": _("Choose a file to import.")})
    with tempfile.NamedTemporaryFile(suffix=Path(file.name or "").suffix) as stored:
        for chunk in file.chunks():
            stored.write(chunk)
        stored.flush()
        roster = roster_edits.do_import_roster(
            demand, acting_user=request.user, path=Path(stored.name), filename=file.name or ""
        )
    return Status(201, roster)


class SwapIn(Schema):
    partner: int
    day: dt.date
    partner_day: dt.date | None = None
    reason: str = ""


class SwapOut(Schema):
    id: int
    roster_id: int
    requester_id: int
    partner_id: int
    day: dt.date
    partner_day: dt.date | None
    reason: str
    state: str
    answer: str
    created_at: dt.datetime


class AnswerIn(Schema):
    answer: str = ""


def _swaps(request: HttpRequest) -> Any:
    """An agent's own swaps; everyone who sees rosters, their vendor's."""
    me = swaps.person_of(request.user)
    if role_of(request.user) == Role.AGENT:
        return swaps.swaps_of(me) if me else ShiftSwap.objects.none()
    require(request.user, "view_rosters")
    return restrict(ShiftSwap.objects.all(), request.user)


@router.get("/swaps", response=list[SwapOut])
def list_swaps(request: HttpRequest, state: str | None = None) -> Any:
    qs = _swaps(request)
    if state:
        qs = qs.filter(state=state)
    return list(qs[:500])


@router.post("/swaps", response={201: SwapOut})
def request_swap(request: HttpRequest, payload: SwapIn) -> Any:
    """An agent asks a colleague on the same published roster to exchange days (ATT-11)."""
    partner = _colleague(request.user, payload.partner)
    swap = swaps.do_request_swap(
        acting_user=request.user,
        partner=partner,
        day=payload.day,
        partner_day=payload.partner_day,
        reason=payload.reason,
    )
    return Status(201, swap)


def _colleague(user: Any, pk: int) -> Person:
    """A person of the user's own organisation (agents see only themselves otherwise)."""
    found = Person.objects.filter(pk=pk, organisation_id=organisation_id_of(user)).first()
    if found is None:
        raise Http404
    return found


def _swap(request: HttpRequest, pk: int, write: str | None = None) -> ShiftSwap:
    """One swap the user may see (an agent: one of their own), else 404."""
    if role_of(request.user) == Role.AGENT:
        found = _swaps(request).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found  # type: ignore[no-any-return]
    return access(_swaps(request), request.user, pk, write=write)


@router.post("/swaps/{pk}/accept", response=SwapOut)
def accept_swap(request: HttpRequest, pk: int) -> Any:
    return swaps.do_accept_swap(_swap(request, pk), acting_user=request.user)


@router.post("/swaps/{pk}/approve", response=SwapOut)
def approve_swap(request: HttpRequest, pk: int, payload: AnswerIn) -> Any:
    swap = _swap(request, pk, write="approve_swaps")
    return swaps.do_decide_swap(swap, acting_user=request.user, approve=True, answer=payload.answer)


@router.post("/swaps/{pk}/refuse", response=SwapOut)
def refuse_swap(request: HttpRequest, pk: int, payload: AnswerIn) -> Any:
    swap = _swap(request, pk, write="approve_swaps")
    return swaps.do_decide_swap(
        swap, acting_user=request.user, approve=False, answer=payload.answer
    )


class OfferIn(Schema):
    day: dt.date
    start_minute: int
    minutes: int
    seats: int
    note: str = ""


class OfferOut(Schema):
    id: int
    demand_id: int
    day: dt.date
    start_minute: int
    minutes: int
    seats: int
    taken: int
    note: str

    @staticmethod
    def resolve_taken(obj: Any) -> int:
        taken = getattr(obj, "taken", None)  # annotated by the lists
        return int(obj.takes.count() if taken is None else taken)


class TakeOut(Schema):
    id: int
    offer_id: int
    person_id: int
    taken_at: dt.datetime
    attended: bool | None


class AuditIn(Schema):
    attended: bool


def _offers(request: HttpRequest) -> Any:
    """An agent: the open offers of their vendor; others: the offers they may see."""
    if role_of(request.user) == Role.AGENT:
        me = swaps.person_of(request.user)
        return overtime.open_offers(me) if me else OvertimeOffer.objects.none()
    require(request.user, "view_rosters")
    return restrict(OvertimeOffer.objects.annotate(taken=Count("takes")), request.user)


@router.get("/rosters/{pk}/overtime-gap", response=dict[str, Any] | None)
def overtime_gap(request: HttpRequest, pk: int) -> Any:
    """The longest run of intervals short of demand: where overtime would help most."""
    return overtime.largest_gap(access(_rosters(request), request.user, pk))


@router.post("/demand/{pk}/overtime", response={201: OfferOut})
def offer_overtime(request: HttpRequest, pk: int, payload: OfferIn) -> Any:
    """The client asks the vendor for more people at a time of the week (FLOOR-08)."""
    demand = access(_demand(request), request.user, pk, write="review_roster")
    offer = overtime.do_offer_overtime(demand, acting_user=request.user, **payload.model_dump())
    return Status(201, offer)


@router.get("/overtime", response=list[OfferOut])
def list_overtime(request: HttpRequest) -> Any:
    return list(_offers(request)[:500])


@router.post("/overtime/{pk}/take", response={201: TakeOut})
def take_overtime(request: HttpRequest, pk: int) -> Any:
    """An agent takes a seat of an open offer."""
    me = swaps.person_of(request.user)
    if me is None or role_of(request.user) != Role.AGENT:
        raise Http404
    offer = _offers(request).filter(pk=pk).first()
    if offer is None:
        raise Http404
    return Status(201, overtime.do_take_overtime(offer, person=me, acting_user=request.user))


@router.get("/overtime/{pk}/takes", response=list[TakeOut])
def overtime_takes(request: HttpRequest, pk: int) -> Any:
    require(request.user, "view_rosters")
    offer = access(restrict(OvertimeOffer.objects.all(), request.user), request.user, pk)
    return list(offer.takes.all())


@router.post("/overtime/takes/{pk}/audit", response=TakeOut)
def audit_overtime(request: HttpRequest, pk: int, payload: AuditIn) -> Any:
    """The client records whether the agent came."""
    require(request.user, "view_rosters")
    take = access(
        restrict(OvertimeTake.objects.all(), request.user), request.user, pk, write="review_roster"
    )
    return overtime.do_audit_overtime(take, acting_user=request.user, attended=payload.attended)
