"""A forecast's scope: which queues' calls belong to a seat type, at a site or overall.

A queue answered by teams at two sites is shared: each site plans for its share of the
queue's calls, the share of the queue's agents on the phones who sit at that site (of its
teams, when nobody is active yet). Without a site every queue counts in full, so the
sites' histories add up to the seat type's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, F, Sum
from django.utils import timezone

from ccops.intake.models import AcdInterval
from ccops.org.models import Person, Queue, Team


@dataclass(frozen=True)
class History:
    """A scope's ACD history as the core takes it: naive local interval starts."""

    starts: np.ndarray  # datetime64[m], local wall-clock time
    calls: np.ndarray
    aht: np.ndarray  # NaN where nothing was answered
    interval_minutes: int


#: People who take calls: on probation and serving notice they are still on the phones.
ON_THE_PHONES = (Person.Status.ACTIVE, Person.Status.PROBATION, Person.Status.LEAVING)


def queue_shares(seat_type_id: int, site_id: int | None) -> dict[int, float]:
    """Queue id -> the share of its calls that belongs to the scope (1 without a site)."""
    if not site_id:
        queues = Queue.objects.filter(seat_type_id=seat_type_id).values_list("pk", flat=True)
        return dict.fromkeys(queues, 1.0)
    teams = Team.objects.filter(queue__seat_type_id=seat_type_id)
    here = set(teams.filter(site_id=site_id).values_list("queue_id", flat=True))
    agents = _count_by_queue_and_site(
        Person.objects.filter(team__in=teams, status__in=ON_THE_PHONES), "team__"
    )
    team_counts = _count_by_queue_and_site(teams, "")
    shares = {}
    for queue in sorted(here):
        counts = agents if agents.get(queue) else team_counts
        shares[queue] = counts[queue].get(site_id, 0) / sum(counts[queue].values())
    return shares


def _count_by_queue_and_site(rows: object, prefix: str) -> dict[int, dict[int, int]]:
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for queue, site, n in (
        rows.values_list(f"{prefix}queue_id", f"{prefix}site_id")  # type: ignore[attr-defined]
        .annotate(n=Count("pk"))
        .values_list(f"{prefix}queue_id", f"{prefix}site_id", "n")
    ):
        counts[queue][site] = n
    return counts


def _weighted(rows: list[dict], shares: dict[int, float], fields: tuple[str, ...]) -> dict:
    """Per interval start, each field summed over queues weighted by their share."""
    summed: dict[dt.datetime, dict[str, float]] = {}
    for row in rows:
        share = shares[row["queue_id"]]
        into = summed.setdefault(row["interval_start"], dict.fromkeys(fields, 0.0))
        for field in fields:
            into[field] += share * float(row[field] or 0)
    return summed


def load_history(seat_type_id: int, site_id: int | None) -> History:
    """Calls offered and handle time per interval, pooled over the scope's queues."""
    shares = queue_shares(seat_type_id, site_id)
    rows = list(
        AcdInterval.objects.filter(queue_id__in=shares)
        .values("queue_id", "interval_start", "interval_minutes")
        .annotate(
            offered=Sum("offered"),
            answered=Sum("answered"),
            handle=Sum(F("talk_seconds") + F("hold_seconds") + F("acw_seconds")),
        )
        .order_by("interval_start")
    )
    summed = _weighted(rows, shares, ("offered", "answered", "handle"))
    zone = timezone.get_current_timezone()
    starts = np.array(
        [np.datetime64(s.astimezone(zone).replace(tzinfo=None), "m") for s in summed],
        dtype="datetime64[m]",
    )
    calls = np.array([v["offered"] for v in summed.values()], dtype=float)
    answered = np.array([v["answered"] for v in summed.values()], dtype=float)
    handle = np.array([v["handle"] for v in summed.values()], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(answered > 0, handle / np.where(answered > 0, answered, 1), np.nan)
    minutes = min((r["interval_minutes"] for r in rows), default=30)
    return History(starts, calls, aht, int(minutes))


def actual_calls(
    seat_type_id: int, site_id: int | None, first: dt.datetime, last: dt.datetime
) -> dict[dt.datetime, float]:
    """The scope's calls offered per interval start from ``first`` to ``last``."""
    shares = queue_shares(seat_type_id, site_id)
    rows = list(
        AcdInterval.objects.filter(
            queue_id__in=shares, interval_start__gte=first, interval_start__lte=last
        )
        .values("queue_id", "interval_start")
        .annotate(offered=Sum("offered"))
    )
    return {start: v["offered"] for start, v in _weighted(rows, shares, ("offered",)).items()}
