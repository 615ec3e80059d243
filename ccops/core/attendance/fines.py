"""A month's attendance fines for one employee, each line naming its rule and events.

The rules (amounts from an ``AttendancePolicy``, never from here):

* ATT-08, per incident: each late arrival and each early leave of 1 minute up to the
  ATT-09 threshold is one incident, fined by its band (``<= 5`` min, ``<= 10`` min,
  then ``fine_above_last_band`` up to the threshold). A day both late and early has
  two incidents and two fines.
* ATT-09: over the threshold (30 min) late or early is a half-day absence instead of a
  lateness fine; late *and* early over it on one day are two half days.
* ATT-08, surcharges: a surcharge is reached when ``in_a_row`` consecutive *scheduled*
  days each have an incident (days off between them do not break the run; a scheduled
  day without an incident does, whether worked, absent, half-day absent or flagged),
  or when the month has ``in_month`` incidents (late and early counted apart). Each is
  paid once a month, on the day first reached; surcharges add up (20 + 50 = 70).
  Half-day absences are absences, not incidents, so they count towards neither.
* ATT-10: a scheduled day with no punch at all is an absent day, fined the day fine;
  a half-day absence pays half, rounded half-up to the cent. Any absence, full or
  half, loses the monthly bonus. Dismissal is flagged when the month's absence days
  reach ``dismissal_days``, a half day counting 0.5 (so two half days are one day).

Missing punches are not fined on the missing side (see ``days``). Only the days given
count: the caller passes one employee's scheduled days of one month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ccops.core.attendance.days import ShiftDay
from ccops.core.attendance.policy import AttendancePolicy, Surcharge

LATE = "late"
EARLY = "early"
ABSENT = "absent"
NO_MONTHLY_BONUS = "no_monthly_bonus"
DISMISSAL = "dismissal"
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Event:
    """What happened on a shift day: late or early by some minutes, or absent."""

    day: dt.date
    kind: str
    minutes: int | None = None

    def describe(self) -> str:
        """``2026-10-05 late 3 min`` or ``2026-10-07 absent``."""
        minutes = "" if self.minutes is None else f" {self.minutes} min"
        return f"{self.day.isoformat()} {self.kind}{minutes}"


@dataclass(frozen=True)
class FineLine:
    """One amount to pay, with the rule that asks for it and the events behind it."""

    employee: str
    rule: str
    amount: Decimal
    reason: str
    events: tuple[Event, ...]

    def explain(self) -> str:
        """One line a clerk can read out: rule, amount, reason and the events."""
        events = "; ".join(event.describe() for event in self.events)
        return f"{self.rule} {self.amount}: {self.reason} [{events}]"


@dataclass(frozen=True)
class Consequence:
    """A consequence that is not an amount (ATT-10: no monthly bonus, dismissal)."""

    employee: str
    rule: str
    kind: str
    reason: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class MonthFines:
    """One employee's month: the fine lines, the consequences and what they count.

    Attributes:
        incidents: lateness and early leaves fined under ATT-08, in time order.
        half_days: late arrivals and early leaves over the ATT-09 threshold.
        absences: scheduled days with no punch.
        days: the month's scheduled days, assessed, in time order.
    """

    employee: str
    days: tuple[ShiftDay, ...]
    incidents: tuple[Event, ...]
    half_days: tuple[Event, ...]
    absences: tuple[Event, ...]
    lines: tuple[FineLine, ...]
    consequences: tuple[Consequence, ...]

    @property
    def total(self) -> Decimal:
        """The sum of the fine lines (0.00 when there are none)."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def late_count(self) -> int:
        """Late arrivals fined as lateness (over the threshold they are half days)."""
        return sum(1 for event in self.incidents if event.kind == LATE)

    @property
    def early_count(self) -> int:
        """Early leaves fined as such (over the threshold they are half days)."""
        return sum(1 for event in self.incidents if event.kind == EARLY)

    @property
    def absence_days(self) -> Decimal:
        """Full absent days plus half a day per half-day absence (for dismissal)."""
        return len(self.absences) + HALF * len(self.half_days)

    @property
    def dismissal(self) -> bool:
        return any(c.kind == DISMISSAL for c in self.consequences)

    @property
    def no_monthly_bonus(self) -> bool:
        return any(c.kind == NO_MONTHLY_BONUS for c in self.consequences)

    @property
    def flagged(self) -> tuple[ShiftDay, ...]:
        """Days with a missing punch, for a clerk to settle."""
        return tuple(day for day in self.days if day.flags)


def month_fines(employee: str, days: Iterable[ShiftDay], policy: AttendancePolicy) -> MonthFines:
    """The fines of one employee's scheduled days of one month (see the module notes)."""
    ordered = tuple(sorted(days, key=lambda day: day.shift.start))
    per_day = [day_incidents(day, policy) for day in ordered]
    incidents = tuple(event for events in per_day for event in events)
    half_days = tuple(event for day in ordered for event in half_day_absences(day, policy))
    absences = tuple(Event(day.day, ABSENT) for day in ordered if day.absent)
    lines = (
        *(lateness_line(employee, event, policy) for event in incidents),
        *surcharge_lines(employee, per_day, policy),
        *(half_day_line(employee, event, policy) for event in half_days),
        *(absence_line(employee, event, policy) for event in absences),
    )
    return MonthFines(
        employee=employee,
        days=ordered,
        incidents=incidents,
        half_days=half_days,
        absences=absences,
        lines=lines,
        consequences=consequences(employee, absences, half_days, policy),
    )


