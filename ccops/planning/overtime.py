"""Overtime (FLOOR-08): the client raises demand where the published roster falls short,
the vendor's eligible agents take it, and the client audits afterwards who came."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.audit import services as audit
from ccops.core.roster.problem import MINUTES_A_DAY
from ccops.org.models import Person
from ccops.org.roles import can
from ccops.planning import rostering
from ccops.planning.models import OvertimeOffer, OvertimeTake, PublishedDemand, Roster


def largest_gap(
    roster: Roster, rows: list[rostering.CoverageRow] | None = None
) -> dict[str, Any] | None:
    """The longest run of intervals short of demand: a first suggestion for an offer
    (day, start minute, minutes, people short at most). ``rows``: its coverage, when
    the caller has it already."""
    rows = rows if rows is not None else rostering.coverage(roster)
    step = roster.demand.interval_minutes
    best: tuple[int, int, int] | None = None  # (length, first index, most short)
    first, most = None, 0
    for i, row in enumerate([*rows, None]):
        short = row.under if row is not None else 0
        if short and first is None:
            first, most = i, short
        elif short and first is not None:
            most = max(most, short)
        if not short and first is not None:
            if best is None or i - first > best[0]:
                best = (i - first, first, most)
            first = None
    if best is None:
        return None
    length, start, most = best
    return {
        "day": roster.demand.week_start + dt.timedelta(days=start * step // MINUTES_A_DAY),
        "start_minute": start * step % MINUTES_A_DAY,
        "minutes": length * step,
        "seats": most,
        "start": f"{start * step % MINUTES_A_DAY // 60:02d}:{start * step % 60:02d}",
    }


def do_offer_overtime(
    demand: PublishedDemand,
    *,
    acting_user: Any,
    day: dt.date,
    start_minute: int,
    minutes: int,
    seats: int,
    note: str = "",
) -> OvertimeOffer:
    """The client asks the vendor for ``seats`` more people at that time."""
    if not can(acting_user, "review_roster"):
        raise PermissionDenied
    if not 0 <= (day - demand.week_start).days < 7:
        raise ValidationError({"day": _("The day lies outside the roster's week.")})
    if not 0 <= start_minute < MINUTES_A_DAY:
        raise ValidationError({"start_minute": _("A start lies within the day.")})
    offer = OvertimeOffer(
        demand=demand,
        day=day,
        start_minute=start_minute,
        minutes=minutes,
        seats=seats,
        note=note.strip()[:200],
        created_by=acting_user,
    )
    offer.full_clean(exclude=["demand", "created_by"])
    with transaction.atomic():
        offer.save()
        audit.record("planning.overtime_offered", offer, actor=acting_user)
    return offer


def open_offers(person: Person) -> QuerySet[OvertimeOffer]:
    """Offers of the person's vendor not yet filled, from today on."""
    return (
        OvertimeOffer.objects.filter(
            demand__organisation_id=person.organisation_id, day__gte=timezone.localdate()
        )
        .annotate(taken=Count("takes"))
        .order_by("day", "start_minute")
    )


def do_take_overtime(offer: OvertimeOffer, *, person: Person, acting_user: Any) -> OvertimeTake:
    """The agent takes a seat of the offer if one is left and it does not overlap their
    rostered shift that day or leave them too little rest."""
    if person.organisation_id != offer.demand.organisation_id:
        raise PermissionDenied
    published = rostering.published_roster(offer.demand)
    rules = rostering.RosterRules.of(published.options) if published else rostering.RosterRules()
    begin = offer.start_minute
    end = begin + offer.minutes
    if published is not None:
        for shift in published.shifts.filter(
            person=person,
            day__range=(offer.day - dt.timedelta(days=1), offer.day + dt.timedelta(days=1)),
        ):
            offset = (shift.day - offer.day).days * MINUTES_A_DAY
            s_begin, s_end = (
                offset + shift.start_minute,
                offset + shift.start_minute + shift.minutes,
            )
            touches = s_begin < end and begin < s_end
            gap = max(begin - s_end, s_begin - end)
            if touches or (shift.day != offer.day and 0 <= gap < rules.rest_minutes):
                raise ValidationError(
                    _("This overtime overlaps your shift or leaves too little rest.")
                )
    with transaction.atomic():
        locked = OvertimeOffer.objects.select_for_update().get(pk=offer.pk)
        if locked.takes.count() >= locked.seats:
            raise ValidationError(_("Every seat of this overtime is taken."))
        try:
            with transaction.atomic():
                take = OvertimeTake.objects.create(offer=locked, person=person)
        except IntegrityError as exc:
            raise ValidationError(_("You have taken this overtime already.")) from exc
        audit.record("planning.overtime_taken", take, actor=acting_user)
    return take


def do_audit_overtime(take: OvertimeTake, *, acting_user: Any, attended: bool) -> OvertimeTake:
    """The client records whether the agent came (FLOOR-08: the client audits)."""
    if not can(acting_user, "review_roster"):
        raise PermissionDenied
    with transaction.atomic():
        OvertimeTake.objects.filter(pk=take.pk).update(attended=attended, audited_by=acting_user)
        take.refresh_from_db()
        audit.record(
            "planning.overtime_audited", take, actor=acting_user, after={"attended": attended}
        )
    return take
