"""Leave requests (ATT-02..07): an agent (or their team lead) asks; the request is
refused at once, with the reason, when a rule forbids it (a blackout day: swap shifts
instead); otherwise it waits for the level its length calls for, and one approver
decides: of two at once, the second is told it was decided. Approved leave is a day
off in the rosters made afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import chinese_calendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.attendance.models import BlackoutDay, LeaveRequest
from ccops.audit import services as audit
from ccops.common.actions import Conflict
from ccops.core.leave import (
    LeaveKind,
    LeaveRules,
    Refusal,
    counted_kind,
    leave_approver_for,
    leave_days,
    paperwork_due,
    refusals,
)
from ccops.core.leave import LeaveRequest as Asked
from ccops.org.models import Person
from ccops.org.roles import Role, role_of
from ccops.planning.messages import said
from ccops.planning.models import RosterShift, ShiftTemplate
from ccops.policy.services import rule_value

LEAVE_RULES = ("ATT-02", "ATT-03", "ATT-05", "ATT-06", "ATT-07")
# Who stands at each approval level of ATT-02, on the vendor's side and the client's.
LEVEL_ROLES: dict[str, frozenset[str]] = {
    "area_manager": frozenset({Role.TEAM_LEAD, Role.SITE_SUPERVISOR}),
    "operations_supervisor": frozenset({Role.VENDOR_SUPERVISOR, Role.SITE_SUPERVISOR}),
    "center_director": frozenset({Role.VENDOR_PM, Role.SITE_OPS_MANAGER}),
    "department_manager": frozenset({Role.VENDOR_PM, Role.SITE_OPS_MANAGER}),
}
LEVELS = tuple(LEVEL_ROLES)
OPEN = (LeaveRequest.State.REQUESTED, LeaveRequest.State.APPROVED)


def leave_rules(person: Person) -> LeaveRules:
    """The leave rules in force at the person's site and vendor."""
    where = {"site_id": person.site_id, "vendor_id": person.organisation_id}
    return LeaveRules.of({rule: rule_value(rule, **where) for rule in LEAVE_RULES})


