"""The home page: what the signed-in user can reach, and the center at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ccops.common import dashboard
from ccops.intake.models import ImportBatch
from ccops.org.access import restrict
from ccops.org.roles import can


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Head count by organisation, recent traffic and recent imports, within the user's scope."""
    rows = dashboard.headcount(request.user)
    batches = restrict(ImportBatch.objects.select_related("organisation"), request.user)
    context = {
        "headcount": rows,
        "people_count": sum(r["total"] for r in rows),
        "agent_count": sum(r["agents"] for r in rows),
        "team_count": sum(r["teams"] for r in rows),
        "traffic": dashboard.traffic_figure(request.user),
        "recent_batches": batches[:5] if can(request.user, "view_operational_data") else [],
    }
    return render(request, "home.html", context)
