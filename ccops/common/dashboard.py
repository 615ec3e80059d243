"""The home page's figures: head count by organisation and recent traffic, within scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.intake.models import AcdInterval, CallRecord
from ccops.org.access import restrict
from ccops.org.models import Person, Team
from ccops.org.roles import can, is_vendor_user

ON_STAFF = [
    Person.Status.ACTIVE,
    Person.Status.PROBATION,
    Person.Status.TRAINING,
    Person.Status.LEAVING,
]


def headcount(user: Any) -> list[dict[str, Any]]:
    """Per organisation: agents, team leads, others on staff, and teams."""
    people = restrict(Person.objects.filter(status__in=ON_STAFF), user)
    rows = (
        people.values("organisation__name")
        .annotate(
            agents=Count("pk", filter=Q(position=Person.Position.AGENT)),
            leads=Count("pk", filter=Q(position=Person.Position.TEAM_LEAD)),
            total=Count("pk"),
            in_training=Count(
                "pk", filter=Q(status__in=[Person.Status.TRAINING, Person.Status.PROBATION])
            ),
        )
        .order_by("organisation__name")
    )
    teams = dict(
        restrict(Team.objects.all(), user).values_list("organisation__name").annotate(n=Count("pk"))
    )
    return [row | {"teams": teams.get(row["organisation__name"], 0)} for row in rows]


def _since(days: int) -> dt.datetime:
    """Local midnight `days` days ago, so the first day on a chart is a whole day."""
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time()))


def traffic_figure(user: Any, days: int = 28) -> str | None:
    """Daily calls offered and answered with the share answered within threshold (client),
    or the calls the vendor's own agents handled (vendor); None when there is nothing."""
    if not can(user, "view_operational_data"):
        return None
    if is_vendor_user(user):
        return _vendor_calls(user, days)
    rows = list(
        AcdInterval.objects.filter(interval_start__gte=_since(days))
        .annotate(day=TruncDate("interval_start", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(
            offered=Sum("offered"), answered=Sum("answered"), fast=Sum("answered_in_threshold")
        )
        .order_by("day")
    )
    if not rows:
        return None
    days_ = [r["day"] for r in rows]
    fig = go.Figure()
    fig.add_bar(x=days_, y=[r["offered"] for r in rows], name=_("offered"), marker_color="#9fb3c8")
    fig.add_bar(
        x=days_, y=[r["answered"] for r in rows], name=_("answered"), marker_color="#0b6e99"
    )
    fig.add_scatter(
        x=days_,
        y=[round(100 * r["fast"] / r["offered"], 1) if r["offered"] else None for r in rows],
        name=_("answered within threshold (%)"),
        yaxis="y2",
        mode="lines+markers",
        line={"color": "#1f7a4d"},
    )
    fig.update_layout(
        template="plotly_white",
        barmode="overlay",
        height=320,
        margin={"l": 40, "r": 40, "t": 10, "b": 30},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
            "dtick": 20,
            "ticksuffix": "%",
        },
        legend={"orientation": "h"},
    )
    return fig.to_json()


def _vendor_calls(user: Any, days: int) -> str | None:
    rows = list(
        restrict(
            CallRecord.objects.filter(arrived_at__gte=_since(days), person__isnull=False), user
        )
        .annotate(day=TruncDate("arrived_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(calls=Count("pk"))
        .order_by("day")
    )
    if not rows:
        return None
    fig = go.Figure()
    fig.add_bar(
        x=[r["day"] for r in rows],
        y=[r["calls"] for r in rows],
        name=_("calls handled"),
        marker_color="#0b6e99",
    )
    fig.update_layout(
        template="plotly_white", height=320, margin={"l": 40, "r": 20, "t": 10, "b": 30}
    )
    return fig.to_json()
