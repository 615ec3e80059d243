"""What a scheduled shift's punches say: present or absent, minutes late, minutes early.

Missing punches are flagged, never guessed. A shift day is flagged ``missing_in`` when
it has no ``in`` punch, or an ``out`` before its first ``in`` (the person was there
before the ``in`` says, so their arrival is unknown); it is flagged ``missing_out`` when
it has no ``out``, or an ``in`` after its last ``out`` (they came back and their leaving
is unknown). A flagged side is not measured, hence never fined: ``late_minutes`` is
``None`` on a ``missing_in`` day, ``early_minutes`` on a ``missing_out`` day. The other
side is still measured. A day with no punch at all is an absence, not a flag.

Clock-out before clock-in is different: when a day's every ``out`` precedes its every
``in`` (its last ``out`` is before its first ``in``), the pair contradicts itself, and
that is bad input, not a missing punch.

Minutes are counted at the minute the clock shows (seconds dropped): a punch at
08:05:59 for an 08:00 start is 5 minutes late, an ``out`` at 16:54:30 for a 17:00 end
leaves 6 minutes early, so a clerk reading HH:MM counts what the rules count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ccops.core.attendance.punches import Attribution, Punch, Shift
from ccops.core.errors import InputError

MISSING_IN = "missing_in"
MISSING_OUT = "missing_out"
_MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class ShiftDay:
    """One scheduled shift as the clock saw it.

    Attributes:
        shift: the scheduled shift.
        punches: the punches attributed to it, in time order.
        late_minutes: minutes after the start of the first ``in`` (0 when on time;
            ``None`` when absent or flagged ``missing_in``).
        early_minutes: minutes before the end of the last ``out`` (0 when not early;
            ``None`` when absent or flagged ``missing_out``).
        flags: ``missing_in`` and/or ``missing_out``, in that order.
    """

    shift: Shift
    punches: tuple[Punch, ...]
    late_minutes: int | None
    early_minutes: int | None
    flags: tuple[str, ...]

    @property
    def absent(self) -> bool:
        """Scheduled and not a single punch."""
        return not self.punches

    @property
    def day(self) -> dt.date:
        return self.shift.day

    @property
    def employee(self) -> str:
        return self.shift.employee


def late_minutes(shift: Shift, punch: Punch) -> int:
    """Whole minutes from the shift start to the ``in`` punch as the clock shows it, >= 0."""
    return max(0, (_on_the_minute(punch.at) - shift.start) // _MINUTE)


def early_minutes(shift: Shift, punch: Punch) -> int:
    """Whole minutes from the ``out`` punch as the clock shows it to the shift end, >= 0."""
    return max(0, (shift.end - _on_the_minute(punch.at)) // _MINUTE)


def assess_shift(shift: Shift, punches: Sequence[Punch]) -> ShiftDay:
    """The shift's presence, lateness, early leave and flags from its punches.

    Raises:
        InputError: the day's last ``out`` is before its first ``in`` (named on the
            ``out`` row, field ``punch_time``).
    """
    ordered = tuple(sorted(punches, key=lambda punch: punch.at))
    if not ordered:
        return ShiftDay(shift, ordered, None, None, ())
    ins = [punch for punch in ordered if punch.direction == "in"]
    outs = [punch for punch in ordered if punch.direction == "out"]
    if ins and outs and outs[-1].at < ins[0].at:
        raise _out_before_in(outs[-1], ins[0])
    missing_in = not ins or (bool(outs) and outs[0].at < ins[0].at)
    missing_out = not outs or (bool(ins) and ins[-1].at > outs[-1].at)
    flags = tuple(
        flag for flag, raised in ((MISSING_IN, missing_in), (MISSING_OUT, missing_out)) if raised
    )
    return ShiftDay(
        shift=shift,
        punches=ordered,
        late_minutes=None if missing_in else late_minutes(shift, ins[0]),
        early_minutes=None if missing_out else early_minutes(shift, outs[-1]),
        flags=flags,
    )


def assess(attribution: Attribution) -> tuple[ShiftDay, ...]:
    """Every scheduled shift of an attribution, assessed, in roster order."""
    return tuple(assess_shift(shift, punches) for shift, punches in attribution.by_shift.items())


def flagged(days: Iterable[ShiftDay]) -> tuple[ShiftDay, ...]:
    """The days a clerk must look at: a punch is missing."""
    return tuple(day for day in days if day.flags)


def _on_the_minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _out_before_in(out: Punch, first_in: Punch) -> InputError:
    where = f" (row {first_in.row})" if first_in.row else ""
    return InputError(
        "punch_time",
        out.at,
        "out_before_in",
        f"clock-out before clock-in: {out.employee}'s out precedes the shift's first in "
        f"at {first_in.at.isoformat(' ', 'minutes')}{where}",
        row=out.row,
    )
