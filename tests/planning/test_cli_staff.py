"""The `ccops staff` contract: forecast in, agents per interval out, exit 2 on bad input."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from ccops.cli import app

FORECAST = (
    "interval_start,calls\n2026-12-01 08:00,300\n2026-12-01 08:30,120.5\n2026-12-01 09:00,0\n"
)
ARGS = ["--aht", "180", "--sl", "0.8", "--threshold", "20", "--shrinkage", "0.3"]


def staff(tmp_path, body, *extra):
    source, target = tmp_path / "forecast.csv", tmp_path / "staff.csv"
    source.write_text(body)
    result = CliRunner().invoke(
        app, ["staff", "--forecast", str(source), *ARGS, *extra, "--out", str(target)]
    )
    return result, target


@pytest.mark.rule("PLAN-10")
def test_agents_and_scheduled_per_interval(tmp_path):
    result, target = staff(tmp_path, FORECAST)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open()))
    assert list(rows[0]) == [
        "interval_start",
        "calls",
        "agents",
        "scheduled",
        "service_level",
        "asa",
        "occupancy",
    ]
    assert [r["interval_start"] for r in rows] == [
        "2026-12-01 08:00",
        "2026-12-01 08:30",
        "2026-12-01 09:00",
    ]
    assert [int(r["agents"]) for r in rows] == [35, 16, 0]
    assert [int(r["scheduled"]) for r in rows] == [50, 23, 0]  # / (1 - 0.3), rounded up
    assert float(rows[0]["service_level"]) >= 0.8


def test_per_row_aht_overrides_the_option(tmp_path):
    body = "interval_start,calls,aht\n2026-12-01 08:00,300,\n2026-12-01 08:30,300,360\n"
    result, target = staff(tmp_path, body)
    assert result.exit_code == 0, result.output
    agents = [int(r["agents"]) for r in csv.DictReader(target.open())]
    assert agents[0] == 35
    assert agents[1] > 60


@pytest.mark.parametrize(
    ("body", "extra", "says"),
    [
        ("interval_start,calls\n2026-12-01 08:00,-4\n", [], "calls=-4.0"),
        ("interval_start,calls\n2026-12-01 08:00,abc\n", [], "row 2: calls='abc'"),
        ("interval_start,calls\nyesterday,3\n", [], "row 2: interval_start='yesterday'"),
        (
            "interval_start,calls\n2026-12-01 08:00,3\n2026-12-01 08:45,3\n",
            ["--interval-minutes", "30"],
            "row 3: interval_start='2026-12-01 08:45'",
        ),
        ("interval_start,calls\n2026-12-01 08:00,3\n2026-12-01 08:00,4\n", [], "appears twice"),
        ("interval_start,calls\n2026-12-01 08:00,3\n", ["--shrinkage", "1"], "shrinkage=1.0"),
        ("interval_start,calls\n2026-12-01 08:00,3\n", ["--aht", "0"], "aht=0.0"),
        ("interval_start\n2026-12-01 08:00\n", [], "calls"),
    ],
)
def test_bad_forecast_exits_2_and_writes_nothing(tmp_path, body, extra, says):
    result, target = staff(tmp_path, body, *extra)
    assert result.exit_code == 2
    assert says in result.output
    assert not target.exists()
