"""A rostering problem: days, shift types, employees with their contracts, fixed days
off, shift requests, and cover per day and shift or per interval of the day. Integer
minutes throughout."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ccops.core.errors import InputError

SATURDAY, SUNDAY = 5, 6


MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class ShiftType:
    """A kind of shift: its code, its minutes and the shifts that may not follow it on
    the next day (too little rest in between).

    ``start`` is the minute of the day it begins (``None`` where only the day matters,
    as in the benchmark format); a shift may run past midnight into the next day.
    ``skill`` is the seat type its holder answers throughout (one skill per shift; ""
    where the problem has a single one): it counts only for interval cover of that skill
    and only an employee holding the skill may work it.
    """

    code: str
    minutes: int
    not_followed_by: frozenset[str] = frozenset()
    start: int | None = None
    night: bool = False
    skill: str = ""

    def span(self, day: int) -> tuple[int, int]:
        """Its first minute and the minute after its last, counted from day 0's midnight."""
        begin = day * MINUTES_A_DAY + (self.start or 0)
        return begin, begin + self.minutes


@dataclass(frozen=True)
class Contract:
    """What an employee's roster must respect over the horizon.

    ``max_shifts`` caps each shift type (a missing type is not capped; 0 forbids it).
    ``days_per_week``: working days in each calendar week the horizon holds whole (at
    most that many in a week it cuts).
    """

    max_shifts: Mapping[str, int] = field(default_factory=dict)
    max_minutes: int | None = None
    min_minutes: int = 0
    max_consecutive: int | None = None
    min_consecutive: int = 1
    min_days_off: int = 1
    max_weekends: int | None = None
    days_per_week: int | None = None


@dataclass(frozen=True)
class Employee:
    """Someone to roster. ``shift_class`` is an employee-friendly class of PLAN-07
    (``long_rest``, ``family_hours``, ``no_night``, ``class_timetable``); ``unavailable``
    lists (day, from minute, to minute) they cannot work, such as their classes;
    ``skills`` the seat types they may answer (multi-skill agents hold several)."""

    code: str
    contract: Contract
    days_off: frozenset[int] = frozenset()
    team: str = ""
    shift_class: str = ""
    unavailable: tuple[tuple[int, int, int], ...] = ()
    skills: frozenset[str] = frozenset()

    def can_answer(self, shift: ShiftType) -> bool:
        """Whether they hold the skill the shift answers (shifts of no skill: anyone)."""
        return not shift.skill or shift.skill in self.skills


@dataclass(frozen=True)
class FriendlyClasses:
    """What each employee-friendly shift class (PLAN-07) guarantees; the center sets it.

    long_rest: days off come in blocks of at least ``long_rest_days_off`` (time to go
    home); family_hours: shifts within ``family_from`` .. ``family_until`` (minutes of
    the day); no_night: no minute of work from ``evening_from`` to ``morning_until``
    the next morning; class_timetable: no shift overlapping the person's classes.
    """

    long_rest_days_off: int = 2
    family_from: int = 8 * 60
    family_until: int = 18 * 60
    evening_from: int = 20 * 60
    morning_until: int = 6 * 60


