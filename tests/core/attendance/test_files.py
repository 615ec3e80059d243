"""The roster and clock files: columns, times, and rows that cannot be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ccops.core.attendance.files import read_clock, read_roster
from ccops.core.errors import InputError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ROSTER = "employee,date,shift_start,shift_end\n"
CLOCK = "employee,punch_time,direction\n"


def test_a_shift_ending_at_or_before_its_start_ends_the_next_day(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", ROSTER + "A,2026-10-05,22:00,06:00\nA,2026-10-07,08:00,08:00\n")
    night, whole = read_roster(path)
    assert (night.day, night.end) == (dt.date(2026, 10, 5), dt.datetime(2026, 10, 6, 6, 0))
    assert whole.end - whole.start == dt.timedelta(hours=24)
    assert (night.row, whole.row) == (2, 3)


def test_punch_times_may_carry_seconds_and_directions_any_case(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", CLOCK + "A,2026-10-05 08:03,in\nA,2026-10-05 17:00:41,OUT\n")
    first, second = read_clock(path)
    assert (first.at, first.direction, first.row) == (dt.datetime(2026, 10, 5, 8, 3), "in", 2)
    assert (second.at.second, second.direction) == (41, "out")


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [
        ("A,2026-10-32,08:00,17:00", "date", "not_a_date"),
        ("A,05/10/2026,08:00,17:00", "date", "not_a_date"),
        ("A,2026-10-05,25:00,17:00", "shift_start", "not_a_time"),
        ("A,2026-10-05,08:00,5pm", "shift_end", "not_a_time"),
        (",2026-10-05,08:00,17:00", "employee", "missing"),
    ],
)
def test_a_bad_roster_cell_names_row_and_field(tmp_path: Path, line, field, code) -> None:
    path = write(tmp_path, "r.csv", ROSTER + "B,2026-10-05,08:00,17:00\n" + line + "\n")
    with pytest.raises(InputError) as caught:
        read_roster(path)
    assert (caught.value.row, caught.value.field, caught.value.code) == (3, field, code)


def test_an_overlapping_roster_file_names_the_later_row(tmp_path: Path) -> None:
    text = ROSTER + "A,2026-10-05,22:00,06:00\nA,2026-10-06,05:00,13:00\n"
    with pytest.raises(InputError) as caught:
        read_roster(write(tmp_path, "r.csv", text))
    assert (caught.value.row, caught.value.field, caught.value.code) == (
        3,
        "shift_start",
        "overlap",
    )


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [
        ("A,2026-10-05 8.03,in", "punch_time", "not_a_datetime"),
        ("A,2026-02-30 08:03,in", "punch_time", "not_a_date"),
        ("A,2026-10-05 08:61,in", "punch_time", "not_a_time"),
        ("A,2026-10-05 08:03,break", "direction", "unknown"),
        ("A,2026-10-05 08:03,", "direction", "missing"),
    ],
)
def test_a_bad_clock_cell_names_row_and_field(tmp_path: Path, line, field, code) -> None:
    path = write(tmp_path, "c.csv", CLOCK + line + "\n")
    with pytest.raises(InputError) as caught:
        read_clock(path)
    assert (caught.value.row, caught.value.field, caught.value.code) == (2, field, code)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_clock(write(tmp_path, "c.csv", "employee,punch_time\nA,2026-10-05 08:03\n"))
    assert "direction" in str(caught.value)
