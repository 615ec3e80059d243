"""Organisation endpoints: the same scoping and actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ccops.common.actions import Conflict, do_create, do_delete, do_update
from ccops.common.api_crud import assign_organisation, register_crud, validation_error
from ccops.org import services
from ccops.org.access import access, require, restrict
from ccops.org.models import Organisation, Person, Queue, SeatType, Site, Team

router = Router(tags=["organisation"])


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


def _scoped_list(request: HttpRequest, model: type[Any], **filters: Any) -> Any:
    qs = restrict(model.objects.all(), request.user)
    return qs.filter(**{k: v for k, v in filters.items() if v is not None})


register_crud(
    router,
    model=Organisation,
    name="organisation",
    plural="organisations",
    path="organisations",
    fields=["code", "name", "kind", "active"],
    capability="manage_structure",
    filters=("kind",),
)
register_crud(
    router,
    model=Site,
    name="site",
    plural="sites",
    path="sites",
    fields=["code", "name", "level", "city", "parent", "seats"],
    capability="manage_structure",
    filters=("level",),
)
register_crud(
    router,
    model=SeatType,
    name="seat_type",
    plural="seat_types",
    path="seat-types",
    fields=["code", "name", "min_knowledge_score", "min_typing_cpm", "max_lookup_seconds"],
    capability="manage_structure",
)
register_crud(
    router,
    model=Queue,
    name="queue",
    plural="queues",
    path="queues",
    fields=["code", "name", "seat_type"],
    capability="manage_structure",
    filters=("seat_type_id",),
)
register_crud(
    router,
    model=Team,
    name="team",
    plural="teams",
    path="teams",
    fields=["organisation", "site", "code", "name", "queue", "lead"],
    capability="manage_teams",
    filters=("organisation_id", "site_id", "queue_id"),
)


def person_out(person: Person) -> dict[str, Any]:
    """A person as the API shows it: phone and ID masked, always."""
    data = {f: getattr(person, f) for f in PersonOut.model_fields if f != "skills"}
    data["phone"], data["national_id"] = person.phone_masked, person.national_id_masked
    data["skills"] = [s.pk for s in person.skills.all()]
    return data


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


@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    require(request.user, "manage_people")
    data = payload.dict()
    skills = data.pop("skills")
    data["organisation_id"] = assign_organisation(request, data.pop("organisation_id"))
    _check_team(request, data.get("team_id"))
    person = Person(**data)
    try:
        do_create(person, acting_user=request.user, m2m={"skills": _skills(skills)})
    except ValidationError as exc:
        raise validation_error(exc) from exc
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
        raise validation_error(exc) from exc
    return person_out(person)


@router.delete("/people/{pk}", response={204: None})
def delete_person(request: HttpRequest, pk: int) -> Any:
    person = access(Person, request.user, pk, write="manage_people")
    do_delete(person, acting_user=request.user)
    return Status(204, None)
