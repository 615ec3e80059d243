"""The audit trail viewer for administrators, filterable and exportable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ccops.audit.models import AuditEntry
from ccops.common import export
from ccops.org.access import require

FILTERS = ("actor_name", "action", "object_type", "object_id", "organisation_id", "request_id")


EXACT = {"object_id", "request_id"}


def filtered_entries(request: HttpRequest) -> Any:
    """Audit rows matching the query string: text filters, organisation id, date range."""
    require(request.user, "view_audit")
    qs = AuditEntry.objects.all()
    for name in FILTERS:
        value = request.GET.get(name, "").strip()
        if not value:
            continue
        if name == "organisation_id":
            qs = qs.filter(organisation_id=int(value)) if value.isdigit() else qs.none()
        else:
            qs = qs.filter(**{name if name in EXACT else f"{name}__icontains": value})
    since, until = _date(request, "since"), _date(request, "until")
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs


def _date(request: HttpRequest, name: str) -> dt.date | None:
    try:
        return parse_date(request.GET.get(name, ""))
    except ValueError:  # well formed but impossible, like 2026-02-30
        return None


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    qs = filtered_entries(request)
    if request.GET.get("export") == "csv":
        header = [
            _("time (UTC)"),
            _("actor"),
            _("organisation id"),
            _("action"),
            _("object type"),
            _("object id"),
            _("object"),
            _("before"),
            _("after"),
            _("IP address"),
            _("request id"),
            _("note"),
        ]
        rows = (
            [
                e.at.isoformat(),
                e.actor_name,
                e.organisation_id,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.before,
                e.after,
                e.ip,
                e.request_id,
                e.note,
            ]
            for e in qs.iterator()
        )
        return export.csv_response("audit", header, rows)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": {n: request.GET.get(n, "") for n in (*FILTERS, "since", "until")},
        "title": _("Audit trail"),
    }
    return render(request, "audit/entry_list.html", context)
