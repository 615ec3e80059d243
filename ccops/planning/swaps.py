"""Shift swaps between agents of a published roster (ATT-11): requested by one agent,
accepted by the colleague, approved by a team lead or the vendor's planner, and applied
only when both agents' weeks still keep every hard rule. Each step is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from ccops.audit import services as audit
from ccops.org.models import Person
from ccops.org.roles import can
from ccops.planning import rostering
from ccops.planning.models import Roster, RosterShift, ShiftSwap


class _Broken(Exception):
    """The swap would break a rule: undo it."""


def person_of(user: Any) -> Person | None:
    person_id = getattr(getattr(user, "profile", None), "person_id", None)
    return Person.objects.filter(pk=person_id).first() if person_id else None


def swaps_of(person: Person) -> QuerySet[ShiftSwap]:
    """The swaps a person asked for or is asked to take part in."""
    return ShiftSwap.objects.filter(Q(requester=person) | Q(partner=person)).select_related(
        "requester", "partner", "roster__demand"
    )


def do_request_swap(
    *,
    acting_user: Any,
    partner: Person,
    day: dt.date,
    partner_day: dt.date | None = None,
    reason: str = "",
) -> ShiftSwap:
    """An agent asks a colleague on the same published roster to exchange days."""
    me = person_of(acting_user)
    if me is None:
        raise PermissionDenied
    roster = (
        Roster.objects.filter(
            state=Roster.State.APPROVED,
            shifts__person=me,
            demand__week_start__lte=day,
            demand__week_start__gt=day - dt.timedelta(days=7),
        )
        .distinct()
        .first()
    )
    if roster is None:
        raise ValidationError({"day": _("You have no published roster for that week.")})
    if partner.pk == me.pk or not roster.shifts.filter(person=partner).exists():
        raise ValidationError({"partner": _("Choose a colleague on the same roster.")})
    other = partner_day or day
    if not 0 <= (other - roster.demand.week_start).days < 7:
        raise ValidationError({"partner_day": _("The colleague's day lies outside the week.")})
    mine = roster.shifts.filter(person=me, day=day).exists()
    theirs = roster.shifts.filter(person=partner, day=other).exists()
    if not mine and not theirs:
        raise ValidationError({"day": _("Neither of you works those days: nothing to swap.")})
    if other != day and (
        roster.shifts.filter(person=partner, day=day).exists()
        or roster.shifts.filter(person=me, day=other).exists()
    ):
        raise ValidationError(
            {"partner_day": _("Exchanging two days needs each of you off on the other's day.")}
        )
    with transaction.atomic():
        swap = ShiftSwap.objects.create(
            roster=roster,
            requester=me,
            partner=partner,
            day=day,
            partner_day=partner_day,
            reason=reason.strip()[:200],
        )
        audit.record("planning.swap_requested", swap, actor=acting_user)
    return swap


def do_accept_swap(swap: ShiftSwap, *, acting_user: Any) -> ShiftSwap:
    """The colleague agrees; the swap waits for approval."""
    me = person_of(acting_user)
    if me is None or me.pk != swap.partner_id:
        raise PermissionDenied
    _step(swap, ("requested",), ShiftSwap.State.ACCEPTED, acting_user, "")
    return swap


def do_decide_swap(
    swap: ShiftSwap, *, acting_user: Any, approve: bool, answer: str = ""
) -> ShiftSwap:
    """A team lead or the vendor's planner approves (the roster changes, if both weeks
    still keep every rule) or refuses (with the reason)."""
    if not can(acting_user, "approve_swaps"):
        raise PermissionDenied
    if not approve:
        if not answer.strip():
            raise ValidationError({"answer": _("Say why the swap is refused.")})
        _step(swap, ("requested", "accepted"), ShiftSwap.State.REFUSED, acting_user, answer)
        return swap
    if swap.state != ShiftSwap.State.ACCEPTED:
        raise ValidationError(_("The colleague has not accepted this swap yet."))
    try:
        with transaction.atomic():
            _exchange(swap)
            broken = [
                b
                for b in rostering.roster_breaches(swap.roster)
                if b.employee in (swap.requester.employee_no, swap.partner.employee_no)
            ]
            if broken:
                raise _Broken("; ".join(b.words for b in broken[:5]))
            Roster.objects.filter(pk=swap.roster_id).update(revision=F("revision") + 1)
            _step(swap, ("accepted",), ShiftSwap.State.APPROVED, acting_user, answer)
    except _Broken as exc:
        raise ValidationError(
            _("The swap would break the rules: %(rules)s") % {"rules": str(exc)}
        ) from exc
    return swap


def _exchange(swap: ShiftSwap) -> None:
    """The partner works the requester's shift on ``day`` and the requester the
    partner's on ``partner_day`` (each keeps its times, breaks and lunch)."""
    other_day = swap.partner_day or swap.day
    rows = RosterShift.objects.filter(roster=swap.roster).filter(
        Q(person=swap.requester, day=swap.day) | Q(person=swap.partner, day=other_day)
    )
    moved = list(rows)
    rows.delete()
    for shift in moved:  # each shift keeps its day and times and changes hands
        shift.pk = None
        shift.person_id = (
            swap.partner_id if shift.person_id == swap.requester_id else swap.requester_id
        )
    RosterShift.objects.bulk_create(moved)


def _step(swap: ShiftSwap, allowed: tuple[str, ...], state: str, user: Any, answer: str) -> None:
    moved = ShiftSwap.objects.filter(pk=swap.pk, state__in=allowed).update(
        state=state, answer=answer.strip()[:200], decided_by=user if state != "accepted" else None
    )
    if not moved:
        raise ValidationError(_("This swap has already been decided."))
    swap.refresh_from_db()
    audit.record(f"planning.swap_{state}", swap, actor=user, after={"answer": answer})
