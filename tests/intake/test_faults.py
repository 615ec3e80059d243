"""Faults during an import: a killed worker and a dropped connection leave nothing partial."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from ccops.intake.models import AcdInterval, ImportBatch
from ccops.intake.pipeline import claim_batch, run_batch
from ccops.intake.services import do_create_batch
from tests.intake.helpers import ACD_HEADER, acd_rows, ledger, write_csv

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def _worker(batch_id: int, pause: float) -> subprocess.Popen[str]:
    """A separate process running the batch, as the background worker would."""
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "CCOPS_FAULT_PAUSE_BEFORE_COMMIT": str(pause),
    }
    code = (
        "import django; django.setup(); from ccops.intake.pipeline import run_batch; "
        f"run_batch({batch_id})"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for(predicate: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _end_orphaned_sessions() -> None:
    """A killed worker's server session lingers on PostgreSQL until it notices; end it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def queued_batch(center: Any, tmp_path: Path) -> ImportBatch:
    path = write_csv(tmp_path / "acd.csv", ACD_HEADER, acd_rows(n=20))
    with path.open("rb") as stream:
        return do_create_batch(
            kind="acd", stream=stream, filename=path.name, acting_user=center.user("planner")
        )


def _running(batch: ImportBatch) -> bool:
    return ImportBatch.objects.get(pk=batch.pk).status == "running"


@pytest.mark.django_db(transaction=True)
def test_killed_worker_leaves_nothing_and_the_batch_can_rerun(queued_batch: ImportBatch) -> None:
    worker = _worker(queued_batch.pk, pause=60)
    _wait_for(lambda: _running(queued_batch))
    time.sleep(2)  # well inside the open transaction (held by the pause)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    _end_orphaned_sessions()
    assert AcdInterval.objects.count() == 0
    assert run_batch(queued_batch.pk).status == "running"  # looks alive: left alone
    with override_settings(CCOPS_IMPORT_STALE_SECONDS=0):  # the worker gave no sign since
        batch = run_batch(queued_batch.pk)
    assert ledger(batch) == (20, 20, 0, 0, 0)
    assert AcdInterval.objects.count() == 20


@pytest.mark.django_db(transaction=True)
def test_dropped_connection_fails_the_batch_cleanly(queued_batch: ImportBatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("terminating a backend needs PostgreSQL")
    worker = _worker(queued_batch.pk, pause=8)
    _wait_for(lambda: _running(queued_batch))
    time.sleep(2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state LIKE 'idle in%%'"
        )
    out, err = worker.communicate(timeout=60)
    batch = ImportBatch.objects.get(pk=queued_batch.pk)
    assert batch.status == "failed", err
    assert batch.balanced and batch.inserted == 0
    assert AcdInterval.objects.count() == 0
    assert ledger(run_batch(batch.pk)) == (20, 20, 0, 0, 0)


def test_a_batch_a_live_worker_is_running_is_not_run_twice(queued_batch: ImportBatch) -> None:
    from django.core.exceptions import ValidationError

    from ccops.intake.services import do_rerun_batch

    claimed = claim_batch(queued_batch.pk)
    assert claimed is not None and claimed.status == "running"
    assert run_batch(queued_batch.pk).status == "running"  # the second worker leaves it
    planner = queued_batch.created_by
    with pytest.raises(ValidationError):
        do_rerun_batch(planner, queued_batch.pk)
    with override_settings(CCOPS_IMPORT_STALE_SECONDS=0):
        assert do_rerun_batch(planner, queued_batch.pk).status == "queued"
    assert ledger(run_batch(queued_batch.pk)) == (20, 20, 0, 0, 0)
