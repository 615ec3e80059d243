"""Background work for imports, run by `manage.py db_worker`."""

from __future__ import annotations

from django.utils import translation

from ccops.common.tasks import task
from ccops.intake.pipeline import run_batch


@task()
def run_import(batch_id: int) -> dict[str, int]:
    """Run one import batch in the worker and return its ledger."""
    with translation.override("en"):
        batch = run_batch(batch_id)
    return {
        "rows_read": batch.rows_read,
        "inserted": batch.inserted,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
    }