def blackout_days(person: Person, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The days from ``first`` to ``last`` no leave may fall on, with their kind: the
    Chinese calendar's public holidays and the center's billing days and bill runs."""
    found: dict[dt.date, str] = {}
    day = first
    while day <= last:
        holiday, name = _holiday(day)
        if holiday and name:
            found[day] = BlackoutDay.Kind.PUBLIC_HOLIDAY.value
        day += dt.timedelta(days=1)
    rows = BlackoutDay.objects.filter(day__range=(first, last)).filter(
        Q(site__isnull=True) | Q(site_id=person.site_id)
    )
    for row in rows:
        found.setdefault(row.day, row.kind)
    return found


def _holiday(day: dt.date) -> tuple[bool, str | None]:
    try:
        return chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the calendar does not know yet
        return False, None


def night_shifts(person: Person, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days the person's published roster has a night shift on (ATT-06)."""
    nights = set(ShiftTemplate.objects.filter(night=True).values_list("code", flat=True))
    rows = RosterShift.objects.filter(
        person=person, day__range=(first, last), roster__state="approved"
    ).values_list("day", "code")
    return sorted({day for day, code in rows if code.partition("@")[0] in nights})


def approver_roles(level: str) -> frozenset[str]:
    """The roles that may decide a request of ``level``: its own and every higher one."""
    index = LEVELS.index(level) if level in LEVELS else len(LEVELS) - 1
    roles: set[str] = {Role.ADMIN}
    for higher in LEVELS[index:]:
        roles |= LEVEL_ROLES[higher]
    return frozenset(roles)


def may_decide(user: Any, request: LeaveRequest) -> bool:
    """Whether the user stands at the request's level (or above) in the agent's own
    organisation (the center's administrator for anyone)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    own = getattr(getattr(user, "profile", None), "organisation_id", None)
    return role in approver_roles(request.approver_level) and own == request.person.organisation_id


def words(refusal: Refusal) -> str:
    """'ATT-05: no leave on 2026-12-09 (Billing day): swap shifts with a colleague',
    with the kinds of leave and of blackout day named in the reader's language."""
    facts = dict(refusal.facts)
    if facts.get("kind") in LeaveRequest.Kind.values:
        facts["kind"] = LeaveRequest.Kind(facts["kind"]).label
    if facts.get("why") in BlackoutDay.Kind.values:
        facts["why"] = BlackoutDay.Kind(facts["why"]).label
    return f"{refusal.rule}: {said(refusal.template, facts)}"


def do_request_leave(
    person: Person,
    *,
    acting_user: Any,
    kind: str,
    first_day: dt.date,
    last_day: dt.date,
    reason: str = "",
    certificate: bool = False,
    sudden: bool = False,
    late_marriage: bool = False,
    difficult_birth: bool = False,
    babies: int = 1,
    today: dt.date | None = None,
) -> LeaveRequest:
    """Ask for leave for ``person`` (oneself, or one's agent as a team lead); refused
    with every reason at once when a rule forbids it as asked."""
    me = getattr(getattr(acting_user, "profile", None), "person_id", None)
    if me != person.pk and role_of(acting_user) not in LEVEL_ROLES["area_manager"] | {
        Role.ADMIN,
        Role.VENDOR_SUPERVISOR,
        Role.VENDOR_PM,
    }:
        raise PermissionDenied
    if kind not in LeaveKind.__members__.values():
        raise ValidationError({"kind": _("Choose a kind of leave.")})
    if last_day < first_day:
        raise ValidationError({"last_day": _("The leave ends before it starts.")})
    asked = Asked(
        LeaveKind(kind),
        first_day,
        last_day,
        asked_on=today or timezone.localdate(),
        certificate=certificate,
        sudden=sudden,
        late_marriage=late_marriage,
        difficult_birth=difficult_birth,
        babies=babies,
    )
    rules = leave_rules(person)
    nights = night_shifts(person, first_day, last_day)
    found = refusals(asked, rules, blackout_days(person, first_day, last_day), nights)
    if found:
        raise ValidationError([words(r) for r in found])
    days = leave_days(asked, nights, rules)
    level, _limit = leave_approver_for(days, rules)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)  # one request at a time
        overlapping = LeaveRequest.objects.filter(
            person=person, state__in=OPEN, first_day__lte=last_day, last_day__gte=first_day
        ).first()
        if overlapping is not None:
            raise ValidationError(
                {
                    "first_day": _("This overlaps leave already asked for: %(leave)s.")
                    % {"leave": f"{overlapping.first_day}..{overlapping.last_day}"}
                }
            )
        leave = LeaveRequest.objects.create(
            person=person,
            kind=kind,
            counted_as=counted_kind(asked).value,
            first_day=first_day,
            last_day=last_day,
            days=Decimal(str(days)),
            reason=reason.strip()[:200],
            certificate=certificate,
            sudden=sudden,
            papers_due=paperwork_due(asked, rules),
            approver_level=level,
            asked_by=acting_user,
        )
        after = {"days": str(leave.days), "level": level, "kind": kind}
        audit.record("attendance.leave_requested", leave, actor=acting_user, after=after)
    return leave


def why_this_approver(leave: LeaveRequest, rules: LeaveRules | None = None) -> str:
    """'3 days: operations supervisor (ATT-02: up to 3 days)', in the reader's language."""
    rules = rules or leave_rules(leave.person)
    level, limit = leave_approver_for(float(leave.days), rules)
    label = LeaveRequest.Level(level).label if level in LEVELS else level
    if limit is None:
        return _("%(days)s days: %(level)s (ATT-02: longer requests)") % {
            "days": f"{float(leave.days):g}",
            "level": label,
        }
    return _("%(days)s days: %(level)s (ATT-02: up to %(limit)s days)") % {
        "days": f"{float(leave.days):g}",
        "level": label,
        "limit": f"{limit:g}",
    }


def with_approver_why(rows: Iterable[LeaveRequest]) -> list[LeaveRequest]:
    """The rows, each with ``approver_why`` said; the rules read once per site and vendor."""
    rules: dict[tuple[int | None, int], LeaveRules] = {}
    out = list(rows)
    for row in out:
        key = (row.person.site_id, row.person.organisation_id)
        if key not in rules:
            rules[key] = leave_rules(row.person)
        row.approver_why = why_this_approver(row, rules[key])  # type: ignore[attr-defined]
    return out


