"""ACD interval statistics: idempotent re-import, audited corrections, refused bad rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ccops.audit.models import AuditEntry
from ccops.intake.models import AcdInterval
from tests.intake.helpers import ACD_HEADER, acd_rows, error_codes, ledger, run_import, write_csv


@pytest.fixture
def planner(center: Any) -> Any:
    return center.user("planner")


def test_import_then_reimport_changes_nothing(center: Any, planner: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "acd.csv", ACD_HEADER, acd_rows())
    first = run_import(path, "acd", planner)
    assert first.status == "succeeded"
    assert ledger(first) == (4, 4, 0, 0, 0)
    row = AcdInterval.objects.order_by("interval_start").first()
    assert row.interval_start == dt.datetime(2026, 11, 2, 0, 0, tzinfo=dt.UTC)  # 08:00 Shanghai
    assert (row.offered, row.answered, row.interval_minutes) == (100, 92, 30)
    second = run_import(path, "acd", planner)
    assert ledger(second) == (4, 0, 0, 4, 0)
    assert AcdInterval.objects.count() == 4


def test_corrected_file_updates_only_what_changed_and_is_audited(
    center: Any, planner: Any, tmp_path: Path
) -> None:
    rows = acd_rows()
    run_import(write_csv(tmp_path / "acd.csv", ACD_HEADER, rows), "acd", planner)
    rows[2][3] = 999  # offered corrected
    batch = run_import(write_csv(tmp_path / "acd-fixed.csv", ACD_HEADER, rows), "acd", planner)
    assert ledger(batch) == (4, 0, 1, 3, 0)
    entry = AuditEntry.objects.get(action="import.update")
    assert entry.before == {"offered": 120} and entry.after == {"offered": 999}
    assert AcdInterval.objects.filter(offered=999).count() == 1


def test_chinese_headers_and_gbk(center: Any, planner: Any, tmp_path: Path) -> None:
    header = [
        "队列",
        "时段开始",
        "时段长度",
        "进线量",
        "接通量",
        "放弃量",
        "阈值内接通量",
        "阈值内放弃量",
        "通话时长",
        "保持时长",
        "事后处理时长",
    ]
    path = write_csv(tmp_path / "话务.csv", header, acd_rows(), encoding="gbk")
    batch = run_import(path, "acd", planner)
    assert batch.status == "succeeded" and batch.encoding == "gb18030"
    assert AcdInterval.objects.count() == 4


def test_bad_rows_refuse_the_whole_file(center: Any, planner: Any, tmp_path: Path) -> None:
    rows = acd_rows(n=6)
    rows[1][1] = "2026-02-30 08:30"  # impossible date
    rows[2][1] = "2026-11-02 09:10"  # off the 30-minute grid
    rows[3][4] = 500  # answered + abandoned > offered
    rows[4][0] = "Q-NOPE"
    rows[5][3] = "-3"
    batch = run_import(write_csv(tmp_path / "bad.csv", ACD_HEADER, rows), "acd", planner)
    assert batch.status == "failed"
    assert ledger(batch) == (6, 0, 0, 0, 6)
    assert AcdInterval.objects.count() == 0
    codes = error_codes(batch)
    assert (3, "interval_start", "bad_datetime") in codes
    assert (4, "interval_start", "off_grid") in codes
    assert (5, "answered", "answered_abandoned_exceed_offered") in codes
    assert (6, "queue", "unknown_queue") in codes
    assert (7, "offered", "bad_integer") in codes or (7, "offered", "negative") in codes


def test_missing_columns_are_listed(center: Any, planner: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "short.csv", ["queue", "offered"], [["Q-GEN", 3]])
    batch = run_import(path, "acd", planner)
    assert batch.status == "failed"
    assert batch.errors[0]["code"] == "missing_columns"
    assert "interval_start" in str(batch.errors[0]["params"])


def test_exact_duplicates_are_dropped_and_reported(
    center: Any, planner: Any, tmp_path: Path
) -> None:
    rows = acd_rows(n=20) + acd_rows(n=1)  # one row repeated (5 %)
    batch = run_import(write_csv(tmp_path / "dup.csv", ACD_HEADER, rows), "acd", planner)
    assert ledger(batch) == (21, 20, 0, 0, 1)
    assert error_codes(batch) == [(22, "", "duplicate_row")]


def test_conflicting_duplicates_refuse_the_file(center: Any, planner: Any, tmp_path: Path) -> None:
    rows = acd_rows(n=2)
    clash = list(rows[0])
    clash[3] = 101
    batch = run_import(
        write_csv(tmp_path / "clash.csv", ACD_HEADER, [*rows, clash]), "acd", planner
    )
    assert batch.status == "failed"
    assert {c for _, _, c in error_codes(batch)} == {"conflicting_duplicate"}


def test_vendors_cannot_import_acd(center: Any, tmp_path: Path) -> None:
    from django.core.exceptions import PermissionDenied

    path = write_csv(tmp_path / "acd.csv", ACD_HEADER, acd_rows())
    with pytest.raises(PermissionDenied):
        run_import(path, "acd", center.user("vendor_pm"))
