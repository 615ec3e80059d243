"""Call records, agent states and clock records: agents resolved, vendors kept to their staff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ccops.audit.models import AuditEntry
from ccops.intake.models import AgentState, CallRecord, ClockPunch
from tests.intake.helpers import error_codes, ledger, run_import, write_csv

CDR_HEADER = [
    "呼叫编号",
    "段号",
    "队列",
    "工号",
    "进线时间",
    "应答时间",
    "结束时间",
    "通话时长",
    "保持时长",
    "事后处理时长",
    "是否转接",
    "处理结果",
]


def cdr_rows(center: Any) -> list[list[Any]]:
    a = center.agent_a
    return [
        [
            "C1",
            1,
            "Q-GEN",
            a.employee_no,
            "2026-11-02 08:00:12",
            "2026-11-02 08:00:19",
            "2026-11-02 08:04:31",
            240,
            12,
            35,
            "否",
            "resolved",
        ],
        [
            "C2",
            1,
            "Q-GEN",
            a.acd_account,
            "2026-11-02 08:10:00",
            "2026-11-02 08:10:05",
            "2026-11-02 08:12:00",
            110,
            0,
            20,
            "是",
            "transferred",
        ],
        [
            "C3",
            1,
            "Q-GEN",
            "",
            "2026-11-02 08:11:00",
            "",
            "2026-11-02 08:11:50",
            0,
            0,
            0,
            "否",
            "abandoned",
        ],
    ]


def test_call_records_with_bom_and_chinese_headers(center: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cdr.csv", CDR_HEADER, cdr_rows(center), encoding="utf-8-sig")
    batch = run_import(path, "cdr", center.user("planner"))
    assert ledger(batch) == (3, 3, 0, 0, 0)
    c1, c2, c3 = CallRecord.objects.order_by("call_id")
    assert c1.person == center.agent_a and c2.person == center.agent_a  # by number and by account
    assert c2.transferred and not c1.transferred
    assert c1.organisation == center.vendor_a and c3.organisation == center.client_org
    assert c3.answered_at is None


def test_vendor_imports_its_own_agents(center: Any, tmp_path: Path) -> None:
    rows = cdr_rows(center)[:2]
    batch = run_import(
        write_csv(tmp_path / "cdr.csv", CDR_HEADER, rows), "cdr", center.user("vendor_pm")
    )
    assert batch.status == "succeeded" and batch.organisation == center.vendor_a


def test_file_naming_another_vendors_staff_is_refused_whole(center: Any, tmp_path: Path) -> None:
    rows = [
        [center.agent_a.employee_no, "2026-11-02 07:55:00", "in", "G1"],
        [center.agent_b.employee_no, "2026-11-02 07:56:00", "in", "G1"],
    ]
    path = write_csv(
        tmp_path / "clock.csv", ["employee_no", "punch_time", "direction", "device"], rows
    )
    batch = run_import(path, "clock", center.user("vendor_pm"))
    assert batch.status == "failed" and ledger(batch) == (2, 0, 0, 0, 2)
    assert ClockPunch.objects.count() == 0
    assert (3, "employee_no", "other_organisation_staff") in error_codes(batch)
    event = AuditEntry.objects.get(action="security.cross_organisation_import")
    assert event.actor_name == center.user("vendor_pm").username


def test_states_reject_end_before_start_and_unknown_state(center: Any, tmp_path: Path) -> None:
    a = center.agent_a.employee_no
    rows = [
        [a, "ready", "", "2026-11-02 08:00:00", "2026-11-02 08:30:00"],
        [a, "小休", "", "2026-11-02 09:00:00", "2026-11-02 08:55:00"],
        [a, "dancing", "", "2026-11-02 10:00:00", ""],
    ]
    path = write_csv(tmp_path / "states.csv", ["agent", "state", "reason", "start", "end"], rows)
    batch = run_import(path, "states", center.user("planner"))
    assert batch.status == "failed"
    assert (3, "end", "end_before_start") in error_codes(batch)
    assert (4, "state", "bad_state") in error_codes(batch)
    assert AgentState.objects.count() == 0


def test_states_import_and_reimport(center: Any, tmp_path: Path) -> None:
    a = center.agent_a.employee_no
    rows = [
        [a, "登录", "", "2026-11-02 07:58:00", "2026-11-02 07:58:30"],
        [a, "示忙", "小休", "2026-11-02 10:00:00", "2026-11-02 10:05:00"],
    ]
    path = write_csv(
        tmp_path / "states.csv", ["工号", "状态", "原因", "开始时间", "结束时间"], rows
    )
    assert ledger(run_import(path, "states", center.user("planner"))) == (2, 2, 0, 0, 0)
    assert ledger(run_import(path, "states", center.user("planner"))) == (2, 0, 0, 2, 0)
    assert set(AgentState.objects.values_list("state", flat=True)) == {"logged_in", "not_ready"}


@pytest.mark.parametrize("text", ["2026-11-02 25:00:00", "yesterday", "2026-13-01 08:00"])
def test_clock_times_must_be_real(center: Any, tmp_path: Path, text: str) -> None:
    rows = [[center.agent_a.employee_no, text, "in", ""]]
    path = write_csv(
        tmp_path / "clock.csv", ["employee_no", "punch_time", "direction", "device"], rows
    )
    batch = run_import(path, "clock", center.user("planner"))
    assert batch.status == "failed" and error_codes(batch) == [(2, "punch_time", "bad_datetime")]
