"""The home page: what the signed-in user can reach, and the center at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ccops.intake.models import ImportBatch
from ccops.org.access import restrict
from ccops.org.models import Person, Team
from ccops.org.roles import role_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    people = restrict(Person.objects.all(), request.user)
    context = {
        "people_count": people.exclude(status=Person.Status.LEFT).count(),
        "team_count": restrict(Team.objects.all(), request.user).count(),
        "recent_batches": restrict(ImportBatch.objects.all(), request.user)[:5],
        "role": role_of(request.user),
    }
    return render(request, "home.html", context)
