"""Planning from files without a database: what the `ccops erlang`, `staff` and
`forecast` commands do. The CSV columns and JSON keys here are a contract that tools
outside ccops rely on; keep them exactly as they are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from ccops.core import erlang
from ccops.core.errors import InputError
from ccops.core.staffing import ServiceTarget, Shrinkage, staff_intervals
from ccops.core.tabular import TabularError, read_table

ERLANG_OUT = ("agents", "service_level", "asa", "occupancy")


def erlang_answer(
    *,
    calls: float,
    aht: float,
    interval_minutes: float,
    sl: float,
    threshold: float,
    patience: float | None = None,
    max_occupancy: float | None = None,
) -> dict[str, float | int | None]:
    """Required agents for one interval, as the JSON object of `ccops erlang --json`."""
    metrics = erlang.required_agents(
        calls,
        aht,
        interval_minutes,
        service_level=sl,
        threshold=threshold,
        patience=patience,
        max_occupancy=max_occupancy,
    )
    answer: dict[str, float | int | None] = {
        "agents": int(metrics.agents),
        "service_level": _finite(metrics.service_level),
        "asa": _finite(metrics.asa),
        "occupancy": _finite(metrics.occupancy),
        "p_wait": _finite(metrics.p_wait),
    }
    if metrics.p_abandon is not None:
        answer["p_abandon"] = _finite(metrics.p_abandon)
    return answer


def _finite(value: np.ndarray | float) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def read_numbers(
    path: Path, required: Sequence[str], optional: Sequence[str] = (), *, text: Sequence[str] = ()
) -> tuple[dict[str, np.ndarray], pl.DataFrame]:
    """Numeric columns of a CSV/XLSX file (blanks in optional columns are NaN), and the
    file's columns as text (absent optional ones left out).

    Raises:
        InputError: a missing column, a blank required cell or a cell that is not a number,
            naming the row (header = row 1), the column and the value.
    """
    try:
        table = read_table(
            path,
            columns={name: [name] for name in (*text, *required, *optional)},
            required=(*text, *required),
            filename=path.name,
        )
    except TabularError as exc:
        field = str(exc.params.get("column", exc.params.get("columns", "file")))
        raise InputError(field, path.name, exc.code, exc.message) from exc
    frame = table.frame
    rows = frame["__row__"].to_numpy()
    columns = {name: _column(frame, name, rows, name in required) for name in required}
    for name in optional:
        columns[name] = _column(frame, name, rows, False)
    columns["__row__"] = rows
    absent = [name for name in optional if name not in table.source_columns]
    return columns, frame.drop(absent)


def _column(frame: pl.DataFrame, name: str, rows: np.ndarray, required: bool) -> np.ndarray:
    text = frame[name].str.strip_chars()
    values = text.cast(pl.Float64, strict=False)
    bad = (values.is_null() & text.is_not_null() & (text != "")) | values.is_nan()
    if required:
        bad |= text.is_null() | (text == "")
    if bad.any():
        first = int(bad.arg_max() or 0)
        raise InputError(name, text[first], "not_numeric", "must be a number", row=int(rows[first]))
    return values.fill_null(float("nan")).to_numpy()


def erlang_batch(source: Path, target: Path, *, sl: float, threshold: float) -> int:
    """`ccops erlang --batch IN --out OUT`: required agents for every row of IN.

    IN has `calls,aht,interval_minutes` and optionally `sl,threshold,patience` (blank =
    the command's defaults; a patience switches the row to Erlang A). OUT is IN with
    `agents,service_level,asa,occupancy` added. Returns the number of rows written.
    """
    data, frame = read_numbers(
        source, ("calls", "aht", "interval_minutes"), ("sl", "threshold", "patience")
    )
    count = len(data["calls"])
    targets = np.where(np.isnan(data["sl"]), sl, data["sl"])
    thresholds = np.where(np.isnan(data["threshold"]), threshold, data["threshold"])
    result = {name: np.zeros(count) for name in ERLANG_OUT}
    for target_sl, erlang_a in {
        (t, not math.isnan(p)) for t, p in zip(targets, data["patience"], strict=True)
    }:
        rows = (targets == target_sl) & (~np.isnan(data["patience"]) == erlang_a)
        try:
            metrics = erlang.required_agents(
                data["calls"][rows],
                data["aht"][rows],
                data["interval_minutes"][rows],
                service_level=float(target_sl),
                threshold=thresholds[rows],
                patience=data["patience"][rows] if erlang_a else None,
            )
        except InputError as exc:
            raise _at_file_row(exc, data["__row__"][rows]) from exc
        for name in ERLANG_OUT:
            result[name][rows] = getattr(metrics, name)
    added = {name: result[name] for name in ERLANG_OUT}
    added["agents"] = result["agents"].astype(np.int64)
    _write_beside(frame, target, added)
    return count


def _at_file_row(error: InputError, file_rows: np.ndarray) -> InputError:
    """The same error with the file's row number instead of the array position."""
    row = int(file_rows[error.row - 1]) if error.row is not None else None
    return InputError(error.field, error.value, error.code, error.reason, row=row)


def _write_beside(frame: pl.DataFrame, target: Path, added: dict[str, np.ndarray]) -> None:
    """Write the input's columns as read and the added ones to a CSV file."""
    out = frame.drop("__row__").with_columns(
        pl.Series(name, values) for name, values in added.items()
    )
    out.write_csv(target)


STAFF_OUT = ("agents", "scheduled", "service_level", "asa", "occupancy")
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_starts(text: pl.Series, rows: np.ndarray) -> np.ndarray:
    """Interval starts as naive local minutes (datetime64[m]); InputError names a bad row."""
    clean = text.str.strip_chars()
    parsed = pl.Series(values=[None] * len(clean), dtype=pl.Datetime("us"))
    for layout in _TIME_FORMATS:
        parsed = parsed.fill_null(clean.str.strptime(pl.Datetime("us"), layout, strict=False))
    bad = parsed.is_null()
    if bad.any():
        first = int(bad.arg_max() or 0)
        raise InputError(
            "interval_start",
            clean[first],
            "not_a_time",
            "must be a date and time like 2026-12-01 08:30",
            row=int(rows[first]),
        )
    starts = parsed.to_numpy().astype("datetime64[s]")
    if (starts != starts.astype("datetime64[m]")).any():
        first = int(np.flatnonzero(starts != starts.astype("datetime64[m]"))[0])
        raise InputError(
            "interval_start",
            clean[first],
            "misaligned",
            "must start on a whole minute",
            row=int(rows[first]),
        )
    return starts.astype("datetime64[m]")


def grid_minutes(starts: np.ndarray, given: int | None) -> int:
    """The interval length: given, or the smallest step between distinct starts."""
    if given is not None:
        if given <= 0 or 1440 % given:
            raise InputError(
                "interval_minutes", given, "out_of_range", "must divide a day (15, 30, 60 ...)"
            )
        return given
    steps = np.diff(np.unique(starts)).astype(np.int64)
    return int(steps.min()) if len(steps) else 30


def check_on_grid(starts: np.ndarray, minutes: int, rows: np.ndarray) -> None:
    """Every start sits on the interval grid counted from midnight; no start repeats."""
    of_day = (starts - starts.astype("datetime64[D]")).astype(np.int64)
    off = np.flatnonzero(of_day % minutes)
    if len(off):
        raise InputError(
            "interval_start",
            str(starts[off[0]]).replace("T", " "),
            "misaligned",
            f"does not start a {minutes}-minute interval",
            row=int(rows[off[0]]),
        )
    _, first_seen, counts = np.unique(starts, return_index=True, return_counts=True)
    if (counts > 1).any():
        again = int(first_seen[np.flatnonzero(counts > 1)[0]])
        raise InputError(
            "interval_start",
            str(starts[again]).replace("T", " "),
            "duplicate",
            "appears twice",
            row=int(rows[again]),
        )


def staff_file(
    source: Path,
    target: Path,
    *,
    aht: float,
    sl: float,
    threshold: float,
    shrinkage: float,
    interval_minutes: int | None = None,
    patience: float | None = None,
    max_occupancy: float | None = None,
) -> int:
    """`ccops staff --forecast IN --out OUT`: agents per interval of a forecast.

    IN has `interval_start,calls` (and optionally `aht`, which then overrides --aht row by
    row). OUT has `interval_start,calls` and `agents` (on the phones), `scheduled` (after
    shrinkage, rounded up), `service_level`, `asa`, `occupancy`. Returns the rows written.
    """
    shrink = Shrinkage.of_total(shrinkage)
    data, frame = read_numbers(source, ("calls",), ("aht",), text=("interval_start",))
    rows = data["__row__"]
    starts = parse_starts(frame["interval_start"], rows)
    minutes = grid_minutes(starts, interval_minutes)
    check_on_grid(starts, minutes, rows)
    handle = np.where(np.isnan(data["aht"]), aht, data["aht"])
    try:
        plan = staff_intervals(
            data["calls"],
            handle,
            minutes,
            target=ServiceTarget(sl, threshold, max_occupancy=max_occupancy, patience=patience),
            shrinkage=shrink,
        )
    except InputError as exc:
        raise _at_file_row(exc, rows) from exc
    out = pl.DataFrame(
        {
            "interval_start": [str(s).replace("T", " ") for s in starts],
            "calls": data["calls"],
            "agents": plan.required,
            "scheduled": plan.scheduled_heads,
            "service_level": plan.service_level,
            "asa": plan.asa,
            "occupancy": plan.occupancy,
        }
    ).sort("interval_start")
    out.write_csv(target)
    return out.height


def forecast_file(source: Path, target: Path, *, interval_minutes: int, horizon_days: int) -> int:
    """`ccops forecast --history IN --out OUT`: calls for every open interval of the
    horizon that starts the day after the last history day. Returns the rows written."""
    from ccops.core.forecast import forecast_calls

    data, frame = read_numbers(source, ("calls",), ("aht",), text=("interval_start",))
    rows = data["__row__"]
    starts = parse_starts(frame["interval_start"], rows)
    try:
        result = forecast_calls(
            starts,
            data["calls"],
            interval_minutes=interval_minutes,
            horizon_days=horizon_days,
            aht=data["aht"] if "aht" in frame.columns else None,
        )
    except InputError as exc:
        raise _at_file_row(exc, rows) from exc
    out = pl.DataFrame(
        {
            "interval_start": [str(s).replace("T", " ") for s in result.starts],
            "calls": result.calls.mean,
        }
    )
    out.write_csv(target)
    return out.height
