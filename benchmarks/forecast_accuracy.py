"""Benchmark: accuracy of the interval forecast against statsforecast's models.

Data: a real bank call center, 6-minute call counts for all of 1999
(``../shared/data/anonymous_bank_1999_6min.csv``, columns ``interval_start,calls``).
The last 28 days are held out; everything before them is the history. Ours is
``ccops.core.forecast.forecast_calls(..., interval_minutes=30, horizon_days=28,
method="auto")``. The peers run directly through statsforecast on the same history in the
same run, without cleaning or calendars:

* 30 minutes: SeasonalNaive(336), AutoETS(season_length=48), MSTL(season_length=[48, 336]);
* daily totals: SeasonalNaive(7), AutoETS(7), MSTL(7), AutoARIMA(7), and each 30-minute
  peer summed per day.

WAPE = sum |forecast - actual| / sum actual, at 30 minutes over the open intervals (the
rows of our forecast, learnt from the history alone; peers on the same intervals) and
per day over all 28 days. Forecasts below zero count as zero. Target (issue 3): ours <=
0.95 x the best peer at both levels, the daily peers being the models fitted on daily
totals (the issue's "best peer 11.3 % daily" is MSTL(7)). The 30-minute peers summed per
day are printed beside them for information, with our ratio to the best of them, but do
not decide the result. Exits 1 when either target fails.

    .venv/bin/python benchmarks/forecast_accuracy.py [--data PATH] [--holdout-days 28]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccops.core.forecast import forecast_calls, wape  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "anonymous_bank_1999_6min.csv"
INTERVAL = 30
SLOTS = 1440 // INTERVAL
TARGET_RATIO = 0.95
SUMMED = " summed per day"


def load(path: Path) -> tuple[np.ndarray, np.ndarray]:
    frame = pl.read_csv(path, schema_overrides={"interval_start": pl.Utf8})
    starts = frame["interval_start"].str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M")
    return starts.to_numpy().astype("datetime64[m]"), frame["calls"].to_numpy().astype(float)


def per_interval(starts: np.ndarray, calls: np.ndarray, first_day: np.datetime64, days: int):
    """Calls summed into a days x 30-minute matrix starting at ``first_day``."""
    minutes = (starts - first_day.astype("datetime64[m]")).astype(np.int64)
    keep = (minutes >= 0) & (minutes < days * 1440)
    cells = minutes[keep] // INTERVAL
    return np.bincount(cells, weights=calls[keep], minlength=days * SLOTS).reshape(days, SLOTS)


def run_peers(history: np.ndarray, first_day: np.datetime64, horizon: int) -> dict[str, dict]:
    """Peer forecasts: {level: {name: days x slots (30-min) or days (daily)}} and seconds."""
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoARIMA, AutoETS, SeasonalNaive

    days = history.shape[0]
    stamps = pd.date_range(str(first_day), periods=days * SLOTS, freq=f"{INTERVAL}min")
    fine = pd.DataFrame({"unique_id": "calls", "ds": stamps, "y": history.ravel()})
    daily = pd.DataFrame(
        {
            "unique_id": "calls",
            "ds": pd.date_range(str(first_day), periods=days, freq="D"),
            "y": history.sum(axis=1),
        }
    )
    seconds: dict[str, float] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        fine_models = [
            SeasonalNaive(season_length=7 * SLOTS),
            AutoETS(season_length=SLOTS),
            MSTL(season_length=[SLOTS, 7 * SLOTS]),
        ]
        got = StatsForecast(models=fine_models, freq=f"{INTERVAL}min", n_jobs=1).forecast(
            df=fine, h=horizon * SLOTS, level=[80]
        )
        seconds["30-minute peers"] = time.perf_counter() - started
        started = time.perf_counter()
        daily_models = [
            SeasonalNaive(season_length=7),
            AutoETS(season_length=7),
            MSTL(season_length=7),
            AutoARIMA(season_length=7),
        ]
        got_daily = StatsForecast(models=daily_models, freq="D", n_jobs=1).forecast(
            df=daily, h=horizon
        )
        seconds["daily peers"] = time.perf_counter() - started
    fine_names = {"SeasonalNaive": "SeasonalNaive(336)", "AutoETS": "AutoETS(48)"}
    fine_names["MSTL"] = "MSTL([48, 336])"
    at_30 = {
        label: np.clip(got[name].to_numpy(), 0, None).reshape(horizon, SLOTS)
        for name, label in fine_names.items()
    }
    bands = {
        "MSTL([48, 336])": (
            np.clip(got["MSTL-lo-80"].to_numpy(), 0, None).reshape(horizon, SLOTS),
            got["MSTL-hi-80"].to_numpy().reshape(horizon, SLOTS),
        )
    }
    at_day = {
        f"{name}(7), daily": np.clip(got_daily[name].to_numpy(), 0, None)
        for name in ("SeasonalNaive", "AutoETS", "MSTL", "AutoARIMA")
    }
    for label, forecast in at_30.items():
        at_day[f"{label}{SUMMED}"] = forecast.sum(axis=1)
    return {"30min": at_30, "daily": at_day, "bands": bands, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--holdout-days", type=int, default=28)
    args = parser.parse_args()
    horizon = args.holdout_days
    starts, calls = load(args.data)
    first_day = starts.min().astype("datetime64[D]")
    last_day = starts.max().astype("datetime64[D]")
    cut = last_day - horizon + 1
    train = starts < cut.astype("datetime64[m]")
    print(f"data: {args.data.name}, {len(starts):,} rows, {first_day} .. {last_day}")
    print(f"history {first_day} .. {cut - 1}, held out {cut} .. {last_day} ({horizon} days)")

    started = time.perf_counter()
    ours = forecast_calls(
        starts[train], calls[train], interval_minutes=INTERVAL, horizon_days=horizon
    )
    our_seconds = time.perf_counter() - started
    actual = per_interval(starts[~train], calls[~train], cut, horizon)
    mine = np.zeros((horizon, SLOTS))
    lower, upper = np.zeros((horizon, SLOTS)), np.zeros((horizon, SLOTS))
    cells = (ours.starts - cut.astype("datetime64[m]")).astype(np.int64) // INTERVAL
    is_open = np.zeros(horizon * SLOTS, dtype=bool)
    is_open[cells] = True
    is_open = is_open.reshape(horizon, SLOTS)
    mine.ravel()[cells] = ours.calls.mean
    lower.ravel()[cells], upper.ravel()[cells] = ours.calls.lower, ours.calls.upper
    history_days = int((cut - first_day).astype(np.int64))
    history = per_interval(starts[train], calls[train], first_day, history_days)
    peers = run_peers(history, first_day, horizon)

    print(f"ours: method chosen {ours.method!r} in {our_seconds:.1f} s")
    print("  back-test WAPE: " + ", ".join(f"{k} {v:.1%}" for k, v in ours.backtest.items()))
    print(f"  anomalous history days kept out of training: {len(ours.anomalous_days)}")
    print(
        f"  open intervals in the horizon: {is_open.sum()} of {is_open.size}; "
        f"actual calls in closed ones: {actual[~is_open].sum():.0f} of {actual.sum():.0f}"
    )
    for label, seconds in peers["seconds"].items():
        print(f"{label}: {seconds:.1f} s")

    results = {}
    print()
    print("| level | forecast | WAPE |")
    print("| --- | --- | --- |")
    for level in ("30min", "daily"):
        if level == "30min":
            truth = actual[is_open]
            score = {"ours": wape(truth, mine[is_open])}
            score |= {k: wape(truth, v[is_open]) for k, v in peers["30min"].items()}
        else:
            truth = actual.sum(axis=1)
            score = {"ours": wape(truth, mine.sum(axis=1))}
            score |= {k: wape(truth, v) for k, v in peers["daily"].items()}
        for name, value in score.items():
            print(f"| {level} | {name} | {value:.2%} |")
        rivals = {k: v for k, v in score.items() if k != "ours" and not k.endswith(SUMMED)}
        results[level] = (score["ours"], min((v, k) for k, v in rivals.items()))
        summed = {k: v for k, v in score.items() if k.endswith(SUMMED)}
        if summed:
            value, name = min((v, k) for k, v in summed.items())
            print(f"| {level} | (information) ours / {name} | {score['ours'] / value:.3f} |")
    print()
    all_intervals = wape(actual.ravel(), mine.ravel())
    print(f"ours at 30 minutes over all intervals (closed = 0 calls): {all_intervals:.2%}")
    inside = (actual[is_open] >= lower[is_open]) & (actual[is_open] <= upper[is_open])
    lo, hi = peers["bands"]["MSTL([48, 336])"]
    peer_inside = (actual[is_open] >= lo[is_open]) & (actual[is_open] <= hi[is_open])
    print(
        f"80 % band coverage at 30 minutes: ours {inside.mean():.1%}, "
        f"MSTL([48, 336]) {peer_inside.mean():.1%}"
    )
    failed = False
    for level, (our_wape, (best_wape, best_name)) in results.items():
        ratio = our_wape / best_wape
        ok = ratio <= TARGET_RATIO
        failed |= not ok
        print(
            f"{level}: ours {our_wape:.2%}, best peer {best_name} {best_wape:.2%}, "
            f"ratio {ratio:.3f} (target <= {TARGET_RATIO}) {'PASS' if ok else 'FAIL'}"
        )
    print("RESULT:", "FAIL" if failed else "PASS")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
