"""List, detail, create, edit, delete and export pages for an entity, scoped by tenancy.

An `Entity` describes the model, its columns, search fields, form and the capability
that allows changes; `Entity.urls()` yields the routes. Every view reaches rows only
through `ccops.org.access`, so tenancy holds for all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import ProtectedError, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from ccops.common import export
from ccops.common.actions import Conflict, do_create, do_delete, do_update
from ccops.org.access import access, own_organisation_id, require, restrict
from ccops.org.roles import can


@dataclass(frozen=True)
class Column:
    """A table column: an attribute path (``team.name``) or a callable, and its heading."""

    attr: str | Callable[[Any], Any]
    label: Any

    def value(self, obj: Any) -> Any:
        if callable(self.attr):
            return self.attr(obj)
        for part in self.attr.split("."):
            if obj is None:
                return ""
            display = getattr(obj, f"get_{part}_display", None)
            obj = display() if callable(display) else getattr(obj, part)
        return "" if obj is None else obj


@dataclass
class Entity:
    model: type[models.Model]
    name: str
    columns: Sequence[Column]
    form_class: type[forms.ModelForm[Any]]
    write_capability: str
    search_fields: Sequence[str] = ()
    filters: Sequence[str] = ()
    select_related: Sequence[str] = ()
    detail_template: str = "crud/detail.html"
    view_capability: str | None = None
    extra_context: Callable[[HttpRequest, Any], dict[str, Any]] | None = None
    m2m_fields: Sequence[str] = field(default_factory=tuple)
    slug: str = ""

    url_prefix: str = "org"

    # -- queries -------------------------------------------------------------
    def _rows(self, request: HttpRequest) -> models.QuerySet[Any]:
        if self.view_capability:
            require(request.user, self.view_capability)
        return self.model._default_manager.select_related(*self.select_related)

    def queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return restrict(self._rows(request), request.user)

    def search(self, qs: models.QuerySet[Any], request: HttpRequest) -> models.QuerySet[Any]:
        """The free-text search and the filters of the query string; nonsense finds nothing."""
        term = request.GET.get("q", "").strip()
        if term and self.search_fields:
            qs = qs.filter(
                reduce(or_, (Q(**{f"{f}__icontains": term}) for f in self.search_fields))
            )
        try:
            for name in self.filters:
                value = request.GET.get(name)
                if value:
                    qs = qs.filter(**{name: value})
        except (ValueError, ValidationError):
            return qs.none()
        return qs

    def get(self, request: HttpRequest, pk: Any, *, write: bool = False) -> Any:
        capability = self.write_capability if write else None
        return access(self._rows(request), request.user, pk, write=capability)

    # -- views ---------------------------------------------------------------
    def list_view(self, request: HttpRequest) -> HttpResponse:
        qs = self.search(self.queryset(request), request)
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            header = [str(c.label) for c in self.columns]
            rows = ([c.value(o) for c in self.columns] for o in qs.iterator(chunk_size=2000))
            writer = export.csv_response if fmt == "csv" else export.xlsx_response
            return writer(self.name, header, rows)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        context = {
            "entity": self,
            "page": page,
            "rows": [(o, [c.value(o) for c in self.columns]) for o in page.object_list],
            "can_write": can(request.user, self.write_capability),
            "query": request.GET.get("q", ""),
            "title": self.model._meta.verbose_name_plural,
        } | self.list_extra(request)
        template = "crud/_table.html" if getattr(request, "htmx", False) else "crud/list.html"
        return render(request, template, context)

    def list_extra(self, request: HttpRequest) -> dict[str, Any]:
        """More context for the list page (entities override)."""
        return {}

    def detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get(request, pk)
        context = {
            "entity": self,
            "object": obj,
            "fields": [(c.label, c.value(obj)) for c in self.columns],
            "can_write": can(request.user, self.write_capability),
            "title": str(obj),
        }
        if self.extra_context:
            context |= self.extra_context(request, obj)
        return render(request, self.detail_template, context)

    def _form(self, request: HttpRequest, instance: Any = None) -> forms.ModelForm[Any]:
        data = request.POST if request.method == "POST" else None
        return self.form_class(data, instance=instance, user=request.user)  # type: ignore[call-arg]

    def _m2m(self, form: forms.ModelForm[Any]) -> dict[str, Any]:
        return {
            name: form.cleaned_data[name] for name in self.m2m_fields if name in form.cleaned_data
        }

    def create_view(self, request: HttpRequest) -> HttpResponse:
        require(request.user, self.write_capability)
        form = self._form(request)
        if request.method == "POST" and form.is_valid():
            obj = form.save(commit=False)
            org_id = own_organisation_id(request.user)
            if org_id is not None and hasattr(obj, "organisation_id"):
                obj.organisation_id = org_id
            do_create(obj, acting_user=request.user, m2m=self._m2m(form))
            messages.success(request, _("Saved."))
            return redirect(f"{self.url_prefix}:{self.name}_detail", pk=obj.pk)
        return render(request, "crud/form.html", {"entity": self, "form": form, "title": _("New")})

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get(request, pk, write=True)
        form = self._form(request, obj)
        status = 200
        if request.method == "POST" and form.is_valid():
            expected = request.POST.get("version")
            try:
                do_update(
                    form.instance,
                    acting_user=request.user,
                    expected_version=int(expected) if expected and expected.isdigit() else None,
                    m2m=self._m2m(form),
                )
            except Conflict:
                form.add_error(
                    None, _("Someone else changed this record. Reload it and try again.")
                )
                status = 409
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{self.url_prefix}:{self.name}_detail", pk=obj.pk)
        context = {"entity": self, "form": form, "object": obj, "title": str(obj)}
        return render(request, "crud/form.html", context, status=status)

    def delete_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get(request, pk, write=True)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            do_delete(obj, acting_user=request.user)
        except ProtectedError:
            messages.error(request, _("This record is still in use and cannot be deleted."))
            return redirect(f"{self.url_prefix}:{self.name}_detail", pk=pk)
        messages.success(request, _("Deleted."))
        return redirect(f"{self.url_prefix}:{self.name}_list")

    # -- routes --------------------------------------------------------------
    def urls(self) -> list[URLPattern]:
        n, base = self.name, self.slug or f"{self.name}s"
        return [
            path(f"{base}/", login_required(self.list_view), name=f"{n}_list"),
            path(f"{base}/new/", login_required(self.create_view), name=f"{n}_create"),
            path(f"{base}/<int:pk>/", login_required(self.detail_view), name=f"{n}_detail"),
            path(f"{base}/<int:pk>/edit/", login_required(self.edit_view), name=f"{n}_edit"),
            path(f"{base}/<int:pk>/delete/", login_required(self.delete_view), name=f"{n}_delete"),
        ]


def scoped_choices(form: forms.ModelForm[Any], user: Any, *names: str) -> None:
    """Limit the form's foreign-key choices to rows the user may see."""
    for name in names:
        if name in form.fields:
            field_ = form.fields[name]
            field_.queryset = restrict(field_.queryset, user)  # type: ignore[attr-defined]


class ScopedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm whose related choices are scoped to the user; vendors cannot pick an org."""

    scoped_fields: Sequence[str] = ()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        scoped_choices(self, user, *self.scoped_fields)
        if own_organisation_id(user) is not None:
            self.fields.pop("organisation", None)
            if self.instance.pk is None and hasattr(self.instance, "organisation_id"):
                self.instance.organisation_id = own_organisation_id(user)
