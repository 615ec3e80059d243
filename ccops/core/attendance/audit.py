"""The clock against the phones: what an ATT-01 audit of a shift day should look at.

Each discrepancy has a kind code, the whole minutes involved (seconds dropped; None
when nothing is measured, as for a missing punch), the rule it comes from and an English
sentence with ``%(name)s`` placeholders filled from its facts, which the web layer
translates. A threshold of N minutes is passed when more than N minutes (to the second)
are involved, so 15 minutes and 1 second is over 15 minutes and 15 minutes is not.

Clock times are compared at the second, as the phones log them (the fines, which count
at the minute the clock shows, are ``days``' business).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ccops.core.attendance.acd import NOT_READY, Period, at, seconds
from ccops.core.attendance.activity import Breakdown, Span, logged_in
from ccops.core.attendance.activity import overlap_all as _overlap_all
from ccops.core.attendance.days import MISSING_IN, MISSING_OUT, ShiftDay
from ccops.core.words import Facts, Worded, facts, gettext_noop

ATT_01 = "ATT-01"
FLOOR_03 = "FLOOR-03"
ABSENT_BUT_LOGGED_IN = "absent_but_logged_in"
NEVER_LOGGED_IN = "clocked_in_never_logged_in"
LOGIN_BEFORE_CLOCK_IN = "login_before_clock_in"
LOGIN_AFTER_CLOCK_IN = "login_after_clock_in"
LOGOUT_AFTER_CLOCK_OUT = "logout_after_clock_out"
LOGOUT_BEFORE_CLOCK_OUT = "logout_before_clock_out"
LOGGED_IN_WHILE_CLOCKED_OUT = "logged_in_while_clocked_out"
UNAPPROVED_OVERTIME = "unapproved_overtime"
LOGIN_WITHOUT_SHIFT = "login_without_shift"
BREAK_OVERRUN = "break_overrun"


@dataclass(frozen=True)
class ReconcileSettings:
    """The thresholds of the audit, in whole minutes; the web layer fills them from
    rule values (``max_away_minutes`` is FLOOR-03's).

    Attributes:
        login_before_clock_in_minutes: logged in this much before clocking in.
        login_after_clock_in_minutes: clocked in, logged in this much later.
        logout_after_clock_out_minutes: still logged in this much after clocking out.
        logout_before_clock_out_minutes: logged out this much before clocking out.
        logged_in_while_clocked_out_minutes: logged in between an out and the next in.
        unapproved_overtime_minutes: logged in outside the shift and approved overtime.
        off_shift_minutes: logged in on a calendar day's time that belongs to no shift.
        max_away_minutes: a not-ready stretch longer than its planned break by this (FLOOR-03).
        reach_minutes: how far before its start and after its end a shift claims the
            agent's states (4 hours, as for punches); between two shifts closer than
            twice this, the midpoint divides.
    """

    login_before_clock_in_minutes: int = 15
    login_after_clock_in_minutes: int = 15
    logout_after_clock_out_minutes: int = 15
    logout_before_clock_out_minutes: int = 15
    logged_in_while_clocked_out_minutes: int = 15
    unapproved_overtime_minutes: int = 15
    off_shift_minutes: int = 0
    max_away_minutes: int = 5
    reach_minutes: int = 240


@dataclass(frozen=True)
class Discrepancy(Worded):
    """One thing an auditor should look at on an employee's day."""

    employee: str
    day: dt.date
    kind: str
    rule: str
    minutes: int | None
    template: str  # English, with %(name)s placeholders filled from ``facts``
    facts: Facts = ()

    @property
    def words(self) -> str:
        return f"{self.employee} on {self.day.isoformat()}: {self.detail}"


def audit(
    day: ShiftDay,
    periods: Sequence[Period],
    away: Sequence[Span],
    seen: Breakdown,
    settings: ReconcileSettings,
) -> tuple[Discrepancy, ...]:
    """Every discrepancy of one shift day, from its periods on the shift's timeline and
    their ``breakdown``."""
    return (
        *presence(day, seen),
        *missing_punches(day, seen),
        *login_against_clock_in(day, seen, settings),
        *logout_against_clock_out(day, seen, settings),
        *logged_in_while_clocked_out(day, periods, settings),
        *break_overruns(day, periods, away, seen.length, settings),
        *unapproved_overtime(day, seen, settings),
    )


def presence(day: ShiftDay, seen: Breakdown) -> Iterator[Discrepancy]:
    """Absent by the clock but logged in; or on the clock and never logged in."""
    logged = seen.states.total + seen.overtime.worked_seconds
    if day.absent and logged:
        template = gettext_noop("no clock punch, yet logged in for %(minutes)s minutes")
        yield _found(day, ABSENT_BUT_LOGGED_IN, logged // 60, template)
    elif not day.absent and not logged:
        minutes = (day.shift.end - day.shift.start) // dt.timedelta(minutes=1)
        template = gettext_noop("on the clock but never logged in to the phones")
        yield _found(day, NEVER_LOGGED_IN, minutes, template)


def missing_punches(day: ShiftDay, seen: Breakdown) -> Iterator[Discrepancy]:
    """The ``days`` flags carried over, with what the phones show instead."""
    login, logout = seen.first_login, seen.last_logout
    if MISSING_IN in day.flags and login is None:
        yield _found(day, MISSING_IN, None, gettext_noop("no clock-in and no login"))
    elif MISSING_IN in day.flags and login is not None:
        template = gettext_noop("no clock-in; the phones show the first login at %(time)s")
        yield _found(day, MISSING_IN, None, template, facts(time=_clock(day, login)))
    if MISSING_OUT in day.flags and logout is None:
        yield _found(day, MISSING_OUT, None, gettext_noop("no clock-out and no login"))
    elif MISSING_OUT in day.flags and logout is not None:
        template = gettext_noop("no clock-out; the phones show the last logout at %(time)s")
        yield _found(day, MISSING_OUT, None, template, facts(time=_clock(day, logout)))


def login_against_clock_in(
    day: ShiftDay, seen: Breakdown, settings: ReconcileSettings
) -> Iterator[Discrepancy]:
    """The first login far from the first clock-in, either way."""
    clock_in = next((p.at for p in day.punches if p.direction == "in"), None)
    login = seen.first_login
    if clock_in is None or login is None or MISSING_IN in day.flags:
        return
    gap = seconds(clock_in, day.shift.start) - login
    if gap > settings.login_before_clock_in_minutes * 60:
        said = facts(login=_clock(day, login), clock_in=_hhmm(clock_in))
        template = gettext_noop(
            "logged in at %(login)s, %(minutes)s minutes before clocking in at %(clock_in)s"
        )
        yield _found(day, LOGIN_BEFORE_CLOCK_IN, gap // 60, template, said)
    elif -gap > settings.login_after_clock_in_minutes * 60:
        said = facts(login=_clock(day, login), clock_in=_hhmm(clock_in))
        template = gettext_noop(
            "clocked in at %(clock_in)s, logged in only at %(login)s, %(minutes)s minutes later"
        )
        yield _found(day, LOGIN_AFTER_CLOCK_IN, -gap // 60, template, said)


def logout_against_clock_out(
    day: ShiftDay, seen: Breakdown, settings: ReconcileSettings
) -> Iterator[Discrepancy]:
    """The last logout far from the last clock-out, either way."""
    clock_out = next((p.at for p in reversed(day.punches) if p.direction == "out"), None)
    logout = seen.last_logout
    if clock_out is None or logout is None or MISSING_OUT in day.flags:
        return
    gap = logout - seconds(clock_out, day.shift.start)
    if gap > settings.logout_after_clock_out_minutes * 60:
        said = facts(logout=_clock(day, logout), clock_out=_hhmm(clock_out))
        template = gettext_noop(
            "logged out at %(logout)s, %(minutes)s minutes after clocking out at %(clock_out)s"
        )
        yield _found(day, LOGOUT_AFTER_CLOCK_OUT, gap // 60, template, said)
    elif -gap > settings.logout_before_clock_out_minutes * 60:
        said = facts(logout=_clock(day, logout), clock_out=_hhmm(clock_out))
        template = gettext_noop(
            "logged out at %(logout)s, %(minutes)s minutes before clocking out at %(clock_out)s"
        )
        yield _found(day, LOGOUT_BEFORE_CLOCK_OUT, -gap // 60, template, said)


def logged_in_while_clocked_out(
    day: ShiftDay, periods: Sequence[Period], settings: ReconcileSettings
) -> Iterator[Discrepancy]:
    """Logged in between a clock-out and the next clock-in (someone else on the login?).

    The day's last clock-out is ``logout_against_clock_out``'s business.
    """
    pairs = [
        (out, back)
        for out, back in zip(day.punches, day.punches[1:], strict=False)
        if (out.direction, back.direction) == ("out", "in")
    ]
    spans = logged_in(periods) if pairs else []
    for out, back in pairs:
        start, end = seconds(out.at, day.shift.start), seconds(back.at, day.shift.start)
        logged = _overlap_all(start, end, spans)
        if logged > settings.logged_in_while_clocked_out_minutes * 60:
            template = gettext_noop(
                "clocked out at %(clock_out)s and in at %(clock_in)s, "
                "logged in for %(minutes)s minutes in between"
            )
            said = facts(clock_out=_hhmm(out.at), clock_in=_hhmm(back.at))
            yield _found(day, LOGGED_IN_WHILE_CLOCKED_OUT, logged // 60, template, said)


def break_overruns(
    day: ShiftDay,
    periods: Sequence[Period],
    away: Sequence[Span],
    length: int,
    settings: ReconcileSettings,
) -> Iterator[Discrepancy]:
    """FLOOR-03: a stretch not ready inside the shift ``[0, length)`` longer than the
    breaks planned in it by more than ``max_away_minutes`` (with no break planned in it,
    longer than that at all). Not ready before the start or after the end is not time
    away from work but overtime's business."""
    for first, last, reasons in not_ready_stretches(periods):
        start, end = max(first, 0), min(last, length)
        planned = _overlap_all(start, end, away)
        over = end - start - planned
        if over > settings.max_away_minutes * 60:
            template = gettext_noop(
                "not ready (%(reason)s) from %(start)s to %(end)s, %(minutes)s minutes over "
                "the %(planned)s minutes planned; at most %(most)s minutes over"
            )
            said = facts(
                reason=", ".join(reasons) or "-",
                start=_clock(day, start),
                end=_clock(day, end),
                planned=planned // 60,
                most=settings.max_away_minutes,
            )
            yield _found(day, BREAK_OVERRUN, over // 60, template, said, rule=FLOOR_03)


def not_ready_stretches(periods: Sequence[Period]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Not-ready periods joined where one follows the other at once (the reason changed),
    with their distinct reasons in order."""
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for start, end, state, reason in periods:
        if state != NOT_READY:
            continue
        if found and found[-1][1] == start:
            first, _, reasons = found[-1]
            more = () if not reason or reason in reasons else (reason,)
            found[-1] = (first, end, reasons + more)
        else:
            found.append((start, end, (reason,) if reason else ()))
    return found


def unapproved_overtime(
    day: ShiftDay, seen: Breakdown, settings: ReconcileSettings
) -> Iterator[Discrepancy]:
    """Logged in outside the shift for longer than the threshold, not approved."""
    extra = seen.overtime
    if extra.unapproved_seconds > settings.unapproved_overtime_minutes * 60:
        template = gettext_noop(
            "logged in %(minutes)s minutes outside the shift without approved overtime"
        )
        yield _found(day, UNAPPROVED_OVERTIME, extra.unapproved_seconds // 60, template)


def off_shift(
    employee: str, spans: Sequence[tuple[dt.datetime, dt.datetime]], settings: ReconcileSettings
) -> list[Discrepancy]:
    """Logged in on time no shift claims, per calendar day, over the threshold."""
    per_day: dict[dt.date, int] = {}
    for start, end in spans:
        for day, logged in _by_calendar_day(start, end):
            per_day[day] = per_day.get(day, 0) + logged
    template = gettext_noop("logged in for %(minutes)s minutes with no shift that day")
    return [
        Discrepancy(
            employee,
            day,
            LOGIN_WITHOUT_SHIFT,
            ATT_01,
            logged // 60,
            template,
            facts(minutes=logged // 60),
        )
        for day, logged in sorted(per_day.items())
        if logged > settings.off_shift_minutes * 60
    ]


def _by_calendar_day(start: dt.datetime, end: dt.datetime) -> Iterator[tuple[dt.date, int]]:
    while start < end:
        midnight = dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time(), start.tzinfo)
        yield start.date(), seconds(min(end, midnight), start)
        start = midnight


def _found(
    day: ShiftDay,
    kind: str,
    minutes: int | None,
    template: str,
    said: Facts = (),
    rule: str = ATT_01,
) -> Discrepancy:
    return Discrepancy(
        day.employee, day.day, kind, rule, minutes, template, (*said, *facts(minutes=minutes))
    )


def _clock(day: ShiftDay, offset: int) -> str:
    return _hhmm(at(offset, day.shift.start))


def _hhmm(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")
