"""The Curtois & Qu benchmark format, its independent checker and the CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ccops.core.errors import InputError
from ccops.core.roster.checker import runs, score_curtois
from ccops.core.roster.curtois import read_curtois, roster_rows
from ccops.core.roster.solve import solve

DATA = Path("/work/shared/data/curtois")
TINY = """\
SECTION_HORIZON
14
SECTION_SHIFTS
D,480,
N,600,D
SECTION_STAFF
A,D=14|N=3,4800,960,5,2,2,1
B,D=14|N=0,4800,960,3,1,1,2
SECTION_DAYS_OFF
A,0,6
SECTION_SHIFT_ON_REQUESTS
B,2,D,3
SECTION_SHIFT_OFF_REQUESTS
A,3,D,2
SECTION_COVER
1,D,1,100,1
2,D,2,100,1
2,N,1,50,1
"""


def test_reads_the_format():
    p = read_curtois(TINY)
    assert p.days == 14 and [s.code for s in p.shifts] == ["D", "N"]
    assert p.shifts[1].minutes == 600 and p.shifts[1].not_followed_by == {"D"}
    a, b = p.employees
    assert a.days_off == {0, 6} and a.contract.max_shifts == {"D": 14, "N": 3}
    assert (a.contract.max_minutes, a.contract.min_minutes) == (4800, 960)
    assert (a.contract.max_consecutive, a.contract.min_consecutive) == (5, 2)
    assert (a.contract.min_days_off, a.contract.max_weekends) == (2, 1)
    assert b.contract.max_shifts["N"] == 0
    assert [(r.employee, r.day, r.on) for r in p.requests] == [("B", 2, True), ("A", 3, False)]
    assert len(p.cover) == 3 and p.cover[2].under_weight == 50
    assert p.weekends() == [(5, 6), (12, 13)]


@pytest.mark.parametrize(
    ("broken", "field", "row"),
    [
        (TINY.replace("N,600,D", "N,six,D"), "shift length", 5),
        (TINY.replace("2,N,1,50,1", "2,N,1,50"), "cover", 18),
        (TINY.replace("2,N,1,50,1", "2,X,1,50,1"), "shift", None),
        (TINY.replace("B,2,D,3", "Z,2,D,3"), "employee", None),
        (TINY.replace("2,N,1,50,1", "20,N,1,50,1"), "day", None),
        (TINY.replace("SECTION_STAFF", "SECTION_STUFF"), "section", 6),
    ],
)
def test_bad_files_name_the_line_and_field(broken, field, row):
    with pytest.raises(InputError) as caught:
        read_curtois(broken)
    assert caught.value.field == field and caught.value.row == row


def test_runs_finds_blocks_of_work_and_rest():
    worked = [True, True, False, True, False, False]
    assert runs(worked, True) == [(0, 2), (3, 1)]
    assert runs(worked, False) == [(2, 1), (4, 2)]


def test_the_checker_counts_the_official_penalties():
    rows = [("A", 2, "D"), ("A", 3, "D"), ("B", 1, "D"), ("B", 2, "D"), ("B", 3, "D")]
    score = score_curtois(TINY, rows)
    # cover day 1 met, day 2 D met, day 2 N short by one (50); A's day off request
    # broken (2); B's request met; over-cover none. A works 2 days = 960 minutes.
    assert score.parts == {
        "shift on requests": 0,
        "shift off requests": 2,
        "under cover": 50,
        "over cover": 0,
    }
    assert score.objective == 52
    assert score.feasible, score.violations


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([("A", 0, "D")], "fixed day off"),
        ([("A", 2, "N"), ("A", 3, "D")], "may not follow"),
        ([("B", 2, "N")], "at most 0"),
        ([("A", 3, "D")], "at least 2"),  # a one-day block in the middle
        ([("A", d, "D") for d in (7, 8, 9, 10, 11, 12)], "at most 5"),
        ([("A", d, "D") for d in (1, 2, 3, 4, 5, 12, 13)], "weekends"),
        ([("A", 1, "D"), ("A", 1, "N")], "two shifts"),
        ([("A", 99, "D")], "unknown row"),
    ],
)
def test_the_checker_reports_each_broken_hard_rule(rows, words):
    violations = score_curtois(TINY, rows).violations
    assert any(words in v for v in violations), violations


def test_blocks_touching_the_ends_of_the_horizon_may_be_short():
    rows = [("B", 13, "D"), ("B", 0, "D")] + [("A", d, "D") for d in (1, 2)]
    violations = score_curtois(TINY, rows).violations
    assert not [v for v in violations if "in a row" in v or "is off" in v], violations


def test_solver_and_checker_agree_on_a_small_instance():
    text = (DATA / "Instance1.txt").read_text()
    result = solve(read_curtois(text), time_limit=20)
    score = score_curtois(text, roster_rows(result.assignment))
    assert result.status == "OPTIMAL" and score.feasible, score.violations
    assert score.objective == result.objective == 607  # the best known value
    assert result.lower_bound == pytest.approx(607) and result.gap == 0


def test_a_roster_explains_its_penalties():
    result = solve(read_curtois(TINY), time_limit=10)
    assert result.status == "OPTIMAL"
    assert sum(p.cost for p in result.penalties) == result.objective
    assert all(p.words and p.rule for p in result.penalties)


def test_cli_contract(tmp_path):
    out = tmp_path / "roster.csv"
    command = [
        sys.executable,
        "-m",
        "ccops.cli",
        "roster",
        "bench",
        "--format",
        "curtois",
        str(DATA / "Instance1.txt"),
        "--time-limit",
        "20",
        "--json",
        "--out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    summary = json.loads(done.stdout)
    assert set(summary) == {"objective", "status", "seconds", "lower_bound"}
    assert summary["objective"] == 607 and summary["status"] == "OPTIMAL"
    lines = out.read_text().splitlines()
    assert lines[0] == "employee,day,shift" and len(lines) > 50
    employee, day, shift = lines[1].split(",")
    assert employee in "ABCDEFGH" and 0 <= int(day) < 14 and shift == "D"


def test_cli_refuses_bad_input_with_exit_code_2(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(TINY.replace("N,600,D", "N,six,D"))
    done = subprocess.run(
        [sys.executable, "-m", "ccops.cli", "roster", "bench", str(bad), "--json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "shift length" in done.stderr and "row 5" in done.stderr
