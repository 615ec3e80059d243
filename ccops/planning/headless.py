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
    path: Path, required: Sequence[str], optional: Sequence[str] = ()
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
            columns={name: [name] for name in (*required, *optional)},
            required=required,
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
