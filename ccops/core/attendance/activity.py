"""What an agent did during a shift, measured against what the roster planned (ATT-01).

All measures are whole seconds on one shift's timeline: second 0 is the shift start and
``length`` its end. The periods given are the agent's ACD periods of that shift day (see
``acd``), in start order, not overlapping, and may reach before 0 or after ``length``
(logging in early, staying late).

* Adherence: time in the scheduled activity over the scheduled time. On the phones
  (``ready``, ``on_call``, ``acw``) when the plan says phones; off them (``not_ready``,
  ``logged_out`` or no record) during a planned break or lunch.
* Conformance: time logged in outside planned breaks over the time planned on the
  phones. Time logged in outside the shift counts as overtime, not here, so both
  ratios stay between 0 and 1.

Both are given as a ``Ratio`` of seconds, so a clerk can check them by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from ccops.core.attendance.acd import AWAY_STATES, LOGGED_OUT, PHONE_STATES, Period, seconds
from ccops.core.attendance.punches import Shift
from ccops.core.errors import InputError

AwayKind = Literal["break", "lunch"]
Span = tuple[int, int]  # [start, end) in seconds on a shift's timeline


@dataclass(frozen=True)
class Away:
    """A planned time off the phones inside a shift: a break or lunch and its length."""

    kind: AwayKind
    start: dt.datetime
    minutes: int

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Window:
    """A stretch of time, ``end`` exclusive: an approved overtime, for one."""

    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Ratio:
    """A share of time as whole seconds over whole seconds, exact and checkable."""

    numerator: int
    denominator: int

    @property
    def value(self) -> Fraction | None:
        """The exact fraction; None when nothing was scheduled (denominator 0)."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None


@dataclass(frozen=True)
class StateSeconds:
    """Seconds inside the shift in each logged-in state; they add up to ``total``."""

    logged_in: int = 0
    ready: int = 0
    not_ready: int = 0
    on_call: int = 0
    acw: int = 0

    @property
    def total(self) -> int:
        """The time logged in inside the shift."""
        return self.logged_in + self.ready + self.not_ready + self.on_call + self.acw


@dataclass(frozen=True)
class Overtime:
    """Seconds logged in before the start and after the end, and how much was approved."""

    before_seconds: int
    after_seconds: int
    approved_seconds: int

    @property
    def worked_seconds(self) -> int:
        return self.before_seconds + self.after_seconds

    @property
    def unapproved_seconds(self) -> int:
        """Overtime logged in outside every approved window."""
        return self.worked_seconds - self.approved_seconds


def overlap_all(start: int, end: int, spans: Iterable[Span]) -> int:
    """Seconds ``[start, end)`` shares with non-overlapping ``spans``.

    Conditional expressions, not ``min``/``max``: the month's inner loops call it.
    """
    total = 0
    for low, high in spans:
        shared = (end if end < high else high) - (start if start > low else low)
        if shared > 0:
            total += shared
    return total


def merged(spans: Iterable[Span]) -> list[Span]:
    """Spans joined where they overlap or touch, in order, empty ones dropped."""
    found: list[Span] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found


def away_spans(shift: Shift, away: Iterable[Away]) -> list[Span]:
    """The planned breaks and lunch on the shift's timeline, merged where they overlap.

    Raises:
        InputError: a break or lunch of no length, or reaching outside the shift.
    """
    spans = []
    length = seconds(shift.end, shift.start)
    for planned in away:
        start = seconds(planned.start, shift.start)
        end = start + planned.minutes * 60
        if planned.minutes <= 0:
            raise InputError(planned.kind, planned.minutes, "not_positive", "must last")
        if start < 0 or end > length:
            raise InputError(planned.kind, planned.start, "out_of_range", "outside the shift")
        spans.append((start, end))
    return merged(spans)


def window_spans(windows: Iterable[Window], origin: dt.datetime) -> list[Span]:
    """Windows as merged spans of seconds from ``origin``."""
    return merged((seconds(w.start, origin), seconds(w.end, origin)) for w in windows)


