"""Leave rules (ATT-02..07): who approves a request and why, how far ahead it must be
asked, the days it may not fall on, how many days it counts for, and what each kind
of leave entitles to. Every number comes from the rule values a center sets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ccops.core.errors import InputError
from ccops.core.words import Facts, Worded, gettext_noop


class LeaveKind(StrEnum):
    MARRIAGE = "marriage"
    MATERNITY = "maternity"
    BEREAVEMENT = "bereavement"
    SICK = "sick"
    PERSONAL = "personal"
    ANNUAL = "annual"


@dataclass(frozen=True)
class LeaveRules:
    """The center's leave rules: ATT-02 approvers by length, ATT-03 lead times, ATT-05
    blackout kinds, ATT-06 night-shift weight, ATT-07 entitlements."""

    approvers: tuple[tuple[float | None, str], ...]  # (longest request in days, level)
    lead_days: Mapping[str, int]
    sudden_illness_paperwork_days: int
    blackout_kinds: frozenset[str]
    night_shift_leave_days: float
    entitlements: Mapping[str, float]

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> LeaveRules:
        """From the rule values by id (``{"ATT-02": {...}, ...}``)."""
        return cls(
            approvers=tuple((limit, level) for limit, level in values["ATT-02"]["approvers"]),
            lead_days=dict(values["ATT-03"]["lead_days"]),
            sudden_illness_paperwork_days=int(values["ATT-03"]["sudden_illness_paperwork_days"]),
            blackout_kinds=frozenset(values["ATT-05"]["blackout"]),
            night_shift_leave_days=float(values["ATT-06"]["night_shift_leave_days"]),
            entitlements={k: v for k, v in values["ATT-07"].items() if _numeric(v)},
        )


@dataclass(frozen=True)
class Refusal(Worded):
    """Why a request cannot be made as asked: the rule, and the words (English, marked
    for translation, with ``facts`` for its placeholders)."""

    rule: str
    template: str
    facts: Facts = ()

    @property
    def words(self) -> str:
        return self.detail


@dataclass(frozen=True)
class LeaveRequest:
    """What an agent asks for: the kind, the days, whether a hospital certificate
    comes with a sick leave, and the facts entitlements depend on."""

    kind: LeaveKind
    first_day: dt.date
    last_day: dt.date
    asked_on: dt.date
    certificate: bool = False
    sudden: bool = False  # sudden illness: asked on the day, papers follow
    late_marriage: bool = False
    difficult_birth: bool = False
    babies: int = 1

    def dates(self) -> list[dt.date]:
        days = (self.last_day - self.first_day).days
        return [self.first_day + dt.timedelta(days=d) for d in range(days + 1)]


def counted_kind(request: LeaveRequest) -> LeaveKind:
    """ATT-04: sick leave without a hospital certificate counts as personal leave."""
    if request.kind == LeaveKind.SICK and not request.certificate:
        return LeaveKind.PERSONAL
    return request.kind


def leave_days(request: LeaveRequest, night_shifts: Iterable[dt.date], rules: LeaveRules) -> float:
    """Days the request counts for: each rostered night shift in it counts as
    ``night_shift_leave_days`` (ATT-06: two), every other day as one."""
    nights = set(night_shifts)
    return sum(rules.night_shift_leave_days if d in nights else 1.0 for d in request.dates())


def leave_approver_for(days: float, rules: LeaveRules) -> tuple[str, float | None]:
    """ATT-02: the level that approves a request of ``days``, and the longest request
    that level may approve (None: no limit)."""
    for limit, level in rules.approvers:
        if limit is None or days <= limit:
            return level, limit
    limit, level = rules.approvers[-1]
    return level, limit


def entitlement(request: LeaveRequest, rules: LeaveRules) -> float | None:
    """ATT-07: the most days this kind of leave gives (None: not capped by a rule)."""
    e = rules.entitlements
    if request.kind == LeaveKind.MARRIAGE:
        return e["marriage"] + (e["late_marriage_extra"] if request.late_marriage else 0.0)
    if request.kind == LeaveKind.MATERNITY:
        extra = e["difficult_birth_extra"] if request.difficult_birth else 0.0
        return e["maternity"] + extra + e["extra_baby_extra"] * max(request.babies - 1, 0)
    if request.kind == LeaveKind.BEREAVEMENT:
        return e["bereavement_max"]
    if request.kind == LeaveKind.ANNUAL:
        return e.get("annual_days", 0.0)
    return None


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_late_marriage(age_at_marriage: int, sex: str, rules: LeaveRules) -> bool:
    """ATT-07: men marrying at 25 or later, women at 23 or later."""
    e = rules.entitlements
    limit = e["late_marriage_age_men"] if sex == "m" else e["late_marriage_age_women"]
    return age_at_marriage >= int(limit)


def refusals(
    request: LeaveRequest,
    rules: LeaveRules,
    blackout: Mapping[dt.date, str],
    night_shifts: Iterable[dt.date] = (),
) -> list[Refusal]:
    """Every rule the request breaks as asked; empty when it may go to its approver.
    ``blackout`` names the kind of each blocked day (public holiday, billing day...)."""
    if request.last_day < request.first_day:
        raise InputError("last_day", str(request.last_day), "out_of_range", "before the first day")
    found = [*_lead_time(request, rules), *_blackout(request, rules, blackout)]
    most = entitlement(request, rules)
    counted = leave_days(request, night_shifts, rules)
    if request.kind == LeaveKind.ANNUAL and not most:
        found.append(Refusal("ATT-07", gettext_noop("this center gives no annual leave")))
    elif most is not None and counted > most:
        template = gettext_noop("%(days)s days asked, %(kind)s leave gives at most %(most)s")
        facts = (("days", _number(counted)), ("kind", request.kind.value), ("most", most))
        found.append(Refusal("ATT-07", template, facts))
    return found


def _lead_time(request: LeaveRequest, rules: LeaveRules) -> Iterable[Refusal]:
    ahead = (request.first_day - request.asked_on).days
    if request.kind == LeaveKind.SICK and request.sudden:
        return  # ATT-03: sudden illness is asked on the day, papers within the set days
    need = rules.lead_days.get(request.kind.value, rules.lead_days.get("personal", 0))
    if ahead < need:
        template = gettext_noop("%(kind)s leave is asked %(need)s days ahead, this is %(ahead)s")
        facts = (("kind", request.kind.value), ("need", need), ("ahead", max(ahead, 0)))
        yield Refusal("ATT-03", template, facts)


def _blackout(
    request: LeaveRequest, rules: LeaveRules, blackout: Mapping[dt.date, str]
) -> Iterable[Refusal]:
    for day in request.dates():
        kind = blackout.get(day)
        if kind is not None and kind in rules.blackout_kinds:
            template = gettext_noop("no leave on %(day)s (%(why)s): swap shifts with a colleague")
            yield Refusal("ATT-05", template, (("day", day.isoformat()), ("why", kind)))


def paperwork_due(request: LeaveRequest, rules: LeaveRules) -> dt.date | None:
    """ATT-03: the day a sudden illness's papers are due (None for other requests)."""
    if request.kind == LeaveKind.SICK and request.sudden:
        return request.first_day + dt.timedelta(days=rules.sudden_illness_paperwork_days)
    return None


def _number(value: float) -> str:
    return f"{value:g}"
