"""The hard rules a roster breaks, checked on the roster itself and independently of the
optimiser's model: what a planner's hand edit or an imported roster is held to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from ccops.core.roster.problem import (
    MINUTES_A_DAY,
    Employee,
    RosterProblem,
    ShiftType,
    rest_too_short,
    shift_fits_class,
)
from ccops.core.words import Facts, Worded, facts, gettext_noop

Assignment = Mapping[tuple[str, int], str]  # (employee, day) -> shift code
# (employee, day) -> break starts or lunch start, minutes from that day's midnight
Moments = Mapping[tuple[str, int], tuple[int, ...]]
Starts = Mapping[tuple[str, int], int]
T = TypeVar("T")
Days = dict[int, ShiftType]  # one person's roster: day -> shift


@dataclass(frozen=True)
class Breach(Worded):
    """One hard rule broken: which, whose roster and on which day (None: the period)."""

    rule: str
    employee: str
    day: int | None
    template: str  # English, with %(name)s placeholders filled from ``facts``
    facts: Facts = ()

    @property
    def words(self) -> str:
        when = "" if self.day is None else f" on day {self.day + 1}"
        return f"{self.employee}{when}: {self.detail}"


def breaches(
    problem: RosterProblem,
    assignment: Assignment,
    breaks: Moments | None = None,
    lunches: Starts | None = None,
) -> list[Breach]:
    """Every hard rule the roster breaks; breaks and lunches are checked where the
    problem has rules for them."""
    breaks = {
        (e, d): tuple(t + d * MINUTES_A_DAY for t in ts) for (e, d), ts in (breaks or {}).items()
    }
    lunches = {(e, d): t + d * MINUTES_A_DAY for (e, d), t in (lunches or {}).items()}
    found: list[Breach] = []
    for employee in problem.employees:
        days = {d: problem.shift(s) for (e, d), s in assignment.items() if e == employee.code}
        found += _days(problem, employee, days)
        found += _rest(problem, employee, days)
        found += _contract(problem, employee, days)
        if problem.breaks:
            found += _breaks(problem, employee, days, breaks)
        if problem.lunch:
            found += _lunches(problem, employee, days, breaks, lunches)
    if problem.breaks and problem.breaks.tokens is not None:
        found += _tokens(problem, breaks)
    return found


def _(moments: Mapping[tuple[str, int], T] | None) -> Iterator[tuple[tuple[str, int], T]]:
    yield from (moments or {}).items()


def _days(p: RosterProblem, employee: Employee, days: Days) -> Iterator[Breach]:
    locked = {k.day: k for k in p.locks if k.employee == employee.code}
    for day in range(p.days):
        shift = days.get(day)
        lock = locked.get(day)
        if lock is not None and lock.shift != (shift.code if shift else None):
            template = (
                gettext_noop("already on %(shift)s in another roster")
                if lock.elsewhere
                else gettext_noop("fixed by hand as %(shift)s")
            )
            yield Breach("locked", employee.code, day, template, facts(shift=lock.shift or "off"))
        if shift is None:
            continue
        if day in employee.days_off:
            yield Breach("days_off", employee.code, day, gettext_noop("works a fixed day off"))
        if not employee.can_answer(shift) and (lock is None or lock.shift != shift.code):
            said = facts(skill=shift.skill)
            yield Breach(
                "skills", employee.code, day, gettext_noop("not skilled for %(skill)s"), said
            )
        if not shift_fits_class(p, employee, shift, day):
            detail = gettext_noop("shift outside their friendly class or unavailable times")
            yield Breach("friendly_class", employee.code, day, detail)


def _rest(p: RosterProblem, employee: Employee, days: Days) -> Iterator[Breach]:
    for day, before in days.items():
        after = days.get(day + 1)
        if after is not None and rest_too_short(p, before, after):
            detail = gettext_noop("%(after)s may not follow %(before)s (too little rest)")
            said = facts(after=after.code, before=before.code)
            yield Breach("rest", employee.code, day + 1, detail, said)


def _contract(p: RosterProblem, employee: Employee, days: Days) -> Iterator[Breach]:
    c, code = employee.contract, employee.code
    for shift, count in Counter(s.code for s in days.values()).items():
        if c.max_shifts.get(shift, count) < count:
            detail = gettext_noop("%(count)s %(shift)s shifts, at most %(most)s")
            said = facts(count=count, shift=shift, most=c.max_shifts[shift])
            yield Breach("shift_caps", code, None, detail, said)
    minutes = sum(s.minutes for s in days.values())
    if c.max_minutes is not None and minutes > c.max_minutes:
        said = facts(minutes=minutes, most=c.max_minutes)
        yield Breach(
            "max_minutes", code, None, gettext_noop("%(minutes)s minutes, at most %(most)s"), said
        )
    if minutes < c.min_minutes:
        said = facts(minutes=minutes, least=c.min_minutes)
        detail = gettext_noop("%(minutes)s minutes, at least %(least)s")
        yield Breach("min_minutes", code, None, detail, said)
    if c.days_per_week is not None:
        for week in p.weeks():
            worked = sum(d in days for d in week)
            if worked > c.days_per_week or (len(week) == 7 and worked != c.days_per_week):
                detail = gettext_noop("%(worked)s days worked in the week, %(wanted)s wanted")
                said = facts(worked=worked, wanted=c.days_per_week)
                yield Breach("days_per_week", code, week[0], detail, said)
    least_off = c.min_days_off
    if employee.shift_class == "long_rest":  # PLAN-07: time to go home
        least_off = max(least_off, p.friendly.long_rest_days_off)
    for first, length, working in _blocks([d in days for d in range(p.days)]):
        inner = first > 0 and first + length < p.days
        if working and c.max_consecutive is not None and length > c.max_consecutive:
            detail = gettext_noop("%(days)s days in a row, at most %(most)s")
            said = facts(days=length, most=c.max_consecutive)
            yield Breach("max_consecutive", code, first, detail, said)
        if working and inner and length < c.min_consecutive:
            detail = gettext_noop("%(days)s days in a row, at least %(least)s")
            said = facts(days=length, least=c.min_consecutive)
            yield Breach("min_consecutive", code, first, detail, said)
        if not working and inner and length < least_off:
            rule = "min_days_off" if length < c.min_days_off else "friendly_class"
            said = facts(days=length, least=least_off)
            yield Breach(
                rule, code, first, gettext_noop("%(days)s days off, at least %(least)s"), said
            )
    weekends = sum(any(d in days for d in w) for w in p.weekends())
    if c.max_weekends is not None and weekends > c.max_weekends:
        said = facts(weekends=weekends, most=c.max_weekends)
        detail = gettext_noop("%(weekends)s weekends, at most %(most)s")
        yield Breach("max_weekends", code, None, detail, said)


def _blocks(flags: list[bool]) -> Iterator[tuple[int, int, bool]]:
    """Runs of equal flags: (first index, length, flag)."""
    first = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[first]:
            yield first, i - first, flags[first]
            first = i


def _breaks(p: RosterProblem, employee: Employee, days: Days, breaks: Moments) -> Iterator[Breach]:
    rule, code = p.breaks, employee.code
    assert rule is not None
    for day, shift in days.items():
        begin, end = shift.span(day)
        taken = sorted(breaks.get((code, day), ()))
        wanted = rule.segments(shift.minutes)
        if len(taken) != wanted:
            said = facts(taken=len(taken), due=wanted)
            yield Breach("breaks", code, day, gettext_noop("%(taken)s breaks, %(due)s due"), said)
        for moment in taken:
            if moment % p.interval_minutes or not (
                begin + rule.margin <= moment <= end - rule.margin - rule.segment
            ):
                said = facts(clock=_clock(moment))
                detail = gettext_noop("a break at %(clock)s is out of place")
                yield Breach("breaks", code, day, detail, said)
        for first, second in zip(taken, taken[1:], strict=False):
            if second - first < rule.spacing:
                detail = gettext_noop("breaks less than %(minutes)s minutes apart")
                yield Breach("breaks", code, day, detail, facts(minutes=rule.spacing))
    for code_day in breaks:
        if code_day[0] == code and code_day[1] not in days and breaks[code_day]:
            yield Breach("breaks", code, code_day[1], gettext_noop("a break on a day off"))


def _lunches(
    p: RosterProblem, employee: Employee, days: Days, breaks: Moments, lunches: Starts
) -> Iterator[Breach]:
    rule, code = p.lunch, employee.code
    assert rule is not None
    for day, shift in days.items():
        begin, _ = shift.span(day)
        start = lunches.get((code, day))
        if shift.minutes <= rule.over:
            if start is not None:
                yield Breach("lunch", code, day, gettext_noop("a lunch on a short shift"))
            continue
        if start is None:
            yield Breach("lunch", code, day, gettext_noop("no lunch on a long shift"))
            continue
        if start % p.interval_minutes or not (
            begin + rule.earliest <= start <= begin + rule.latest
        ):
            yield Breach("lunch", code, day, gettext_noop("lunch outside its window"))
        if any(start <= t < start + rule.minutes for t in breaks.get((code, day), ())):
            yield Breach("lunch", code, day, gettext_noop("a break during lunch"))


def _tokens(p: RosterProblem, breaks: Moments) -> Iterator[Breach]:
    rule = p.breaks
    assert rule is not None and rule.tokens is not None
    team_of = {e.code: e.team for e in p.employees}
    elsewhere = {(k.employee, k.day) for k in p.locks if k.elsewhere}  # counted there
    away: Counter[tuple[str, int]] = Counter()
    for (code, day), moments in breaks.items():
        if (code, day) in elsewhere:
            continue
        for moment in moments:
            if team_of.get(code):
                away[team_of[code], moment] += 1
    cap = rule.breaks_per_interval(p.interval_minutes)
    for (team, moment), count in sorted(away.items()):
        if cap is not None and count > cap:
            detail = gettext_noop(
                "%(count)s of team %(team)s on a break at %(clock)s, at most %(most)s"
            )
            said = facts(count=count, team=team, clock=_clock(moment), most=cap)
            yield Breach("break_tokens", team, moment // MINUTES_A_DAY, detail, said)


def _clock(moment: int) -> str:
    minutes = moment % MINUTES_A_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
