"""Score a roster by the Shift Scheduling Benchmark's official definition.

Independent of the optimiser on purpose: it reads the instance's sections itself and
counts penalties and broken hard constraints from the roster rows alone, so that a
mistake in the model cannot hide in the reported objective.

Soft: each unmet shift-on request and each granted shift-off request costs its weight;
each person short of or above a day's cover costs that cover's weight per person.
Hard: one shift a day, no banned successions, shift-type caps, total minutes within
bounds, consecutive shifts at most the maximum, blocks of shifts and of days off at
least the minimum unless they touch either end of the horizon, weekends worked (a
Saturday or Sunday worked; the horizon starts on a Monday) at most the maximum, no work
on a fixed day off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ccops.core.roster.curtois import sections

PARTS = ("shift on requests", "shift off requests", "under cover", "over cover")


@dataclass(frozen=True)
class Score:
    objective: int
    violations: tuple[str, ...] = ()
    parts: dict[str, int] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return not self.violations


def runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """(first day, length) of each maximal block of days equal to `value`."""
    found, start = [], None
    for day, flag in enumerate([*worked, not value]):
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            found.append((start, day - start))
            start = None
    return found


def score_curtois(text: str, rows: Iterable[tuple[str, int, str]]) -> Score:
    """The objective and every hard-constraint violation of ``rows`` on the instance."""
    data = sections(text)
    days = int(data["SECTION_HORIZON"][0][1][0])
    length = {f[0]: int(f[1]) for _, f in data["SECTION_SHIFTS"]}
    banned = {
        f[0]: set(filter(None, (f[2] if len(f) > 2 else "").split("|")))
        for _, f in data["SECTION_SHIFTS"]
    }
    staff = {f[0]: f for _, f in data["SECTION_STAFF"]}
    violations: list[str] = []
    roster: dict[str, dict[int, str]] = {code: {} for code in staff}
    for employee, day, shift in rows:
        if employee not in staff or shift not in length or not 0 <= day < days:
            violations.append(f"unknown row {employee},{day},{shift}")
        elif day in roster[employee]:
            violations.append(f"{employee} has two shifts on day {day}")
        else:
            roster[employee][day] = shift

    parts: Counter[str] = Counter(dict.fromkeys(PARTS, 0))
    for _, f in data.get("SECTION_SHIFT_ON_REQUESTS", []):
        if roster.get(f[0], {}).get(int(f[1])) != f[2]:
            parts["shift on requests"] += int(f[3])
    for _, f in data.get("SECTION_SHIFT_OFF_REQUESTS", []):
        if roster.get(f[0], {}).get(int(f[1])) == f[2]:
            parts["shift off requests"] += int(f[3])
    on_shift = Counter((day, shift) for plan in roster.values() for day, shift in plan.items())
    for _, f in data.get("SECTION_COVER", []):
        have, want = on_shift[(int(f[0]), f[1])], int(f[2])
        parts["under cover"] += max(want - have, 0) * int(f[3])
        parts["over cover"] += max(have - want, 0) * int(f[4])

    off_days: dict[str, set[int]] = {}
    for _, f in data.get("SECTION_DAYS_OFF", []):
        off_days.setdefault(f[0], set()).update(int(d) for d in f[1:] if d)
    for code, f in staff.items():
        off = off_days.get(code, set())
        violations.extend(_broken(code, f, roster[code], days, length, banned, off))
    return Score(sum(parts.values()), tuple(violations), dict(parts))


def _broken(
    code: str,
    f: list[str],
    plan: dict[int, str],
    days: int,
    length: dict[str, int],
    banned: dict[str, set[str]],
    off_days: set[int],
) -> list[str]:
    out = []
    caps = {k: int(v) for k, _, v in (p.partition("=") for p in f[1].split("|") if p)}
    for shift, count in Counter(plan.values()).items():
        if count > caps.get(shift, days):
            out.append(f"{code} works {count} {shift} shifts, at most {caps[shift]}")
    minutes = sum(length[s] for s in plan.values())
    if not int(f[3]) <= minutes <= int(f[2]):
        out.append(f"{code} works {minutes} minutes, not within {f[3]}..{f[2]}")
    for day, shift in plan.items():
        if plan.get(day + 1) in banned[shift]:
            out.append(f"{code}: {plan[day + 1]} on day {day + 1} may not follow {shift}")
        if day in off_days:
            out.append(f"{code} works on fixed day off {day}")
    worked = [day in plan for day in range(days)]
    for start, size in runs(worked, True):
        if size > int(f[4]):
            out.append(f"{code} works {size} days in a row from day {start}, at most {f[4]}")
        if size < int(f[5]) and start > 0 and start + size < days:
            out.append(f"{code} works {size} days in a row from day {start}, at least {f[5]}")
    for start, size in runs(worked, False):
        if size < int(f[6]) and start > 0 and start + size < days:
            out.append(f"{code} is off {size} days from day {start}, at least {f[6]}")
    weekends = sum(
        any(worked[day] for day in (7 * week + 5, 7 * week + 6) if day < days)
        for week in range((days + 1) // 7)
    )
    if weekends > int(f[7]):
        out.append(f"{code} works {weekends} weekends, at most {f[7]}")
    return out
