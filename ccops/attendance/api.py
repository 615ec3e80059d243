"""Leave endpoints: ask (for oneself, or a team lead for an agent), read who approves
and why, approve or refuse (a request decided meanwhile: 409), withdraw; and the
center's blackout days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status

from ccops.attendance import leave as service
from ccops.attendance.models import BlackoutDay, LeaveRequest
from ccops.org.access import access, require, restrict
from ccops.org.models import Person

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
        return service.why_this_approver(obj)


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
        return service.waiting_for(request.user, rows)
    return list(rows[:500])


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