def day_events(day: ShiftDay) -> tuple[Event, ...]:
    """The day's late arrival and early leave (those measured and above 0 minutes)."""
    found = ((LATE, day.late_minutes), (EARLY, day.early_minutes))
    return tuple(Event(day.day, kind, minutes) for kind, minutes in found if minutes)


def day_incidents(day: ShiftDay, policy: AttendancePolicy) -> tuple[Event, ...]:
    """The day's ATT-08 incidents: late or early, but not past the half-day threshold."""
    return tuple(e for e in day_events(day) if not policy.is_half_day(_minutes(e)))


def half_day_absences(day: ShiftDay, policy: AttendancePolicy) -> tuple[Event, ...]:
    """The day's ATT-09 half-day absences: late or early past the threshold."""
    return tuple(e for e in day_events(day) if policy.is_half_day(_minutes(e)))


def lateness_line(employee: str, event: Event, policy: AttendancePolicy) -> FineLine:
    """ATT-08: the band's fine for one late arrival or early leave."""
    minutes = _minutes(event)
    reason = f"{event.kind} {minutes} min ({policy.band_label(minutes)})"
    return FineLine(employee, "ATT-08", policy.lateness_fine(minutes), reason, (event,))


def half_day_line(employee: str, event: Event, policy: AttendancePolicy) -> FineLine:
    """ATT-09: half the ATT-10 day fine for being late or early past the threshold."""
    reason = (
        f"{event.kind} {_minutes(event)} min, over {policy.half_day_after_minutes} min: "
        "half-day absence, half the ATT-10 day fine"
    )
    return FineLine(employee, "ATT-09", policy.half_day_fine, reason, (event,))


def absence_line(employee: str, event: Event, policy: AttendancePolicy) -> FineLine:
    """ATT-10: the day fine for a scheduled day without a punch."""
    reason = "absent: scheduled and no punch, the ATT-10 day fine"
    return FineLine(employee, "ATT-10", policy.fine_per_day, reason, (event,))


def surcharge_lines(
    employee: str, per_day: Sequence[tuple[Event, ...]], policy: AttendancePolicy
) -> tuple[FineLine, ...]:
    """ATT-08 surcharges reached in the month, each once, from the incidents per
    scheduled day in time order."""
    lines = []
    for surcharge in policy.surcharges:
        reached = surcharge_reached(per_day, surcharge)
        if reached is not None:
            reason, events = reached
            lines.append(FineLine(employee, "ATT-08", surcharge.amount, reason, events))
    return tuple(lines)


def surcharge_reached(
    per_day: Sequence[tuple[Event, ...]], surcharge: Surcharge
) -> tuple[str, tuple[Event, ...]] | None:
    """Why and by which events ``surcharge`` is first reached, or None if it is not.

    The events are the run of days in a row, or the month's first ``in_month``
    incidents, or both when both are reached on the same day.
    """
    run: list[Event] = []
    run_days = 0
    seen: list[Event] = []
    for events in per_day:
        run, run_days = ([*run, *events], run_days + 1) if events else ([], 0)
        seen.extend(events)
        in_a_row = run_days >= surcharge.in_a_row
        in_month = len(seen) >= surcharge.in_month
        if in_a_row or in_month:
            behind = set(run) if in_a_row else set()
            if in_month:
                behind.update(seen[: surcharge.in_month])
            reason = _surcharge_reason(surcharge, in_a_row=in_a_row, in_month=in_month)
            return reason, tuple(event for event in seen if event in behind)
    return None


def consequences(
    employee: str,
    absences: Sequence[Event],
    half_days: Sequence[Event],
    policy: AttendancePolicy,
) -> tuple[Consequence, ...]:
    """ATT-10's consequences: no monthly bonus on any absence; dismissal at the threshold."""
    events = tuple(sorted((*absences, *half_days), key=lambda event: event.day))
    if not events:
        return ()
    days = len(absences) + HALF * len(half_days)
    found = [Consequence(employee, "ATT-10", NO_MONTHLY_BONUS, "absent in the month", events)]
    if days >= policy.dismissal_days:
        reason = (
            f"{_days_text(days)} absence days in the month (a half day counts 0.5), "
            f"at or over {_days_text(policy.dismissal_days)}"
        )
        found.append(Consequence(employee, "ATT-10", DISMISSAL, reason, events))
    return tuple(found)


def _surcharge_reason(surcharge: Surcharge, *, in_a_row: bool, in_month: bool) -> str:
    why = []
    if in_a_row:
        why.append(f"{surcharge.in_a_row} scheduled days in a row late or early")
    if in_month:
        why.append(f"{surcharge.in_month} lateness or early leave incidents in the month")
    return "surcharge: " + " and ".join(why)


def _days_text(days: Decimal) -> str:
    """3 or 2.5, never 3.0 or 1E+1."""
    return f"{days.normalize():f}"


def _minutes(event: Event) -> int:
    return event.minutes or 0
