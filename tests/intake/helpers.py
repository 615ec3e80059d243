"""Writing import files and running batches the way users do."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ccops.intake.models import ImportBatch
from ccops.intake.pipeline import run_batch
from ccops.intake.services import do_create_batch

ACD_HEADER = [
    "queue",
    "interval_start",
    "interval_minutes",
    "offered",
    "answered",
    "abandoned",
    "answered_in_threshold",
    "abandoned_in_threshold",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
]


def write_csv(
    path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8"
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def acd_rows(day: str = "2026-11-02", n: int = 4, queue: str = "Q-GEN") -> list[list[Any]]:
    rows = []
    for i in range(n):
        hour, minute = 8 + i // 2, 30 * (i % 2)
        offered = 100 + 10 * i
        rows.append(
            [
                queue,
                f"{day} {hour:02d}:{minute:02d}",
                30,
                offered,
                offered - 8,
                8,
                offered - 20,
                3,
                240 * (offered - 8),
                10 * offered,
                30 * offered,
            ]
        )
    return rows


def run_import(path: Path, kind: str, user: Any, org: str | None = None) -> ImportBatch:
    with path.open("rb") as stream:
        batch = do_create_batch(
            kind=kind, stream=stream, filename=path.name, acting_user=user, org_code=org
        )
    return run_batch(batch.pk)


def ledger(batch: ImportBatch) -> tuple[int, int, int, int, int]:
    assert batch.balanced, "ledger must balance"
    return batch.rows_read, batch.inserted, batch.updated, batch.unchanged, batch.rejected


def error_codes(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["code"]) for e in batch.errors]
