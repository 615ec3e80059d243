"""Staffing plans: from a forecast's intervals to agents per interval and the monthly
head-count plan by vendor and role."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ccops.core import staffing as core
from ccops.org.models import Organisation, Person, Site, Team
from ccops.planning.models import (
    Forecast,
    ForecastInterval,
    HeadcountLine,
    StaffingInterval,
    StaffingPlan,
    Status,
)
from ccops.planning.scope import ON_THE_PHONES
from ccops.policy.services import rule_value

ORG_RULES = ("ORG-01", "ORG-02", "ORG-03", "ORG-04", "ORG-05", "ORG-06", "ORG-07")
VENDOR_ROLES = ("agent", "standby", "back_office", "team_lead", "supervisor")


def target_of(plan: StaffingPlan) -> core.ServiceTarget:
    return core.ServiceTarget(
        service_level=plan.service_level,
        threshold=plan.threshold_seconds,
        asa=plan.asa_seconds,
        max_occupancy=plan.max_occupancy,
        patience=plan.patience_seconds,
    )


def shrinkage_of(plan: StaffingPlan) -> core.Shrinkage:
    return core.Shrinkage.with_breaks(
        plan.break_minutes_per_hour,
        briefings=plan.briefings,
        training=plan.training,
        leave=plan.leave,
        absence=plan.absence,
    )


def forecast_arrays(forecast: Forecast) -> tuple[list[dt.datetime], np.ndarray, np.ndarray]:
    """Interval starts (aware), final calls (adjusted where adjusted) and handle times."""
    rows = list(
        ForecastInterval.objects.filter(forecast=forecast)
        .order_by("start")
        .values_list("start", "calls", "adjusted", "aht")
    )
    starts = [row[0] for row in rows]
    calls = np.array([row[1] if row[2] is None else row[2] for row in rows], dtype=float)
    aht = np.array([row[3] for row in rows], dtype=float)
    return starts, calls, aht


def compute_plan(plan: StaffingPlan) -> None:
    """Fill a staffing plan's intervals and head-count lines in one transaction."""
    starts, calls, aht = forecast_arrays(plan.forecast)
    result = core.staff_intervals(
        calls,
        aht,
        plan.forecast.interval_minutes,
        target=target_of(plan),
        shrinkage=shrinkage_of(plan),
    )
    intervals = [
        StaffingInterval(
            plan=plan,
            start=start,
            calls=float(result.calls[i]),
            aht=float(result.aht[i]),
            required=int(result.required[i]),
            scheduled=float(result.scheduled[i]),
            service_level=float(result.service_level[i]),
            asa=float(result.asa[i]) if np.isfinite(result.asa[i]) else 0.0,
            occupancy=float(result.occupancy[i]),
        )
        for i, start in enumerate(starts)
    ]
    lines = headcount_lines(plan, starts, result.scheduled)
    with transaction.atomic():
        StaffingInterval.objects.filter(plan=plan).delete()
        HeadcountLine.objects.filter(plan=plan).delete()
        StaffingInterval.objects.bulk_create(intervals, batch_size=2000)
        HeadcountLine.objects.bulk_create(lines)
        StaffingPlan.objects.filter(pk=plan.pk).update(
            status=Status.SUCCEEDED, progress=100, error=""
        )


def monthly_fte(
    starts: list[dt.datetime], scheduled: np.ndarray, interval_minutes: int
) -> dict[dt.date, float]:
    """Front-line FTE per month: scheduled hours of the days covered, scaled to the whole
    month when the horizon covers only part of it, over a standard month's hours."""
    hours: dict[dt.date, float] = defaultdict(float)
    days: dict[dt.date, set[dt.date]] = defaultdict(set)
    for start, agents in zip(starts, scheduled, strict=True):
        local = timezone.localtime(start).date()
        month = local.replace(day=1)
        hours[month] += float(agents) * interval_minutes / 60.0
        days[month].add(local)
    return {
        month: hours[month]
        / len(days[month])
        * calendar.monthrange(month.year, month.month)[1]
        / core.HOURS_PER_FTE_MONTH
        for month in sorted(hours)
    }


def client_organisation() -> Organisation | None:
    return Organisation.objects.filter(kind=Organisation.Kind.CLIENT).order_by("pk").first()


def vendor_shares(forecast: Forecast, client: Organisation | None) -> dict[int, float]:
    """Each organisation's share of the front line: its agents on the phones in the teams that
    answer this seat type's queues (at the forecast's site); the client alone if none."""
    teams = Team.objects.filter(queue__seat_type=forecast.seat_type)
    if forecast.site_id:
        teams = teams.filter(site_id=forecast.site_id)
    counts = dict(
        Person.objects.filter(team__in=teams, status__in=ON_THE_PHONES)
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    total = sum(counts.values())
    if not total:
        return {client.pk: 1.0} if client else {}
    return {org: n / total for org, n in sorted(counts.items())}


def ratios_for(site_id: int | None) -> core.Ratios:
    return core.Ratios.from_rules({r: rule_value(r, site_id=site_id) for r in ORG_RULES})


def headcount_lines(
    plan: StaffingPlan, starts: list[dt.datetime], scheduled: np.ndarray
) -> list[HeadcountLine]:
    """Vendor roles per vendor from its share of the FTE; client roles once, for the
    client, from the total (ORG-01..07)."""
    forecast = plan.forecast
    ratios = ratios_for(forecast.site_id)
    client = client_organisation()
    shares = vendor_shares(forecast, client)
    cities = _cities(forecast)
    lines: list[HeadcountLine] = []
    for month, fte in monthly_fte(starts, scheduled, forecast.interval_minutes).items():
        for org_id, share in shares.items():
            part = core.headcount_plan(fte * share, ratios=ratios, cities=cities)
            lines += [
                _line(plan, org_id, month, line) for line in part.lines if line.role in VENDOR_ROLES
            ]
        whole = core.headcount_plan(fte, ratios=ratios, cities=cities)
        if client is not None:
            lines += [
                _line(plan, client.pk, month, line)
                for line in whole.lines
                if line.role not in VENDOR_ROLES
            ]
    return lines


def _line(plan: StaffingPlan, org_id: int, month: dt.date, line: core.RoleLine) -> HeadcountLine:
    return HeadcountLine(
        plan=plan,
        organisation_id=org_id,
        month=month,
        role=line.role,
        count=line.count,
        rule=line.rule,
        basis=line.basis,
        side=line.side,
    )


def _cities(forecast: Forecast) -> int:
    if forecast.site_id:
        return 1
    found = {c for c in Site.objects.values_list("city", flat=True) if c}
    return max(1, len(found))


def mark_failed(model: Any, pk: int, message: str) -> None:
    """Record a failed run without touching anything it would have replaced."""
    model.objects.filter(pk=pk).update(status=Status.FAILED, error=message[:2000])
