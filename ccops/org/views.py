"""Organisation pages: one `Entity` per model, plus revealing personal data and importing people."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ccops.common import export
from ccops.common.crud import Column, Entity
from ccops.org import forms, services
from ccops.org.access import require
from ccops.org.models import Organisation, Person, Profile, Queue, SeatType, Site, Team
from ccops.org.roles import can

organisations = Entity(
    model=Organisation,
    name="organisation",
    columns=[
        Column("code", _("code")),
        Column("name", _("name")),
        Column("kind", _("kind")),
        Column("active", _("active")),
    ],
    form_class=forms.OrganisationForm,
    write_capability="manage_structure",
    search_fields=["code", "name"],
    filters=["kind"],
)
sites = Entity(
    model=Site,
    name="site",
    columns=[
        Column("code", _("code")),
        Column("name", _("name")),
        Column("level", _("level")),
        Column("city", _("city")),
        Column("seats", _("physical seats")),
    ],
    form_class=forms.SiteForm,
    write_capability="manage_structure",
    search_fields=["code", "name", "city"],
    filters=["level"],
)
seat_types = Entity(
    model=SeatType,
    name="seattype",
    slug="seat-types",
    columns=[
        Column("code", _("code")),
        Column("name", _("name")),
        Column("min_knowledge_score", _("minimum knowledge score")),
        Column("min_typing_cpm", _("minimum typing speed (chars/min)")),
        Column("max_lookup_seconds", _("maximum knowledge-base lookup (s)")),
    ],
    form_class=forms.SeatTypeForm,
    write_capability="manage_structure",
    search_fields=["code", "name"],
)
queues = Entity(
    model=Queue,
    name="queue",
    columns=[
        Column("code", _("code")),
        Column("name", _("name")),
        Column("seat_type.name", _("seat type")),
    ],
    form_class=forms.QueueForm,
    write_capability="manage_structure",
    search_fields=["code", "name"],
    filters=["seat_type"],
    select_related=["seat_type"],
)
teams = Entity(
    model=Team,
    name="team",
    columns=[
        Column("code", _("code")),
        Column("name", _("name")),
        Column("organisation.name", _("organisation")),
        Column("site.name", _("site")),
        Column("queue.code", _("queue")),
        Column("lead.name", _("team lead")),
    ],
    form_class=forms.TeamForm,
    write_capability="manage_teams",
    search_fields=["code", "name", "lead__name"],
    filters=["organisation", "site", "queue"],
    select_related=["organisation", "site", "queue", "lead"],
)


class PeopleEntity(Entity):
    """People: exports carry full phone and ID numbers only when asked by a user allowed to
    reveal them, and such an export is written to the audit trail like any reveal."""

    def list_view(self, request: HttpRequest) -> HttpResponse:
        wants = request.GET.get("export") in {"csv", "xlsx"} and request.GET.get("reveal") == "1"
        if not wants:
            return super().list_view(request)
        people = services.reveal_for_export(
            request.user, self.search(self.queryset(request), request)
        )
        writer = export.csv_response if request.GET["export"] == "csv" else export.xlsx_response
        columns = [REVEALED.get(c.attr, c) if isinstance(c.attr, str) else c for c in self.columns]
        rows = ([c.value(p) for c in columns] for p in people.iterator(chunk_size=2000))
        return writer(self.name, [str(c.label) for c in columns], rows)

    def list_extra(self, request: HttpRequest) -> dict[str, Any]:
        return {"can_reveal_export": can(request.user, "reveal_personal_data")}


REVEALED = {
    "phone_masked": Column("phone", _("phone")),
    "national_id_masked": Column("national_id", _("national ID number")),
}


def _person_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {
        "can_reveal": can(request.user, "reveal_personal_data"),
        "skills": list(person.skills.all()),
    }


people = PeopleEntity(
    model=Person,
    name="person",
    columns=[
        Column("employee_no", _("employee number")),
        Column("name", pgettext_lazy("person", "name")),
        Column("organisation.name", _("organisation")),
        Column("team.name", _("team")),
        Column("position", _("position")),
        Column("status", _("status")),
        Column("phone_masked", _("phone")),
        Column("national_id_masked", _("national ID number")),
        Column("education", _("education")),
        Column("hire_date", _("hire date")),
        Column("shift_class", _("shift class")),
        Column("acd_account", _("agent account")),
    ],
    form_class=forms.PersonForm,
    write_capability="manage_people",
    view_capability=None,
    search_fields=["employee_no", "name", "acd_account"],
    filters=["organisation", "team", "status", "position", "site"],
    select_related=["organisation", "team", "site"],
    detail_template="org/person_detail.html",
    extra_context=_person_context,
    m2m_fields=["skills"],
    slug="people",
)


class AccountEntity(Entity):
    """User accounts: creating one makes the login too; passwords go through validators."""

    def create_view(self, request: HttpRequest) -> HttpResponse:
        require(request.user, self.write_capability)
        form = self._form(request)
        if request.method == "POST" and form.is_valid():
            try:
                profile = services.do_create_account(
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    organisation=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                    person=form.cleaned_data.get("person"),
                    acting_user=request.user,
                )
            except ValidationError as exc:
                form.add_error("password" if not hasattr(exc, "error_dict") else None, exc)
            else:
                messages.success(request, gettext("Saved."))
                return redirect("org:account_detail", pk=profile.pk)
        return render(
            request, "crud/form.html", {"entity": self, "form": form, "title": gettext("New")}
        )

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = self.get(request, pk, write=True)
        form = self._form(request, profile)
        if request.method == "POST" and form.is_valid():
            try:
                services.do_update_account(
                    profile,
                    acting_user=request.user,
                    role=form.cleaned_data["role"],
                    person=form.cleaned_data.get("person"),
                    is_active=form.cleaned_data["is_active"],
                    password=form.cleaned_data["password"],
                )
            except ValidationError as exc:
                form.add_error("password", exc)
            else:
                messages.success(request, gettext("Saved."))
                return redirect("org:account_detail", pk=profile.pk)
        context = {"entity": self, "form": form, "object": profile, "title": str(profile)}
        return render(request, "crud/form.html", context)


accounts = AccountEntity(
    model=Profile,
    name="account",
    columns=[
        Column("user.username", _("user name")),
        Column("organisation.name", _("organisation")),
        Column("role", _("role")),
        Column("person", _("person")),
        Column("user.is_active", _("active")),
    ],
    form_class=forms.AccountForm,
    write_capability="manage_users",
    view_capability="manage_users",
    search_fields=["user__username", "person__name"],
    filters=["organisation", "role"],
    select_related=["user", "organisation", "person"],
)
ENTITIES = [organisations, sites, seat_types, queues, teams, people, accounts]


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one person's full phone and ID number; the reveal is written to the audit trail."""
    person = services.reveal_personal_data(request.user, pk)
    return render(request, "org/_revealed.html", {"object": person})
