"""The `ccops erlang` contract: flags, JSON keys, batch columns, exit code 2 on bad input."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ccops.cli import app

ARGS = ["erlang", "--calls", "300", "--aht", "180", "--interval-minutes", "30"]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.rule("PLAN-10")
def test_json_answer_has_the_contract_keys():
    result = run(*ARGS, "--sl", "0.8", "--threshold", "20", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert list(answer) == ["agents", "service_level", "asa", "occupancy", "p_wait"]
    assert answer["agents"] == 35
    assert answer["service_level"] == pytest.approx(0.83672, abs=1e-5)
    assert answer["occupancy"] == pytest.approx(30 / 35)


def test_patience_adds_abandonment():
    answer = json.loads(run(*ARGS, "--patience", "60", "--json").stdout)
    assert set(answer) == {"agents", "service_level", "asa", "occupancy", "p_wait", "p_abandon"}
    assert 0 < answer["p_abandon"] < 0.2


def test_occupancy_is_capped_only_when_asked():
    free = json.loads(run("erlang", "--calls", "3000", "--aht", "180", "--json").stdout)
    capped = json.loads(
        run("erlang", "--calls", "3000", "--aht", "180", "--max-occupancy", "0.85", "--json").stdout
    )
    assert free["occupancy"] > 0.85
    assert capped["occupancy"] <= 0.85
    assert capped["agents"] == 353  # ceil(300 Erlangs / 0.85)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--calls", "-3", "--aht", "180"], "calls=-3.0"),
        (["--calls", "30", "--aht", "0"], "aht=0.0"),
        (["--calls", "lots", "--aht", "180"], "'lots' is not a number"),
        (["--calls", "30", "--aht", "180", "--interval-minutes", "0"], "interval_minutes=0.0"),
        (["--calls", "30", "--aht", "180", "--sl", "1.5"], "sl=1.5"),
    ],
)
def test_bad_input_exits_2_naming_field_and_value(args, says):
    result = run("erlang", *args, "--json")
    assert result.exit_code == 2
    assert says in result.output
    assert result.stdout.strip() == "" or "{" not in result.stdout


def test_batch_adds_the_answer_columns(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "calls,aht,interval_minutes,sl,threshold,patience\n"
        "300,180,30,,,\n"
        "300,180,30,0.9,15,\n"
        "120,200,15,,,90\n"
        "0,180,30,,,\n"
    )
    result = run("erlang", "--batch", str(source), "--out", str(target))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open()))
    assert list(rows[0])[-4:] == ["agents", "service_level", "asa", "occupancy"]
    assert [int(r["agents"]) for r in rows] == [35, 37, 28, 0]
    single = json.loads(run(*ARGS, "--sl", "0.9", "--threshold", "15", "--json").stdout)
    assert single["agents"] == 37
    assert float(rows[1]["service_level"]) == pytest.approx(single["service_level"], rel=1e-15)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("calls,aht,interval_minutes\n300,180,30\n12x,200,15\n", "row 3: calls='12x'"),
        ("calls,aht,interval_minutes\n300,180,30\n12,0,15\n", "row 3: aht=0.0"),
        ("calls,aht\n300,180\n", "interval_minutes"),
        ("calls,aht,interval_minutes\n-1,180,30\n", "row 2: calls=-1.0"),
    ],
)
def test_batch_refuses_bad_rows_and_writes_nothing(tmp_path, body, says):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(body)
    result = run("erlang", "--batch", str(source), "--out", str(target))
    assert result.exit_code == 2
    assert says in result.output
    assert not target.exists()


def test_installed_command_runs():
    """The console script itself, as outside tools call it."""
    done = subprocess.run(
        [sys.executable, "-m", "ccops.cli", *ARGS, "--sl", "0.8", "--threshold", "20", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["agents"] == 35
