"""ATT-01: each shift day's clock punches reconciled against the agent's ACD states.

For each scheduled shift the result says when the agent first logged in and last
logged out, how long they were logged in and in which state inside the shift, their
adherence and conformance (``activity``), their overtime against what was approved,
and the discrepancies an auditor should look at (``audit``). Durations are whole
seconds; discrepancies speak in whole minutes.

Which shift day a state belongs to: each shift claims the agent's states from
``reach_minutes`` before its start to as long after its end (the same 4 hours a punch
may be from its shift); where two shifts are closer than that, the midpoint between
one's end and the next one's start divides them. A period crossing such a line, or
midnight inside a night shift's reach, is split there, so overnight shifts keep their
states whole and no second is counted for two days. Logged-in time that no shift
claims is reported per calendar day as a login without a shift (a day off).

The month helper takes a whole center's states, sorted by agent and start, and makes
one pass per agent: periods are whole-second integers, each placed in its shift's
window by bisection, and each shift day's seconds are added up in one pass, so a month
of 3,000 agents (a million state rows) takes a few seconds.

A shift not over at ``now`` is still measured against its whole length (its adherence
grows as the day goes on); a month reconciled after it ended has no such day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ccops.core.attendance.acd import (
    LOGGED_OUT,
    AgentState,
    Period,
    at,
    by_agent,
    periods,
    seconds,
)
from ccops.core.attendance.activity import (
    Away,
    Overtime,
    Ratio,
    Span,
    StateSeconds,
    Window,
    adherence,
    away_spans,
    breakdown,
    conformance,
    window_spans,
)
from ccops.core.attendance.audit import Discrepancy, ReconcileSettings, audit, off_shift
from ccops.core.attendance.days import ShiftDay
from ccops.core.attendance.punches import Shift, check_roster
from ccops.core.errors import InputError

DEFAULT_SETTINGS = ReconcileSettings()


@dataclass(frozen=True)
class DayReconciliation:
    """One shift day, the clock against the phones; durations in whole seconds.

    Attributes:
        shift_day: the shift and what its punches say (see ``days``).
        away: the breaks and lunch planned in it.
        first_login: when the agent first logged in for this shift (None: never).
        last_logout: when they last logged out (cut at ``now`` if still logged in).
        login_before_start: seconds the first login was before the start; negative
            when after it (a late login). None when never logged in.
        logout_after_end: seconds the last logout was after the end; negative when
            before it (an early logout). None when never logged in.
        states: seconds inside the shift in each logged-in state.
        adherence: seconds in the planned activity / the shift's seconds.
        conformance: seconds logged in on planned phone time / planned phone seconds.
        overtime: seconds logged in before the start and after the end, and approved.
        discrepancies: what an auditor should look at, in a fixed order of kinds.
    """

    shift_day: ShiftDay
    away: tuple[Away, ...]
    first_login: dt.datetime | None
    last_logout: dt.datetime | None
    login_before_start: int | None
    logout_after_end: int | None
    states: StateSeconds
    adherence: Ratio
    conformance: Ratio
    overtime: Overtime
    discrepancies: tuple[Discrepancy, ...]

    @property
    def shift(self) -> Shift:
        return self.shift_day.shift

    @property
    def employee(self) -> str:
        return self.shift_day.employee

    @property
    def day(self) -> dt.date:
        return self.shift_day.day

    @property
    def logged_in_seconds(self) -> int:
        """Time logged in inside the shift (the states' total)."""
        return self.states.total

    @property
    def scheduled_seconds(self) -> int:
        return (self.shift.end - self.shift.start) // dt.timedelta(seconds=1)


@dataclass(frozen=True)
class MonthReconciliation:
    """Every shift day reconciled (by employee, then start) and the logins no shift
    claims (by employee, then calendar day)."""

    days: tuple[DayReconciliation, ...]
    off_shift: tuple[Discrepancy, ...]

    @property
    def discrepancies(self) -> tuple[Discrepancy, ...]:
        """Every discrepancy: the shift days' and then the logins without a shift."""
        return (*(d for day in self.days for d in day.discrepancies), *self.off_shift)


def reconcile_day(
    day: ShiftDay,
    states: Iterable[AgentState],
    *,
    now: dt.datetime,
    away: Sequence[Away] = (),
    approved: Sequence[Window] = (),
    settings: ReconcileSettings = DEFAULT_SETTINGS,
) -> DayReconciliation:
    """One shift day against the agent's states (any of theirs: those outside the
    shift's reach are left out); open states are cut at ``now``.

    Raises:
        InputError: a state of another agent, or bad states (see ``acd.periods``), or a
            break outside the shift (see ``activity.away_spans``).
    """
    ordered = sorted(states, key=lambda state: state.start)
    for state in ordered:
        if state.agent != day.employee:
            raise InputError("agent", state.agent, "unknown", f"not {day.employee}", row=state.row)
    plans = {day.shift: tuple(away)}
    found, _ = reconcile_agent(
        [day], ordered, now=now, away=plans, approved=approved, settings=settings
    )
    return found[0]


def reconcile_month(
    days: Iterable[ShiftDay],
    states: Iterable[AgentState],
    *,
    now: dt.datetime,
    away: Mapping[Shift, Sequence[Away]] | None = None,
    approved: Mapping[str, Sequence[Window]] | None = None,
    settings: ReconcileSettings = DEFAULT_SETTINGS,
) -> MonthReconciliation:
    """Many agents' shift days at once, from their states sorted by agent and start.

    ``away`` gives each shift's planned breaks and lunch, ``approved`` each employee's
    approved overtime windows. States of agents with no shift are all logins without a
    shift; employees with shifts and no state are reconciled as never logged in.

    Raises:
        InputError: a bad roster (see ``punches.check_roster``), states not sorted by
            agent and start, or bad states or breaks (see ``reconcile_day``).
    """
    by_employee = _by_employee(days)
    shifts = [day.shift for own in by_employee.values() for day in own]
    check_roster(shifts)
    plans, allowed = away or {}, approved or {}
    check_plans(plans, shifts)
    results: dict[str, tuple[list[DayReconciliation], list[Discrepancy]]] = {}
    for agent, rows in by_agent(states):
        own = by_employee.get(agent, [])
        results[agent] = reconcile_agent(
            own, rows, now=now, away=plans, approved=allowed.get(agent, ()), settings=settings
        )
    for employee, own in by_employee.items():
        if employee not in results:
            results[employee] = reconcile_agent(
                own, [], now=now, away=plans, approved=allowed.get(employee, ()), settings=settings
            )
    ordered = sorted(results)
    return MonthReconciliation(
        tuple(day for employee in ordered for day in results[employee][0]),
        tuple(found for employee in ordered for found in results[employee][1]),
    )


def _by_employee(days: Iterable[ShiftDay]) -> dict[str, list[ShiftDay]]:
    grouped: dict[str, list[ShiftDay]] = {}
    for day in days:
        grouped.setdefault(day.employee, []).append(day)
    return grouped


def check_plans(plans: Mapping[Shift, Sequence[Away]], shifts: Iterable[Shift]) -> None:
    """Refuse breaks planned for a shift that is not among those reconciled (a key that
    does not match would otherwise leave its shift silently without breaks).

    Raises:
        InputError: naming the shift (field ``away``).
    """
    unknown = set(plans) - set(shifts)
    if unknown:
        shift = min(unknown, key=lambda shift: (shift.employee, shift.start))
        where = f"{shift.employee}'s shift of {shift.day.isoformat()}"
        raise InputError("away", where, "unknown", "no such shift is reconciled", row=shift.row)


def reconcile_agent(
    days: Sequence[ShiftDay],
    states: Sequence[AgentState],
    *,
    now: dt.datetime,
    away: Mapping[Shift, Sequence[Away]],
    approved: Sequence[Window],
    settings: ReconcileSettings,
) -> tuple[list[DayReconciliation], list[Discrepancy]]:
    """One agent's shift days (non-overlapping) against their states sorted by start:
    the days in start order, and the logins no shift claims."""
    ordered = sorted(days, key=lambda day: day.shift.start)
    if not ordered and not states:
        return [], []
    origin = ordered[0].shift.start if ordered else states[0].start
    bounds = shift_windows([day.shift for day in ordered], origin, settings.reach_minutes * 60)
    buckets, loose = split_by_window(periods(states, origin, now), bounds)
    allowed = window_spans(approved, origin)
    found = [
        day_from_periods(
            day,
            bucket,
            away.get(day.shift, ()),
            [(start - offset, end - offset) for start, end in allowed if end > lo and start < hi],
            settings,
        )
        for day, bucket, (lo, hi, offset) in zip(ordered, buckets, bounds, strict=True)
    ]
    employee = ordered[0].employee if ordered else states[0].agent
    spans = [(at(start, origin), at(end, origin)) for start, end in loose]
    return found, off_shift(employee, spans, settings)


def shift_windows(
    shifts: Sequence[Shift], origin: dt.datetime, reach: int
) -> list[tuple[int, int, int]]:
    """Each shift's claim on the timeline in seconds from ``origin``: ``(lo, hi, start)``.

    ``shifts`` are one agent's, in start order, not overlapping; the claims do not
    overlap either (see the module notes).
    """
    starts = [seconds(shift.start, origin) for shift in shifts]
    ends = [seconds(shift.end, origin) for shift in shifts]
    windows = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        lo, hi = start - reach, end + reach
        if index:
            lo = max(lo, (ends[index - 1] + start) // 2)
        if index + 1 < len(starts):
            hi = min(hi, (end + starts[index + 1]) // 2)
        windows.append((lo, hi, start))
    return windows


def split_by_window(
    found: Sequence[Period], windows: Sequence[tuple[int, int, int]]
) -> tuple[list[list[Period]], list[Span]]:
    """Periods cut by the shift windows, each part on its shift's timeline (second 0 at
    its start), and the logged-in spans no window claims (on the common timeline)."""
    his = [hi for _, hi, _ in windows]
    buckets: list[list[Period]] = [[] for _ in windows]
    loose: list[Span] = []
    for start, end, state, reason in found:
        index = bisect_right(his, start)
        if index < len(windows):
            lo, hi, offset = windows[index]
            if lo <= start and end <= hi:  # the common case: inside one shift's claim
                buckets[index].append((start - offset, end - offset, state, reason))
                continue
        cursor = start
        while index < len(windows) and windows[index][0] < end:
            lo, hi, offset = windows[index]
            if cursor < lo and state != LOGGED_OUT:
                loose.append((cursor, lo))
            cursor = min(end, hi)
            buckets[index].append((max(start, lo) - offset, cursor - offset, state, reason))
            index += 1
        if cursor < end and state != LOGGED_OUT:
            loose.append((cursor, end))
    return buckets, loose


def day_from_periods(
    day: ShiftDay,
    found: Sequence[Period],
    away: Sequence[Away],
    approved: Sequence[Span],
    settings: ReconcileSettings,
) -> DayReconciliation:
    """The reconciliation of one shift day from its periods on the shift's timeline."""
    origin = day.shift.start
    length = (day.shift.end - origin) // dt.timedelta(seconds=1)
    planned = away_spans(day.shift, away)
    seen = breakdown(found, length, planned, approved)
    login, logout = seen.first_login, seen.last_logout
    return DayReconciliation(
        shift_day=day,
        away=tuple(away),
        first_login=None if login is None else at(login, origin),
        last_logout=None if logout is None else at(logout, origin),
        login_before_start=None if login is None else -login,
        logout_after_end=None if logout is None else logout - length,
        states=seen.states,
        adherence=adherence(seen),
        conformance=conformance(seen),
        overtime=seen.overtime,
        discrepancies=audit(day, found, planned, seen, settings),
    )