@dataclass(frozen=True)
class BreakRule:
    """Breaks on timed shifts (FLOOR-01): ``minutes_per_hour`` of the shift, taken in
    segments of ``segment`` minutes, each starting an interval, none within ``margin``
    minutes of either end and at most one per ``spacing`` minutes; at most ``tokens``
    people of a team away at once (FLOOR-02; None: no cap). Someone on a break counts
    as off the phones for that whole interval.
    """

    minutes_per_hour: float
    segment: int = 10
    margin: int = 60
    spacing: int = 60
    tokens: int | None = None

    def breaks_per_interval(self, interval_minutes: int) -> int | None:
        """Breaks a team may start in one interval: its tokens, each used for as many
        segments as fit one after another in the interval (None: no cap)."""
        if self.tokens is None:
            return None
        return self.tokens * max(interval_minutes // self.segment, 1)

    def segments(self, shift_minutes: int) -> int:
        """Breaks a shift of this length takes: enough for its minutes per hour."""
        return math.ceil(shift_minutes / 60 * self.minutes_per_hour / self.segment - 1e-9)


@dataclass(frozen=True)
class ShiftRequest:
    """A wish to work (``on``) or not to work a shift on a day, with its weight."""

    employee: str
    day: int
    shift: str
    weight: int
    on: bool


@dataclass(frozen=True)
class Cover:
    """People wanted on a shift on a day, and the cost of each one short or too many.

    ``present`` counts people already on it from outside the problem (employees held
    fixed while a part of the roster is re-optimised).
    """

    day: int
    shift: str
    required: int
    under_weight: int
    over_weight: int
    present: int = 0


@dataclass(frozen=True)
class Fairness:
    """Nights and weekends shared out: each night shift, or weekend worked (a Saturday
    or a Sunday), beyond a person's fair share costs ``weight`` (None: not counted)."""

    weight: int = 0
    nights: int | None = None
    weekends: int | None = None


@dataclass(frozen=True)
class Lock:
    """A day the planner has fixed by hand: this shift, or off (``shift`` None);
    ``elsewhere``: the person works that shift in another roster (another seat type)."""

    employee: str
    day: int
    shift: str | None
    elsewhere: bool = False


@dataclass(frozen=True)
class LunchRule:
    """A meal break on shifts longer than ``over`` minutes: ``minutes`` long (whole
    intervals), starting ``earliest`` to ``latest`` minutes after the shift begins;
    off the phones throughout, and no other break during it."""

    minutes: int = 30
    over: int = 360
    earliest: int = 180
    latest: int = 300


@dataclass(frozen=True)
class IntervalCover:
    """People wanted on duty in one interval of a day (from ``minute``, for the problem's
    interval length) answering one ``skill`` (seat type), and the cost of each one short
    or too many."""

    day: int
    minute: int
    required: int
    under_weight: int
    over_weight: int
    present: int = 0
    skill: str = ""

    @property
    def moment(self) -> int:
        """Its first minute, counted from day 0's midnight."""
        return self.day * MINUTES_A_DAY + self.minute


@dataclass(frozen=True)
class RosterProblem:
    """Everything the optimiser needs; day 0 is ``first_weekday`` (0 = Monday)."""

    days: int
    shifts: tuple[ShiftType, ...]
    employees: tuple[Employee, ...]
    requests: tuple[ShiftRequest, ...] = ()
    cover: tuple[Cover, ...] = ()
    first_weekday: int = 0
    interval_cover: tuple[IntervalCover, ...] = ()
    interval_minutes: int = 30
    min_rest_minutes: int = 0
    breaks: BreakRule | None = None
    lunch: LunchRule | None = None
    locks: tuple[Lock, ...] = ()
    friendly: FriendlyClasses = FriendlyClasses()
    fairness: Fairness = Fairness()
    # A published roster to stay close to: (employee, day, shift) worked; every other
    # day of those employees was off. Each day changed costs ``change_weight``.
    previous: tuple[tuple[str, int, str], ...] = ()
    change_weight: int = 0

    def __post_init__(self) -> None:
        if self.days < 1:
            raise InputError("days", self.days, "not_positive", "the horizon needs a day")
        codes = {s.code for s in self.shifts}
        if len(codes) != len(self.shifts):
            raise InputError("shifts", sorted(codes), "duplicate", "shift codes must differ")
        people = {e.code for e in self.employees}
        if len(people) != len(self.employees):
            raise InputError("employees", len(people), "duplicate", "employee codes must differ")
        wanted = [(r.day, r.shift) for r in self.requests] + [(c.day, c.shift) for c in self.cover]
        for day, shift in wanted:
            self._check_day(day)
            if shift not in codes:
                raise InputError("shift", shift, "unknown", "no such shift type")
        named = [r.employee for r in self.requests] + [k.employee for k in self.locks]
        named += [employee for employee, _, _ in self.previous]
        for employee in named:
            if employee not in people:
                raise InputError("employee", employee, "unknown", "no such employee")
        fixed: list[tuple[int, str | None]] = [(k.day, k.shift) for k in self.locks]
        fixed += [(d, s) for _, d, s in self.previous]
        for when, what in fixed:
            self._check_day(when)
            if what is not None and what not in codes:
                raise InputError("shift", what, "unknown", "no such shift type")

        timed = all(s.start is not None for s in self.shifts)
        if self.interval_cover and not timed:
            raise InputError("shifts", "start", "missing", "interval cover needs shift starts")
        if self.breaks and not timed:
            raise InputError("shifts", "start", "missing", "breaks need shift starts")
        if self.breaks and not 0 < self.breaks.segment <= self.interval_minutes:
            reason = f"must lie in 1..{self.interval_minutes} (the interval length)"
            raise InputError("break segment", self.breaks.segment, "out_of_range", reason)
        if self.lunch and not timed:
            raise InputError("shifts", "start", "missing", "lunch needs shift starts")
        if self.lunch and (self.lunch.minutes <= 0 or self.lunch.minutes % self.interval_minutes):
            reason = f"must be whole intervals of {self.interval_minutes} minutes"
            raise InputError("lunch minutes", self.lunch.minutes, "misaligned", reason)
        if self.min_rest_minutes and not timed:
            raise InputError("shifts", "start", "missing", "rest in minutes needs shift starts")
        for c in self.interval_cover:
            self._check_day(c.day)
            if not 0 <= c.minute < MINUTES_A_DAY or c.minute % self.interval_minutes:
                reason = f"must start an interval of {self.interval_minutes} minutes"
                raise InputError("minute", c.minute, "misaligned", reason)

    def _check_day(self, day: int) -> None:
        if not 0 <= day < self.days:
            raise InputError("day", day, "out_of_range", f"must lie in 0..{self.days - 1}")

    def cost(
        self,
        assignment: Mapping[tuple[str, int], str],
        away: Mapping[tuple[str, int], tuple[int, ...]] | None = None,
    ) -> int:
        """What the soft rules charge for a roster ((employee, day) -> shift), with the
        intervals each person spends on a break or at lunch (their starts, in minutes
        from day 0's midnight)."""
        total = 0
        for r in self.requests:
            worked = assignment.get((r.employee, r.day)) == r.shift
            total += r.weight * (worked != r.on)
        on: dict[tuple[int, str], int] = {}
        for (_, day), shift in assignment.items():
            on[day, shift] = on.get((day, shift), 0) + 1
        for c in self.cover:
            have = on.get((c.day, c.shift), 0) + c.present
            total += c.under_weight * max(c.required - have, 0)
            total += c.over_weight * max(have - c.required, 0)
        if self.change_weight and self.previous:
            before = {(e, d): s for e, d, s in self.previous}
            for code in {e for e, _, _ in self.previous}:
                for day in range(self.days):
                    changed = before.get((code, day)) != assignment.get((code, day))
                    total += self.change_weight * changed
        total += self._unfairness(assignment)
        spans = [
            (self.shift(shift).skill, *self.shift(shift).span(day), (code, day))
            for (code, day), shift in assignment.items()
        ]
        for i in self.interval_cover:
            moment = i.moment
            have = i.present
            for skill, begin, end, key in spans:
                if skill == i.skill and begin <= moment < end:
                    have += moment not in (away or {}).get(key, ())
            total += i.under_weight * max(i.required - have, 0)
            total += i.over_weight * max(have - i.required, 0)
        return total

    def _unfairness(self, assignment: Mapping[tuple[str, int], str]) -> int:
        fair = self.fairness
        if not fair.weight:
            return 0
        total = 0
        rosters: dict[str, dict[int, str]] = {e.code: {} for e in self.employees}
        for (code, day), shift in assignment.items():
            rosters.setdefault(code, {})[day] = shift
        for employee in self.employees:
            days = rosters[employee.code]
            if fair.nights is not None:
                nights = sum(self.shift(s).night for s in days.values())
                total += fair.weight * max(nights - fair.nights, 0)
            if fair.weekends is not None:
                weekends = sum(any(d in days for d in w) for w in self.weekends())
                total += fair.weight * max(weekends - fair.weekends, 0)
        return total

    def shift(self, code: str) -> ShiftType:
        return next(s for s in self.shifts if s.code == code)

    def weeks(self) -> list[tuple[int, ...]]:
        """Each calendar week's days inside the horizon (Monday to Sunday)."""
        found: dict[int, list[int]] = {}
        for day in range(self.days):
            found.setdefault((self.first_weekday + day) // 7, []).append(day)
        return [tuple(days) for _, days in sorted(found.items())]

    def weekends(self) -> list[tuple[int, ...]]:
        """Each weekend's days inside the horizon (Saturday and Sunday)."""
        found: dict[int, list[int]] = {}
        for day in range(self.days):
            weekday = (self.first_weekday + day) % 7
            if weekday in (SATURDAY, SUNDAY):
                week = (self.first_weekday + day) // 7
                found.setdefault(week, []).append(day)
        return [tuple(days) for _, days in sorted(found.items())]


def rest_too_short(problem: RosterProblem, before: ShiftType, after: ShiftType) -> bool:
    """Whether ``after`` on the next day may not follow ``before``: named as banned, or
    leaving less than the problem's minimum rest between them."""
    if after.code in before.not_followed_by:
        return True
    if not problem.min_rest_minutes or before.start is None or after.start is None:
        return False
    rest = after.span(1)[0] - before.span(0)[1]
    return rest < problem.min_rest_minutes


def shift_fits_class(
    problem: RosterProblem, employee: Employee, shift: ShiftType, day: int
) -> bool:
    """Whether a timed shift on ``day`` suits the employee's friendly class and their
    unavailable times (PLAN-07); untimed shifts always do."""
    if shift.start is None:
        return True
    begin, end = shift.span(day)
    for when, frm, until in employee.unavailable:
        if begin < when * MINUTES_A_DAY + until and when * MINUTES_A_DAY + frm < end:
            return False
    rules, start = problem.friendly, shift.start
    if employee.shift_class == "family_hours":
        return rules.family_from <= start and start + shift.minutes <= rules.family_until
    if employee.shift_class == "no_night":  # from the morning's end to the evening's start
        morning = day * MINUTES_A_DAY + rules.morning_until
        evening = day * MINUTES_A_DAY + rules.evening_from
        return morning <= begin and end <= evening
    return True
