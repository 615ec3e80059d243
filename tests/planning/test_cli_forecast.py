"""The `ccops forecast` contract: interval_start,calls in and out; exit 2 on bad input."""

from __future__ import annotations

import csv
import datetime as dt

from typer.testing import CliRunner

from ccops.cli import app


def _history(path, days=21):
    start = dt.datetime(2026, 10, 5, 8, 0)
    lines = ["interval_start,calls"]
    for day in range(days):
        for half in range(24):
            at = start + dt.timedelta(days=day, minutes=30 * half)
            lines.append(f"{at:%Y-%m-%d %H:%M},{40 + half}")
    path.write_text("\n".join(lines) + "\n")


def test_forecast_writes_every_open_interval_of_the_horizon(tmp_path):
    source, target = tmp_path / "h.csv", tmp_path / "f.csv"
    _history(source)
    result = CliRunner().invoke(
        app,
        [
            "forecast",
            "--history",
            str(source),
            "--interval-minutes",
            "30",
            "--horizon-days",
            "7",
            "--out",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open()))
    assert list(rows[0]) == ["interval_start", "calls"]
    assert rows[0]["interval_start"] == "2026-10-26 08:00"
    assert len(rows) == 7 * 24
    assert all(float(r["calls"]) >= 0 for r in rows)


def test_short_history_and_zero_horizon_exit_2(tmp_path):
    source, target = tmp_path / "h.csv", tmp_path / "f.csv"
    _history(source, days=5)
    short = CliRunner().invoke(app, ["forecast", "--history", str(source), "--out", str(target)])
    assert short.exit_code == 2 and "history" in short.output
    _history(source)
    zero = CliRunner().invoke(
        app, ["forecast", "--history", str(source), "--horizon-days", "0", "--out", str(target)]
    )
    assert zero.exit_code == 2 and "horizon_days=0" in zero.output
    assert not target.exists()
