"""Running one import batch: read, validate, resolve, then write all or nothing.

Validation finishes before the write transaction opens, so a bad file never leaves a
trace but its ledger and its errors. Progress goes to the cache (not the database) so
that other requests can see it while the batch's transaction is still open.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from ccops.audit import services as audit
from ccops.core import tabular
from ccops.intake import parsing
from ccops.intake.kinds import KINDS, Context, Kind
from ccops.intake.merge import merge_frame
from ccops.intake.models import ImportBatch
from ccops.org.models import Organisation, Person, Queue

log = logging.getLogger("ccops.intake")
MAX_AUDITED_CHANGES = 50_000


class BatchRejected(Exception):
    """The batch's file or rows failed validation; nothing was written."""

    def __init__(self, errors: list[dict[str, Any]], count: int) -> None:
        super().__init__(f"{count} problem(s)")
        self.errors, self.count = errors, count


def upload_path(batch: ImportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / batch.stored_name


def set_progress(batch_id: int, phase: str, fraction: float) -> None:
    cache.set(
        f"intake:progress:{batch_id}", {"phase": phase, "percent": round(100 * fraction)}, 3600
    )


def get_progress(batch_id: int) -> dict[str, Any]:
    return cache.get(f"intake:progress:{batch_id}") or {"phase": "queued", "percent": 0}


def _people_lookup() -> pl.DataFrame:
    """Every way a file may name an agent (employee number or phone-system account)."""
    rows = list(Person.objects.values_list("id", "organisation_id", "employee_no", "acd_account"))
    by_no = [(no, pid, org) for pid, org, no, _ in rows]
    by_account = [(acc, pid, org) for pid, org, no, acc in rows if acc and acc != no]
    schema = {"agent": pl.Utf8, "person_id": pl.Int64, "person_org": pl.Int64}
    frame = pl.DataFrame(by_no + by_account, schema=schema, orient="row")
    return frame.unique(subset="agent", keep="first")


def _queue_lookup() -> pl.DataFrame:
    rows = list(Queue.objects.values_list("code", "id"))
    return pl.DataFrame(rows, schema={"queue_code": pl.Utf8, "queue_id": pl.Int64}, orient="row")


def _context(batch: ImportBatch) -> Context:
    return Context(
        time_zone=settings.TIME_ZONE,
        batch_organisation_id=batch.organisation_id,
        queues=_queue_lookup(),
        people=_people_lookup(),
    )


def read_batch_file(
    batch: ImportBatch, columns: dict[str, list[str]], required: tuple[str, ...]
) -> tabular.Table:
    limits = tabular.Limits(max_bytes=settings.CCOPS_MAX_UPLOAD_BYTES)
    try:
        return tabular.read_table(
            upload_path(batch), columns=columns, required=required, limits=limits
        )
    except tabular.TabularError as exc:
        errors = [
            {"row": e.row, "column": e.column, "code": e.code, "params": dict(e.params)}
            for e in getattr(exc, "errors", [])
        ]
        file_error = {"row": 0, "column": "", "code": exc.code, "params": _plain(exc.params)}
        raise BatchRejected([file_error, *errors], max(1, len(errors))) from exc


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe parameters; column lists are shown by the header names users write."""
    labels = {name: label for name, label in params.get("expected", [])}
    plain: dict[str, Any] = {}
    for key, value in params.items():
        if key == "errors":
            continue
        if key == "expected":
            value = list(labels.values())
        elif key == "missing":
            value = [labels.get(name, name) for name in value]
        plain[key] = value if isinstance(value, str | int | float | list) else str(value)
    return plain


def drop_exact_duplicates(
    frame: pl.DataFrame, problems: parsing.Problems
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """Rows identical to an earlier row are dropped and reported (they count as rejected).

    Rows are compared by a 64-bit hash first; rows whose hash repeats are then compared
    in full, so a hash collision can never drop a row.
    """
    data_cols = [c for c in frame.columns if c != parsing.ROW]
    hashed = frame.select(parsing.ROW, pl.struct(data_cols).hash(seed=0).alias("__hash__"))
    suspects = hashed.filter(pl.col("__hash__").is_duplicated())[parsing.ROW]
    if suspects.is_empty():
        return frame, []
    candidates = frame.filter(pl.col(parsing.ROW).is_in(suspects.implode()))
    first = candidates.select(pl.struct(data_cols).is_first_distinct()).to_series()
    duplicate_rows = candidates.filter(~first)[parsing.ROW]
    notes = [
        {"row": r, "column": "", "code": "duplicate_row", "params": {}}
        for r in duplicate_rows.to_list()
    ]
    return frame.filter(~pl.col(parsing.ROW).is_in(duplicate_rows.implode())), notes


def file_columns(errors: list[dict[str, Any]], headers: dict[str, str]) -> list[dict[str, Any]]:
    """Name columns in errors as the file's own headers, so users find them."""
    return [e | {"column": headers.get(e["column"], e["column"])} for e in errors]


def check_conflicting_keys(
    frame: pl.DataFrame, key: tuple[str, ...], problems: parsing.Problems
) -> None:
    if frame.height == 0:
        return
    clash = frame.select(pl.struct(list(key)).is_duplicated()).to_series()
    for row in frame.filter(clash)[parsing.ROW].to_list():
        problems.add_counted(row, "", "conflicting_duplicate")


def check_vendor_scope(
    frame: pl.DataFrame, scope_org_id: int | None, problems: parsing.Problems
) -> int:
    """Rows naming staff of another organisation than the uploader's vendor; returns how many."""
    if scope_org_id is None or "person_org" not in frame.columns:
        return 0
    foreign = frame.filter(
        pl.col("person_org").is_not_null() & (pl.col("person_org") != scope_org_id)
    )
    for row in foreign[parsing.ROW].to_list():
        problems.add_counted(row, "agent", "other_organisation_staff")
    return foreign.height


def scope_of(batch: ImportBatch) -> int | None:
    """The organisation whose staff alone the batch may name (None: a client batch, any)."""
    org = batch.organisation
    return org.pk if org.kind == Organisation.Kind.VENDOR else None


def _fault_pause() -> None:
    """Test hook: hold the open transaction so a test can kill the worker mid-import."""
    pause = os.environ.get("CCOPS_FAULT_PAUSE_BEFORE_COMMIT")
    if pause:
        time.sleep(float(pause))


def _update_audit_rows(
    kind: Kind, batch: ImportBatch, changes: list[tuple[int, dict[str, Any], dict[str, Any]]]
) -> None:
    rows = []
    for row_id, before, after in changes[:MAX_AUDITED_CHANGES]:
        old, new = audit.diff(
            {k: audit.json_value(v) for k, v in before.items()},
            {k: audit.json_value(v) for k, v in after.items()},
        )
        rows.append(
            audit.entry(
                "import.update",
                organisation_id=batch.organisation_id,
                before=old,
                after=new,
                object_type=kind.model._meta.label_lower,
                object_id=str(row_id),
                object_repr=f"{kind.model._meta.verbose_name} #{row_id}",
                note=f"batch {batch.pk}",
            )
        )
    audit.record_many(rows)


def import_operational(batch: ImportBatch, progress: Callable[[str, float], None]) -> None:
    """Validate and merge an ACD, CDR, state or clock file; raises BatchRejected when bad."""
    kind = KINDS[batch.kind]
    progress("reading", 0.05)
    table = read_batch_file(batch, kind.columns, kind.required)
    batch.encoding, batch.rows_read = table.encoding, table.frame.height
    progress("validating", 0.2)
    problems = parsing.Problems()
    headers, frame = table.source_columns, table.frame
    del table  # the frame is rebuilt column by column below; keep one copy alive
    frame, dup_notes = drop_exact_duplicates(frame, problems)
    frame = kind.prepare(frame, _context(batch), problems)
    check_conflicting_keys(
        frame.filter(pl.all_horizontal(pl.col(list(kind.key)).is_not_null())), kind.key, problems
    )
    foreign = check_vendor_scope(frame, scope_of(batch), problems)
    if foreign:
        audit.security_event(
            "cross_organisation_import",
            f"batch {batch.pk}: {foreign} row(s) name another organisation's staff",
            actor=batch.created_by,
            organisation_id=batch.organisation_id,
        )
    if problems:
        raise BatchRejected(file_columns(problems.sorted(), headers), problems.count)
    progress("writing", 0.4)
    with transaction.atomic():
        result = merge_frame(
            kind.model,
            kind.key,
            kind.values,
            frame,
            batch.pk,
            progress=lambda f: progress("writing", 0.4 + 0.5 * f),
        )
        _update_audit_rows(kind, batch, result.changes)
        _fault_pause()
        batch.inserted, batch.updated, batch.unchanged = (
            result.inserted,
            result.updated,
            result.unchanged,
        )
        batch.rejected = len(dup_notes)
        batch.errors, batch.error_count = dup_notes[: parsing.MAX_STORED_ERRORS], len(dup_notes)
        finish(batch, ImportBatch.Status.SUCCEEDED)


def finish(batch: ImportBatch, status: str) -> None:
    batch.status, batch.finished_at = status, timezone.now()
    batch.save()
    audit.record(
        f"import.{status}",
        batch,
        actor=batch.created_by,
        after={
            "rows_read": batch.rows_read,
            "inserted": batch.inserted,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "rejected": batch.rejected,
            "sha256": batch.sha256,
        },
    )


def is_stale(batch: ImportBatch) -> bool:
    """A running batch whose worker has given no sign of life for CCOPS_IMPORT_STALE_SECONDS
    (killed, or its machine lost): it may be run again."""
    started = batch.started_at.timestamp() if batch.started_at else 0.0
    beat = max(started, get_progress(batch.pk).get("at", 0.0))
    return time.time() - beat > settings.CCOPS_IMPORT_STALE_SECONDS


def claim_batch(batch_id: int) -> ImportBatch | None:
    """Mark the batch running, unless it has succeeded or another worker is running it."""
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("organisation", "created_by")
            .get(pk=batch_id)
        )
        live = batch.status == ImportBatch.Status.RUNNING and not is_stale(batch)
        if batch.status == ImportBatch.Status.SUCCEEDED or live:
            return None
        batch.status, batch.started_at = ImportBatch.Status.RUNNING, timezone.now()
        batch.inserted = batch.updated = batch.unchanged = batch.rejected = 0
        batch.errors, batch.error_count = [], 0
        batch.save()
    return batch


