"""The `ccops attendance fines` contract: flags, columns, an example month, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ccops.cli import app

HEADER = "employee,late_count,early_count,absent_days,half_day_absences,fine_total,dismissal_flag"

ROSTER = """employee,date,shift_start,shift_end
A001,2026-10-05,08:00,17:00
A001,2026-10-06,08:00,17:00
A001,2026-10-08,08:00,17:00
A001,2026-10-09,08:00,17:00
B002,2026-09-30,22:00,06:00
B002,2026-10-05,22:00,06:00
B002,2026-10-06,22:00,06:00
C003,2026-10-05,08:00,17:00
C003,2026-10-06,08:00,17:00
C003,2026-10-08,12:00,20:00
D004,2026-11-02,08:00,17:00
E005,2026-10-05,08:00,17:00
"""

CLOCK = """employee,punch_time,direction
A001,2026-10-05 08:03,in
A001,2026-10-05 17:00,out
A001,2026-10-06 08:05:40,in
A001,2026-10-06 17:01,out
A001,2026-10-08 08:01,in
A001,2026-10-08 17:00,out
A001,2026-10-09 07:58,in
A001,2026-10-09 17:00,out
B002,2026-09-30 22:40,in
B002,2026-10-01 06:00,out
B002,2026-10-05 21:55,in
B002,2026-10-06 05:52,out
B002,2026-10-06 22:31,in
B002,2026-10-07 06:00,out
E005,2026-10-05 08:00,in
E005,2026-10-20 03:00,in
"""

EXPECTED = [
    # late 3, 5 and 1 min on the 5th, 6th and 8th (the 7th is off): 3 x 2 + 20 in a row
    "A001,3,0,0,0,26.00,false",
    # the 30 Sep night is September's; 8 min early (5), then 31 min late: half day (25)
    "B002,0,1,0,1,30.00,false",
    # absent three scheduled days: 3 x 50, dismissal
    "C003,0,0,3,0,150.00,true",
    # rostered in November only
    "D004,0,0,0,0,0.00,false",
    # no out: flagged, not fined
    "E005,0,0,0,0,0.00,false",
]


def files(tmp_path: Path, roster: str = ROSTER, clock: str = CLOCK) -> list[str]:
    (tmp_path / "roster.csv").write_text(roster, encoding="utf-8")
    (tmp_path / "clock.csv").write_text(clock, encoding="utf-8")
    return [
        "attendance",
        "fines",
        "--roster",
        str(tmp_path / "roster.csv"),
        "--clock",
        str(tmp_path / "clock.csv"),
        "--month",
        "2026-10",
        "--out",
        str(tmp_path / "out.csv"),
    ]


@pytest.mark.rule("ATT-08", "ATT-09", "ATT-10")
def test_an_example_month_gives_one_row_per_rostered_employee(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, files(tmp_path))
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    assert lines[1:] == EXPECTED


def test_flagged_days_and_unattributed_punches_are_listed(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, files(tmp_path))
    assert "flagged: E005 2026-10-05: missing_out" in result.output
    assert "unattributed: clock.csv row 17: E005 2026-10-20 03:00 in" in result.output


def test_another_month_counts_only_its_days(tmp_path: Path) -> None:
    args = files(tmp_path)
    args[args.index("2026-10")] = "2026-11"
    assert CliRunner().invoke(app, args).exit_code == 0
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1:] == [
        "A001,0,0,0,0,0.00,false",
        "B002,0,0,0,0,0.00,false",
        "C003,0,0,0,0,0.00,false",
        "D004,0,0,1,0,50.00,false",  # absent on 2 November
        "E005,0,0,0,0,0.00,false",
    ]


ROSTER_HEAD, CLOCK_HEAD = ROSTER.splitlines()[0], CLOCK.splitlines()[0]


@pytest.mark.parametrize(
    ("roster", "clock", "says"),
    [
        (
            f"{ROSTER_HEAD}\nA,2026-10-05,08:00,17:00\nA,2026-10-06,8h,17:00\n",
            CLOCK_HEAD,
            "roster.csv: row 3: shift_start='8h'",
        ),
        (
            f"{ROSTER_HEAD}\nA,2026-10-05,22:00,06:00\nA,2026-10-06,05:00,13:00\n",
            CLOCK_HEAD,
            "roster.csv: row 3: shift_start=",
        ),
        (
            f"{ROSTER_HEAD}\nA,2026-10-05,08:00,17:00\n",
            f"{CLOCK_HEAD}\nZ,2026-10-05 08:00,in\n",
            "clock.csv: row 2: employee='Z': not on the roster",
        ),
        (
            f"{ROSTER_HEAD}\nA,2026-10-05,08:00,17:00\n",
            f"{CLOCK_HEAD}\nA,2026-10-05 08:00,in\nA,2026-10-05 08:00,in\n",
            "clock.csv: row 3: punch_time=",
        ),
        (
            f"{ROSTER_HEAD}\nA,2026-10-05,08:00,17:00\n",
            f"{CLOCK_HEAD}\nA,2026-10-05 08:00,lunch\n",
            "clock.csv: row 2: direction='lunch'",
        ),
        (
            f"{ROSTER_HEAD}\nA,2026-10-05,08:00,17:00\n",
            f"{CLOCK_HEAD}\nA,2026-10-05 yesterday,in\n",
            "clock.csv: row 2: punch_time=",
        ),
        (
            f"{ROSTER_HEAD}\nA,2026-10-05,08:00,17:00\n",
            f"{CLOCK_HEAD}\nA,2026-10-05 17:00,in\nA,2026-10-05 08:00,out\n",
            "clock.csv: row 3: punch_time=",
        ),
        (
            f"{ROSTER_HEAD}\nA,2026-10-05,08:00,17:00\n",
            "employee,punch_time\nA,2026-10-05 08:00\n",
            'clock.csv: direction=None: The file "clock.csv" lacks required column(s): direction',
        ),
    ],
    ids=[
        "bad time",
        "overlap",
        "unknown employee",
        "duplicate",
        "direction",
        "bad datetime",
        "out before in",
        "missing column",
    ],
)
def test_bad_input_exits_2_naming_file_row_and_field(tmp_path: Path, roster, clock, says) -> None:
    result = CliRunner().invoke(app, files(tmp_path, roster, clock + "\n"))
    assert result.exit_code == 2
    assert says in result.output
    assert not (tmp_path / "out.csv").exists()


def test_a_bad_month_exits_2(tmp_path: Path) -> None:
    args = files(tmp_path)
    args[args.index("2026-10")] = "October"
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "--month='October'" in result.output
