"""Organisation endpoints: the same scoping and actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ccops.audit import services as audit
from ccops.common.actions import Conflict, do_create, do_delete, do_update
from ccops.org import services
from ccops.org.access import access, own_organisation_id, require, restrict
from ccops.org.models import Organisation, Person, Queue, SeatType, Site, Team

router = Router(tags=["organisation"])


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    active: bool


class SiteOut(Schema):
    id: int
    code: str
    name: str
    level: str
    city: str
    parent_id: int | None
    seats: int


class SeatTypeOut(Schema):
    id: int
    code: str
    name: str
    min_knowledge_score: int
    min_typing_cpm: int
    max_lookup_seconds: int


class QueueOut(Schema):
    id: int
    code: str
    name: str
    seat_type_id: int


class TeamOut(Schema):
    id: int
    code: str
    name: str
    organisation_id: int
    site_id: int
    lead_id: int | None


class PersonOut(Schema):
    id: int
    employee_no: str
    name: str
    organisation_id: int
    phone: str
    national_id: str
    education: str
    hire_date: dt.date
    status: str
    position: str
    site_id: int | None
    team_id: int | None
    skills: list[int]
    shift_class: str
    acd_account: str | None
    version: int


class PersonIn(Schema):
    employee_no: str
    name: str
    hire_date: dt.date
    organisation_id: int | None = None
    phone: str = ""
    national_id: str = ""
    education: str = ""
    status: str = Person.Status.ACTIVE
    position: str = Person.Position.AGENT
    site_id: int | None = None
    team_id: int | None = None
    skills: list[int] = []
    shift_class: str = ""
    acd_account: str | None = None


class PersonPatch(Schema):
    version: int
    name: str | None = None
    phone: str | None = None
    national_id: str | None = None
    education: str | None = None
    hire_date: dt.date | None = None
    status: str | None = None
    position: str | None = None
    site_id: int | None = None
    team_id: int | None = None
    skills: list[int] | None = None
    shift_class: str | None = None
    acd_account: str | None = None


class PersonalData(Schema):
    id: int
    phone: str
    national_id: str


def person_out(person: Person) -> dict[str, Any]:
    """A person as the API shows it: phone and ID masked, always."""
    data = {f: getattr(person, f) for f in PersonOut.model_fields if f != "skills"}
    data["phone"], data["national_id"] = person.phone_masked, person.national_id_masked
    data["skills"] = [s.pk for s in person.skills.all()]
    return data


def _validation_error(exc: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))


def _scoped_list(request: HttpRequest, model: type[Any], **filters: Any) -> Any:
    qs = restrict(model.objects.all(), request.user)
    return qs.filter(**{k: v for k, v in filters.items() if v is not None})


@router.get("/organisations", response=list[OrganisationOut])
def list_organisations(request: HttpRequest, kind: str | None = None) -> Any:
    return _scoped_list(request, Organisation, kind=kind)


@router.get("/organisations/{pk}", response=OrganisationOut)
def get_organisation(request: HttpRequest, pk: int) -> Any:
    return access(Organisation, request.user, pk)


@router.get("/sites", response=list[SiteOut])
def list_sites(request: HttpRequest) -> Any:
    return _scoped_list(request, Site)


@router.get("/sites/{pk}", response=SiteOut)
def get_site(request: HttpRequest, pk: int) -> Any:
    return access(Site, request.user, pk)


@router.get("/seat-types", response=list[SeatTypeOut])
def list_seat_types(request: HttpRequest) -> Any:
    return _scoped_list(request, SeatType)


@router.get("/queues", response=list[QueueOut])
def list_queues(request: HttpRequest) -> Any:
    return _scoped_list(request, Queue)


@router.get("/teams", response=list[TeamOut])
def list_teams(
    request: HttpRequest, organisation_id: int | None = None, site_id: int | None = None
) -> Any:
    return _scoped_list(request, Team, organisation_id=organisation_id, site_id=site_id)


@router.get("/teams/{pk}", response=TeamOut)
def get_team(request: HttpRequest, pk: int) -> Any:
    return access(Team, request.user, pk)


@router.get("/people", response=list[PersonOut])
def list_people(
    request: HttpRequest,
    q: str | None = None,
    organisation_id: int | None = None,
    team_id: int | None = None,
    status: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> Any:
    qs = _scoped_list(
        request, Person, organisation_id=organisation_id, team_id=team_id, status=status
    )
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(employee_no__icontains=q)
    qs = qs.prefetch_related("skills")[offset : offset + min(max(limit, 1), 2000)]
    return [person_out(p) for p in qs]


@router.get("/people/{pk}", response=PersonOut)
def get_person(request: HttpRequest, pk: int) -> Any:
    return person_out(access(Person, request.user, pk))


@router.post("/people/{pk}/reveal", response=PersonalData)
def reveal_person(request: HttpRequest, pk: int) -> Any:
    """Full phone and ID number for users allowed to see them; every call is audited."""
    return services.reveal_personal_data(request.user, pk)


def _assign_organisation(request: HttpRequest, requested: int | None) -> int:
    own = own_organisation_id(request.user)
    if own is not None:
        if requested not in (None, own):
            audit.security_event(
                "mass_assignment", f"organisation_id={requested} ignored", actor=request.user
            )
        return own
    if requested is None:
        raise HttpError(422, "organisation_id: required")
    return access(Organisation, request.user, requested).pk


@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    require(request.user, "manage_people")
    data = payload.dict()
    skills = data.pop("skills")
    data["organisation_id"] = _assign_organisation(request, data.pop("organisation_id"))
    _check_team(request, data.get("team_id"))
    person = Person(**data)
    try:
        do_create(person, acting_user=request.user, m2m={"skills": _skills(skills)})
    except ValidationError as exc:
        raise _validation_error(exc) from exc
    return Status(201, person_out(person))


def _check_team(request: HttpRequest, team_id: int | None) -> None:
    if team_id is not None:
        access(Team, request.user, team_id)


def _skills(ids: list[int]) -> list[SeatType]:
    found = list(SeatType.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise HttpError(422, "skills: unknown seat type")
    return found


@router.patch("/people/{pk}", response=PersonOut)
def update_person(request: HttpRequest, pk: int, payload: PersonPatch) -> Any:
    person = access(Person, request.user, pk, write="manage_people")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    skills = data.pop("skills", None)
    _check_team(request, data.get("team_id"))
    for name, value in data.items():
        setattr(person, name, value)
    try:
        do_update(
            person,
            acting_user=request.user,
            expected_version=version,
            m2m={"skills": _skills(skills)} if skills is not None else None,
        )
    except Conflict as exc:
        raise HttpError(409, "the record changed since version given") from exc
    except ValidationError as exc:
        raise _validation_error(exc) from exc
    return person_out(person)


@router.delete("/people/{pk}", response={204: None})
def delete_person(request: HttpRequest, pk: int) -> Any:
    person = access(Person, request.user, pk, write="manage_people")
    do_delete(person, acting_user=request.user)
    return Status(204, None)
