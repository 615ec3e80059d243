"""The files of `ccops attendance fines`: a roster and a clock in, a month summary out.

The columns here are a contract that checks outside ccops rely on; keep them exactly.

* Roster: ``employee,date,shift_start,shift_end``; ``date`` is ``YYYY-MM-DD``, times
  are local ``HH:MM`` (seconds allowed, as spreadsheets write them); a ``shift_end`` at
  or before ``shift_start`` is on the next day (so equal times are a 24-hour shift).
* Clock: ``employee,punch_time,direction``; ``punch_time`` is a local ``YYYY-MM-DD
  HH:MM`` (optionally ``:SS``; a ``T`` between date and time is accepted) and
  ``direction`` is ``in`` or ``out`` (any case).
* Summary: ``SUMMARY_COLUMNS``, one row per rostered employee.

Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ccops.core.attendance.punches import DIRECTIONS, Punch, Shift, check_roster
from ccops.core.attendance.report import MonthReport
from ccops.core.errors import InputError
from ccops.core.tabular import ROW_COLUMN, TabularError, read_table

ROSTER_COLUMNS = ("employee", "date", "shift_start", "shift_end")
CLOCK_COLUMNS = ("employee", "punch_time", "direction")
SUMMARY_COLUMNS = (
    "employee",
    "late_count",
    "early_count",
    "absent_days",
    "half_day_absences",
    "fine_total",
    "dismissal_flag",
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)")


def read_roster(path: Path) -> tuple[Shift, ...]:
    """The shifts of a roster file, checked (see ``punches.check_roster``).

    Raises:
        InputError: naming the row and column of a missing or unparseable value, a
            second shift of a person on one day, or overlapping shifts.
    """
    shifts = tuple(_shift(row, values) for row, values in _rows(path, ROSTER_COLUMNS))
    check_roster(shifts)
    return shifts


def read_clock(path: Path) -> tuple[Punch, ...]:
    """The punches of a clock file (duplicates and employees are checked against the
    roster later, by ``punches.attribute``).

    Raises:
        InputError: naming the row and column of a missing or unparseable value.
    """
    return tuple(_punch(row, values) for row, values in _rows(path, CLOCK_COLUMNS))


def write_summary(stream: TextIO, report: MonthReport) -> int:
    """Write one ``SUMMARY_COLUMNS`` row per employee of ``report``; return the count.

    ``absent_days`` counts full-day absences only (half days have their own column);
    ``fine_total`` has two decimals; ``dismissal_flag`` is ``true`` or ``false``.
    """
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for fines in report.employees:
        writer.writerow(
            [
                fines.employee,
                fines.late_count,
                fines.early_count,
                len(fines.absences),
                len(fines.half_days),
                f"{fines.total:.2f}",
                "true" if fines.dismissal else "false",
            ]
        )
    return len(report.employees)


def parse_date(text: str, field: str, row: int) -> dt.date:
    """``YYYY-MM-DD`` to a date, or an InputError naming the field and row."""
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(field, text, "not_a_date", "not a date like 2026-10-05", row=row)


def parse_time(text: str, field: str, row: int) -> dt.time:
    """``HH:MM`` (or ``HH:MM:SS``) to a time of day, or an InputError."""
    if _TIME.fullmatch(text):
        try:
            # "08:30" + ":0" reads as 08:30:00; "08:30:15" + ":0" keeps its seconds
            hour, minute, second = (int(part) for part in f"{text}:0".split(":")[:3])
            return dt.time(hour, minute, second)
        except ValueError:
            pass
    raise InputError(field, text, "not_a_time", "not a time of day like 08:30", row=row)


def parse_moment(text: str, field: str, row: int) -> dt.datetime:
    """``YYYY-MM-DD HH:MM[:SS]`` to a local datetime, or an InputError."""
    match = _DATETIME.fullmatch(text)
    if match is None:
        reason = "not a date and time like 2026-10-05 08:03"
        raise InputError(field, text, "not_a_datetime", reason, row=row)
    return dt.datetime.combine(parse_date(match[1], field, row), parse_time(match[2], field, row))


def _shift(row: int, values: dict[str, str]) -> Shift:
    day = parse_date(values["date"], "date", row)
    start = dt.datetime.combine(day, parse_time(values["shift_start"], "shift_start", row))
    end = dt.datetime.combine(day, parse_time(values["shift_end"], "shift_end", row))
    if end <= start:
        end += dt.timedelta(days=1)
    return Shift(values["employee"], day, start, end, row)


def _punch(row: int, values: dict[str, str]) -> Punch:
    direction = values["direction"].lower()
    if direction not in DIRECTIONS:
        raise InputError("direction", values["direction"], "unknown", "must be in or out", row=row)
    at = parse_moment(values["punch_time"], "punch_time", row)
    return Punch(values["employee"], at, "in" if direction == "in" else "out", row)


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row's number and stripped values; a blank cell is an InputError."""
    try:
        table = read_table(
            path, columns={name: [name] for name in columns}, required=columns, filename=path.name
        )
    except TabularError as exc:
        raise _file_error(path, exc) from exc
    for record in table.frame.iter_rows(named=True):
        row = int(record[ROW_COLUMN])
        values = {name: (record[name] or "").strip() for name in columns}
        for name in columns:
            if not values[name]:
                raise InputError(name, "", "missing", "the cell is empty", row=row)
        yield row, values


def _file_error(path: Path, error: TabularError) -> InputError:
    """A whole-file problem as an InputError: the missing columns or the bad row if known."""
    missing = error.params.get("missing")
    if isinstance(missing, list) and missing:
        return InputError(",".join(map(str, missing)), None, error.code, error.message)
    row = error.errors[0] if error.errors else None
    field = row.column if row is not None and row.column else "file"
    return InputError(field, path.name, error.code, error.message, row=row.row if row else None)
