"""The Shift Scheduling Benchmark format of Curtois & Qu, read into a `RosterProblem`,
and a roster written as ``employee,day,shift`` rows.

A file is a list of ``SECTION_...`` blocks of comma-separated lines; ``#`` starts a
comment. The horizon starts on a Monday.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import TextIO, TypeVar

from ccops.core.errors import InputError
from ccops.core.roster.problem import (
    Contract,
    Cover,
    Employee,
    RosterProblem,
    ShiftRequest,
    ShiftType,
)

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
T = TypeVar("T")
Line = tuple[int, list[str]]  # file line number, fields


def sections(text: str) -> dict[str, list[Line]]:
    """Data lines of each section, with their line numbers."""
    found: dict[str, list[Line]] = {}
    current: list[Line] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise InputError(
                    "section", line, "unknown", "not a section of the format", row=number
                )
            current = found.setdefault(line, [])
        elif current is None:
            raise InputError("section", line, "missing", "data before any section", row=number)
        else:
            current.append((number, [part.strip() for part in line.split(",")]))
    for name in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF"):
        if name not in found:
            raise InputError("section", name, "missing", "the file has no such section")
    return found


def number(value: str, field: str, row: int, *, low: int = 0) -> int:
    try:
        result = int(value)
    except ValueError:
        raise InputError(field, value, "not_numeric", "must be a whole number", row=row) from None
    if result < low:
        raise InputError(field, value, "out_of_range", f"must be at least {low}", row=row)
    return result


def parsed(
    lines: list[Line], width: int, name: str, make: Callable[[int, list[str]], T]
) -> list[T]:
    out = []
    for row, fields in lines:
        if len(fields) < width:
            reason = f"needs {width} comma-separated fields, has {len(fields)}"
            raise InputError(name, ",".join(fields), "missing", reason, row=row)
        out.append(make(row, fields))
    return out


def _shift(row: int, f: list[str]) -> ShiftType:
    banned = frozenset(code for code in f[2].split("|") if code) if len(f) > 2 else frozenset()
    return ShiftType(f[0], number(f[1], "shift length", row, low=1), banned)


def _caps(text: str, row: int) -> dict[str, int]:
    caps = {}
    for part in filter(None, text.split("|")):
        code, _, limit = part.partition("=")
        caps[code] = number(limit, f"max shifts of {code}", row)
    return caps


def _employee(row: int, f: list[str]) -> Employee:
    contract = Contract(
        max_shifts=_caps(f[1], row),
        max_minutes=number(f[2], "max total minutes", row),
        min_minutes=number(f[3], "min total minutes", row),
        max_consecutive=number(f[4], "max consecutive shifts", row, low=1),
        min_consecutive=number(f[5], "min consecutive shifts", row, low=1),
        min_days_off=number(f[6], "min consecutive days off", row, low=1),
        max_weekends=number(f[7], "max weekends", row),
    )
    return Employee(f[0], contract)


def read_curtois(text: str) -> RosterProblem:
    """The problem a benchmark file states; InputError names the line and field."""
    found = sections(text)
    horizon = found["SECTION_HORIZON"]
    if len(horizon) != 1:
        raise InputError("horizon", len(horizon), "out_of_range", "needs exactly one line")
    days = number(horizon[0][1][0], "horizon", horizon[0][0], low=1)
    shifts = parsed(found["SECTION_SHIFTS"], 2, "shift", _shift)
    staff = parsed(found["SECTION_STAFF"], 8, "staff", _employee)
    days_off: dict[str, set[int]] = {}
    for row, f in found.get("SECTION_DAYS_OFF", []):
        days_off.setdefault(f[0], set()).update(number(d, "day off", row) for d in f[1:] if d)
    requests = [
        *_requests(found.get("SECTION_SHIFT_ON_REQUESTS", []), on=True),
        *_requests(found.get("SECTION_SHIFT_OFF_REQUESTS", []), on=False),
    ]
    cover = parsed(
        found.get("SECTION_COVER", []),
        5,
        "cover",
        lambda row, f: Cover(
            number(f[0], "day", row),
            f[1],
            number(f[2], "requirement", row),
            number(f[3], "weight for under", row),
            number(f[4], "weight for over", row),
        ),
    )
    known = {e.code for e in staff}
    for code in days_off:
        if code not in known:
            raise InputError("employee", code, "unknown", "days off for no such employee")
    employees = tuple(replace(e, days_off=frozenset(days_off.get(e.code, ()))) for e in staff)
    return RosterProblem(days, tuple(shifts), employees, tuple(requests), tuple(cover))


def _requests(lines: list[Line], *, on: bool) -> list[ShiftRequest]:
    return parsed(
        lines,
        4,
        "shift on request" if on else "shift off request",
        lambda row, f: ShiftRequest(
            f[0], number(f[1], "day", row), f[2], number(f[3], "weight", row), on
        ),
    )


def roster_rows(assignment: Mapping[tuple[str, int], str]) -> Iterator[tuple[str, int, str]]:
    """``(employee, day, shift)`` for every worked day, by employee then day."""
    for (employee, day), shift in sorted(assignment.items(), key=lambda kv: kv[0]):
        yield employee, day, shift


def write_roster(stream: TextIO, rows: Iterable[tuple[str, int, str]]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["employee", "day", "shift"])
    writer.writerows(rows)