def run_batch(batch_id: int) -> ImportBatch:
    """Run the batch: on any rejection the ledger shows every row rejected and nothing is kept.

    A batch already imported, or being imported by a live worker, is left alone.
    """
    from ccops.intake.people import import_people

    batch = claim_batch(batch_id)
    if batch is None:
        return ImportBatch.objects.get(pk=batch_id)
    run = import_people if batch.kind == ImportBatch.Kind.PEOPLE else import_operational

    def progress(phase: str, fraction: float) -> None:
        set_progress(batch.pk, phase, fraction)

    try:
        run(batch, progress)
    except BatchRejected as exc:
        batch.inserted = batch.updated = batch.unchanged = 0
        batch.rejected = batch.rows_read
        batch.errors, batch.error_count = exc.errors, exc.count
        finish(batch, ImportBatch.Status.FAILED)
    except Exception:
        log.exception("import batch %s failed", batch.pk)
        connection.close()  # a dropped connection is replaced on the next query
        batch.inserted = batch.updated = batch.unchanged = 0
        batch.rejected = batch.rows_read
        batch.errors = [{"row": 0, "column": "", "code": "internal_error", "params": {}}]
        batch.error_count = 1
        finish(batch, ImportBatch.Status.FAILED)
    progress("done", 1.0)
    return batch
