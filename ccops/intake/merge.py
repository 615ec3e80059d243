"""Set-based upsert of a validated frame into its table, counting what changed.

The rows go into a temporary staging table (PostgreSQL COPY, SQLite executemany), and
three statements then classify every row against the target by its natural key:
changed rows are read for the audit trail and updated, new rows inserted, the rest are
unchanged. The caller runs this inside its transaction, so a batch is all or nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, models

CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class MergeResult:
    inserted: int
    updated: int
    unchanged: int
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]]  # (row id, before, after)


def _columns(model: type[models.Model], names: tuple[str, ...]) -> list[str]:
    fields = {f.attname: f.column for f in model._meta.concrete_fields}
    return [fields[name] for name in names]


def _distinct(a: str, b: str) -> str:
    op = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return f"{a} {op} {b}"


def _for_sqlite(frame: pl.DataFrame) -> pl.DataFrame:
    """Values as Django's SQLite backend stores them (UTC text datetimes, 0/1 booleans)."""
    casts = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            casts.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S"))
        elif dtype == pl.Boolean:
            casts.append(pl.col(name).cast(pl.Int8))
    return frame.with_columns(casts) if casts else frame


def _load_postgres(
    cursor: Any, stage: str, cols: list[str], frame: pl.DataFrame, progress: Callable[[float], None]
) -> None:
    frame = frame.with_columns(
        pl.col(n).dt.strftime("%Y-%m-%d %H:%M:%S+00")
        for n, t in frame.schema.items()
        if isinstance(t, pl.Datetime)
    )
    sql = f"COPY {stage} ({', '.join(cols)}) FROM STDIN (FORMAT csv, NULL '\\N')"  # noqa: S608
    with cursor.copy(sql) as copy:
        for start in range(0, frame.height, CHUNK_ROWS):
            chunk = frame.slice(start, CHUNK_ROWS)
            buffer = io.BytesIO()
            chunk.write_csv(buffer, include_header=False, null_value="\\N", quote_style="necessary")
            copy.write(buffer.getvalue())
            progress(min(1.0, (start + chunk.height) / max(frame.height, 1)))


def _load_sqlite(
    cursor: Any, stage: str, cols: list[str], frame: pl.DataFrame, progress: Callable[[float], None]
) -> None:
    frame = _for_sqlite(frame)
    marks = ", ".join("?" for _ in cols)
    sql = f"INSERT INTO {stage} ({', '.join(cols)}) VALUES ({marks})"  # noqa: S608
    raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
    for start in range(0, frame.height, CHUNK_ROWS):
        chunk = frame.slice(start, CHUNK_ROWS)
        raw.executemany(sql, chunk.iter_rows())
        progress(min(1.0, (start + chunk.height) / max(frame.height, 1)))


def merge_frame(
    model: type[models.Model],
    key: tuple[str, ...],
    values: tuple[str, ...],
    frame: pl.DataFrame,
    batch_id: int,
    progress: Callable[[float], None] = lambda _: None,
) -> MergeResult:
    """Upsert `frame` (columns named by field attnames) into `model`'s table; see module doc."""
    table = model._meta.db_table
    key_cols, value_cols = _columns(model, key), _columns(model, values)
    cols = key_cols + value_cols
    stage = f"ccops_stage_{batch_id}"
    frame = frame.select(list(key) + list(values))
    frame.columns = cols
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.execute(
            f"CREATE TEMP TABLE {stage} AS SELECT {', '.join(qn(c) for c in cols)} "  # noqa: S608
            f"FROM {qn(table)} WHERE 1 = 0"
        )
        if connection.vendor == "postgresql":
            _load_postgres(cursor.cursor, stage, cols, frame, progress)
        else:
            _load_sqlite(cursor, stage, cols, frame, progress)
        match = " AND ".join(f"t.{qn(c)} = s.{qn(c)}" for c in key_cols)
        differs = " OR ".join(_distinct(f"t.{qn(c)}", f"s.{qn(c)}") for c in value_cols)
        cursor.execute(
            f"SELECT t.id, {', '.join(f't.{qn(c)}' for c in value_cols)}, "  # noqa: S608
            f"{', '.join(f's.{qn(c)}' for c in value_cols)} "
            f"FROM {qn(table)} t JOIN {stage} s ON {match} WHERE {differs}"
        )
        changes = [
            (
                row[0],
                dict(zip(values, row[1 : 1 + len(values)], strict=True)),
                dict(zip(values, row[1 + len(values) :], strict=True)),
            )
            for row in cursor.fetchall()
        ]
        sets = ", ".join(f"{qn(c)} = s.{qn(c)}" for c in value_cols)
        cursor.execute(
            f"UPDATE {qn(table)} AS t SET {sets}, batch_id = %s FROM {stage} s "  # noqa: S608
            f"WHERE {match} AND ({differs})",
            [batch_id],
        )
        updated = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in cols)}, batch_id) "  # noqa: S608
            f"SELECT {', '.join(f's.{qn(c)}' for c in cols)}, %s FROM {stage} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {qn(table)} t WHERE {match})",
            [batch_id],
        )
        inserted = cursor.rowcount
        cursor.execute(f"DROP TABLE {stage}")
    return MergeResult(inserted, updated, frame.height - inserted - updated, changes)