def logged_in(periods: Iterable[Period]) -> list[Span]:
    """The spans logged in (any state but ``logged_out``), joined where they touch."""
    return merged((start, end) for start, end, state, _ in periods if state != LOGGED_OUT)


def first_login(periods: Sequence[Period]) -> int | None:
    """When the agent first logged in, or None if they never did."""
    return next((start for start, _, state, _ in periods if state != LOGGED_OUT), None)


def last_logout(periods: Sequence[Period]) -> int | None:
    """When the agent last stopped being logged in (cut at ``now`` if still logged in)."""
    return next((end for _, end, state, _ in reversed(periods) if state != LOGGED_OUT), None)


@dataclass(frozen=True)
class Breakdown:
    """A shift day's seconds, added up in one pass over its periods.

    Attributes:
        length: the shift's seconds.
        planned_away: seconds of planned breaks and lunch.
        states: seconds inside the shift in each logged-in state.
        on_phones: seconds on the phones on planned phone time.
        worked: seconds logged in on planned phone time.
        busy_on_break: seconds of planned breaks spent logged in and not ``not_ready``.
        overtime: seconds logged in before the start and after the end.
        first_login: the ``first_login`` of the periods.
        last_logout: the ``last_logout`` of the periods.
    """

    length: int
    planned_away: int
    states: StateSeconds
    on_phones: int
    worked: int
    busy_on_break: int
    overtime: Overtime
    first_login: int | None
    last_logout: int | None


def breakdown(
    periods: Iterable[Period], length: int, away: Sequence[Span], approved: Sequence[Span] = ()
) -> Breakdown:
    """Where the periods' seconds fall: in which state, on planned phone or break time,
    before or after the shift, inside ``approved`` overtime (spans on the same timeline).

    One pass with the arithmetic written out: a month of a whole center goes through here.
    """
    by_state = dict.fromkeys(("logged_in", "ready", "not_ready", "on_call", "acw"), 0)
    outside = _outside(approved, length)
    on_phones = worked = busy_on_break = before = after = allowed = 0
    login: int | None = None
    logout: int | None = None
    for start, end, state, _ in periods:
        if state == LOGGED_OUT:
            continue
        if login is None:
            login = start
        logout = end  # the periods are in order and do not overlap
        # conditional expressions, not min()/max(): this is the month's inner loop
        inside = (end if end < length else length) - (start if start > 0 else 0)
        if inside > 0:
            by_state[state] += inside
            in_away = overlap_all(start, end, away)
            worked += inside - in_away
            if state in PHONE_STATES:
                on_phones += inside - in_away
            if state not in AWAY_STATES:
                busy_on_break += in_away
        if start < 0:
            before += (end if end < 0 else 0) - start
        if end > length:
            after += end - (start if start > length else length)
        if outside:
            allowed += overlap_all(start, end, outside)
    return Breakdown(
        length=length,
        planned_away=sum(end - start for start, end in away),
        states=StateSeconds(**by_state),
        on_phones=on_phones,
        worked=worked,
        busy_on_break=busy_on_break,
        overtime=Overtime(before, after, allowed),
        first_login=login,
        last_logout=logout,
    )


def adherence(seen: Breakdown) -> Ratio:
    """Seconds in the planned activity over the shift's seconds: on the phones on planned
    phone time, plus planned break time not spent logged in and busy."""
    return Ratio(seen.on_phones + seen.planned_away - seen.busy_on_break, seen.length)


def conformance(seen: Breakdown) -> Ratio:
    """Seconds logged in on planned phone time over the planned phone time."""
    return Ratio(seen.worked, seen.length - seen.planned_away)


def _outside(approved: Sequence[Span], length: int) -> list[Span]:
    """The parts of ``approved`` before 0 and after ``length``."""
    parts = [(start, min(end, 0)) for start, end in approved]
    parts += [(max(start, length), end) for start, end in approved]
    return [part for part in parts if part[1] > part[0]]