def do_decide_leave(
    leave: LeaveRequest, *, acting_user: Any, approve: bool, revision: int, answer: str = ""
) -> LeaveRequest:
    """Approve or refuse a waiting request; a request someone decided meanwhile raises
    Conflict, and nothing is written."""
    if not may_decide(acting_user, leave):
        raise PermissionDenied
    state = LeaveRequest.State.APPROVED if approve else LeaveRequest.State.REFUSED
    with transaction.atomic():
        moved = LeaveRequest.objects.filter(
            pk=leave.pk, state=LeaveRequest.State.REQUESTED, revision=revision
        ).update(
            state=state,
            revision=F("revision") + 1,
            decided_by=acting_user,
            decided_at=timezone.now(),
            answer=answer.strip()[:200],
        )
        if not moved:
            raise Conflict(_("Someone else decided this request meanwhile; reload it."))
        leave.refresh_from_db()
        audit.record(
            f"attendance.leave_{state}", leave, actor=acting_user, after={"answer": answer}
        )
    return leave


def do_withdraw_leave(leave: LeaveRequest, *, acting_user: Any) -> LeaveRequest:
    """The agent takes back a request that has not started yet."""
    me = getattr(getattr(acting_user, "profile", None), "person_id", None)
    if me != leave.person_id:
        raise PermissionDenied
    if leave.first_day <= timezone.localdate():
        raise ValidationError(_("Leave that has started cannot be withdrawn."))
    moved = LeaveRequest.objects.filter(pk=leave.pk, state__in=OPEN).update(
        state=LeaveRequest.State.WITHDRAWN, revision=F("revision") + 1
    )
    if not moved:
        raise ValidationError(_("This request is no longer open."))
    leave.refresh_from_db()
    audit.record("attendance.leave_withdrawn", leave, actor=acting_user)
    return leave


def waiting_for(user: Any, requests: QuerySet[LeaveRequest]) -> list[LeaveRequest]:
    """The waiting requests this user may decide."""
    waiting = requests.filter(state=LeaveRequest.State.REQUESTED).select_related("person")
    return [leave for leave in waiting if may_decide(user, leave)]


def leave_days_off(people: Iterable[str], first: dt.date, last: dt.date) -> dict[str, set[dt.date]]:
    """Approved leave of these people (by employee number) between two days: days off
    for the rosters made afterwards."""
    out: dict[str, set[dt.date]] = {}
    rows = LeaveRequest.objects.filter(
        person__employee_no__in=list(people),
        state=LeaveRequest.State.APPROVED,
        first_day__lte=last,
        last_day__gte=first,
    ).values_list("person__employee_no", "first_day", "last_day")
    for code, start, end in rows:
        day = max(start, first)
        while day <= min(end, last):
            out.setdefault(code, set()).add(day)
            day += dt.timedelta(days=1)
    return out


def do_add_blackout(*, acting_user: Any, day: dt.date, kind: str, note: str = "") -> BlackoutDay:
    """Name a day no leave may fall on (ATT-05)."""
    if kind not in BlackoutDay.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of blackout day.")})
    with transaction.atomic():
        row, created = BlackoutDay.objects.get_or_create(
            day=day, kind=kind, site=None, defaults={"note": note.strip()[:200]}
        )
        if created:
            audit.record("attendance.blackout_added", row, actor=acting_user)
    return row


def do_remove_blackout(row: BlackoutDay, *, acting_user: Any) -> None:
    with transaction.atomic():
        audit.record("attendance.blackout_removed", row, actor=acting_user)
        row.delete()


def shifts_on_leave(leave: LeaveRequest) -> list[RosterShift]:
    """Published shifts the person holds on their leave's days: the roster has to change
    (re-optimised, or a colleague swaps in)."""
    return list(
        RosterShift.objects.filter(
            person_id=leave.person_id,
            day__range=(leave.first_day, leave.last_day),
            roster__state="approved",
        ).order_by("day")
    )
