"""Set-based upsert of a validated frame into its table, counting what changed.

Keys first: the batch's natural keys go into a small temporary table and one join
tells which already exist. New rows are then loaded straight into the target
(PostgreSQL COPY, SQLite executemany); only rows whose key exists are staged in full,
compared column by column, read for the audit trail where they differ and updated.
The caller runs this inside its transaction, so a batch is all or nothing; imports of
the same table are serialised by a transaction-scoped advisory lock on PostgreSQL
(SQLite serialises writers itself).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, models

CHUNK_ROWS = 100_000
Progress = Callable[[float], None]


@dataclass(frozen=True)
class MergeResult:
    inserted: int
    updated: int
    unchanged: int
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]]  # (row id, before, after)


@dataclass(frozen=True)
class Target:
    """The table and its natural key and value columns (attnames and database columns)."""

    model: type[models.Model]
    key: tuple[str, ...]
    values: tuple[str, ...]

    @property
    def table(self) -> str:
        return connection.ops.quote_name(self.model._meta.db_table)

    def columns(self, names: tuple[str, ...]) -> list[str]:
        fields = {f.attname: f.column for f in self.model._meta.concrete_fields}
        return [fields[name] for name in names]


def _quoted(names: list[str], prefix: str = "") -> str:
    return ", ".join(prefix + connection.ops.quote_name(n) for n in names)


def _distinct(a: str, b: str) -> str:
    op = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return f"{a} {op} {b}"


def _as_stored(frame: pl.DataFrame) -> pl.DataFrame:
    """Values as the database takes them as text: UTC datetimes, booleans per backend."""
    postgres = connection.vendor == "postgresql"
    casts = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            fmt = "%Y-%m-%d %H:%M:%S+00" if postgres else "%Y-%m-%d %H:%M:%S"
            casts.append(pl.col(name).dt.strftime(fmt))
        elif dtype == pl.Boolean and not postgres:
            casts.append(pl.col(name).cast(pl.Int8))
    return frame.with_columns(casts) if casts else frame


def _load(
    cursor: Any, table: str, cols: list[str], frame: pl.DataFrame, progress: Progress
) -> None:
    """Append `frame` (columns in `cols` order) to `table` in chunks."""
    frame = _as_stored(frame)
    names = _quoted(cols)
    raw = cursor.cursor
    for start in range(0, frame.height, CHUNK_ROWS):
        chunk = frame.slice(start, CHUNK_ROWS)
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            chunk.write_csv(buffer, include_header=False, null_value="\\N")
            sql = f"COPY {table} ({names}) FROM STDIN (FORMAT csv, NULL '\\N')"
            with raw.copy(sql) as copy:
                copy.write(buffer.getvalue())
        else:
            marks = ", ".join("?" for _ in cols)
            raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", chunk.iter_rows())  # noqa: S608
        progress(min(1.0, (start + chunk.height) / max(frame.height, 1)))


def _temp_table(cursor: Any, name: str, target: Target, cols: list[str], extra: str = "") -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(
        f"CREATE TEMP TABLE {name} AS SELECT {_quoted(cols)}{extra} "  # noqa: S608
        f"FROM {target.table} WHERE 1 = 0"
    )


def _lock(cursor: Any, target: Target) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(target.table.encode())])


def _already_stored(cursor: Any, target: Target, frame: pl.DataFrame, batch_id: int) -> pl.Series:
    """For each row of the frame, whether the table already holds its key."""
    key_cols = target.columns(target.key)
    stage = f"ccops_keys_{batch_id}"
    _temp_table(cursor, stage, target, key_cols, ", CAST(0 AS BIGINT) AS ccops_row")
    keys = frame.select(list(target.key)).with_row_index("ccops_row")
    keys.columns = ["ccops_row", *key_cols]
    _load(cursor, stage, ["ccops_row", *key_cols], keys, lambda _: None)
    qn = connection.ops.quote_name
    match = " AND ".join(f"t.{qn(c)} = s.{qn(c)}" for c in key_cols)
    cursor.execute(f"SELECT s.ccops_row FROM {stage} s JOIN {target.table} t ON {match}")  # noqa: S608
    found = [row[0] for row in cursor.fetchall()]
    cursor.execute(f"DROP TABLE {stage}")
    mask = pl.Series("stored", [False] * frame.height)
    return mask.scatter(found, True) if found else mask


def _update_existing(
    cursor: Any, target: Target, rows: pl.DataFrame, batch_id: int
) -> tuple[int, list[tuple[int, dict[str, Any], dict[str, Any]]]]:
    """Stage rows whose key exists, record the ones that differ, update them."""
    key_cols, value_cols = target.columns(target.key), target.columns(target.values)
    cols = key_cols + value_cols
    stage = f"ccops_stage_{batch_id}"
    _temp_table(cursor, stage, target, cols)
    staged = rows.select(list(target.key) + list(target.values))
    staged.columns = cols
    _load(cursor, stage, cols, staged, lambda _: None)
    qn = connection.ops.quote_name
    match = " AND ".join(f"t.{qn(c)} = s.{qn(c)}" for c in key_cols)
    differs = " OR ".join(_distinct(f"t.{qn(c)}", f"s.{qn(c)}") for c in value_cols)
    cursor.execute(
        f"SELECT t.id, {_quoted(value_cols, 't.')}, {_quoted(value_cols, 's.')} "  # noqa: S608
        f"FROM {target.table} t JOIN {stage} s ON {match} WHERE {differs}"
    )
    n = len(target.values)
    changes = [
        (
            row[0],
            dict(zip(target.values, row[1 : 1 + n], strict=True)),
            dict(zip(target.values, row[1 + n :], strict=True)),
        )
        for row in cursor.fetchall()
    ]
    if changes:
        sets = ", ".join(f"{qn(c)} = s.{qn(c)}" for c in value_cols)
        cursor.execute(
            f"UPDATE {target.table} AS t SET {sets}, batch_id = %s FROM {stage} s "  # noqa: S608
            f"WHERE {match} AND ({differs})",
            [batch_id],
        )
    cursor.execute(f"DROP TABLE {stage}")
    return len(changes), changes


def merge_frame(
    model: type[models.Model],
    key: tuple[str, ...],
    values: tuple[str, ...],
    frame: pl.DataFrame,
    batch_id: int,
    progress: Progress = lambda _: None,
) -> MergeResult:
    """Upsert `frame` (columns named by field attnames) into `model`'s table; see module doc."""
    target = Target(model, key, values)
    with connection.cursor() as cursor:
        _lock(cursor, target)
        stored = _already_stored(cursor, target, frame, batch_id)
        progress(0.1)
        old_rows, new_rows = frame.filter(stored), frame.filter(~stored)
        cols = [*target.columns(key), *target.columns(values), "batch_id"]
        fresh = new_rows.select(*key, *values, pl.lit(batch_id).alias("batch_id"))
        fresh.columns = cols
        _load(cursor, target.table, cols, fresh, lambda f: progress(0.1 + 0.8 * f))
        updated, changes = (
            _update_existing(cursor, target, old_rows, batch_id) if old_rows.height else (0, [])
        )
    progress(1.0)
    return MergeResult(new_rows.height, updated, old_rows.height - updated, changes)
