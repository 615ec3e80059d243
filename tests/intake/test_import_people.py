"""People from Excel/CSV: created, unchanged on re-import, formula text kept as text."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ccops.org.models import Person
from tests.factories import national_id
from tests.intake.helpers import error_codes, ledger, run_import, write_csv

HEADER = [
    "员工编号",
    "姓名",
    "所属单位",
    "手机",
    "身份证号",
    "学历",
    "入职日期",
    "状态",
    "岗位",
    "场地",
    "班组",
    "技能",
    "关怀班次",
    "座席工号",
]


def rows() -> list[list[Any]]:
    return [
        [
            "VA10001",
            "王小明",
            "VA",
            "13800138000",
            national_id(501),
            "大专",
            "2026-10-08",
            "试用期",
            "客服代表",
            "HQ",
            "A1",
            "GEN",
            "",
            "91001",
        ],
        [
            "VA10002",
            '=HYPERLINK("http://x")',
            "VA",
            "",
            "",
            "bachelor",
            "2026/10/09",
            "active",
            "agent",
            "HQ",
            "A1",
            "",
            "family_hours",
            "",
        ],
    ]


@pytest.mark.rule("PLAN-07", "VENDOR-06")
def test_people_import_xlsx_then_reimport(center: Any, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for r in rows():
        sheet.append([*r[:1], "李四" if r[1].startswith("=") else r[1], *r[2:]])  # no live formulas
    path = tmp_path / "people.xlsx"
    book.save(path)
    hr = center.user("hr")
    batch = run_import(path, "people", hr)
    assert batch.status == "succeeded", batch.errors
    assert ledger(batch) == (2, 2, 0, 0, 0)
    wang = Person.objects.get(employee_no="VA10001")
    assert (wang.education, wang.status, wang.team, wang.organisation) == (
        "college",
        "probation",
        center.team_a,
        center.vendor_a,
    )
    assert list(wang.skills.values_list("code", flat=True)) == ["GEN"]
    assert Person.objects.get(employee_no="VA10002").shift_class == "family_hours"
    assert ledger(run_import(path, "people", hr)) == (2, 0, 0, 2, 0)


def test_formula_text_is_stored_as_text_and_exported_escaped(center: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", HEADER, rows())
    run_import(path, "people", center.user("hr"))
    assert Person.objects.get(employee_no="VA10002").name == '=HYPERLINK("http://x")'
    client = center.client_for(center.user("hr"))
    csv_text = client.get(reverse("org:person_list") + "?export=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    xlsx = client.get(reverse("org:person_list") + "?export=xlsx").content
    cells = [
        c for r in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True) for c in r
    ]
    assert '\'=HYPERLINK("http://x")' in cells


def test_vendor_cannot_import_people_into_another_vendor(center: Any, tmp_path: Path) -> None:
    data = rows()
    data[0][2] = "VB"
    batch = run_import(
        write_csv(tmp_path / "p.csv", HEADER, data), "people", center.user("vendor_pm")
    )
    assert batch.status == "failed"
    assert (2, "员工编号", "other_organisation_staff") in error_codes(batch)
    assert not Person.objects.filter(employee_no__in=["VA10001", "VA10002"]).exists()


def test_invalid_id_number_is_reported_by_row(center: Any, tmp_path: Path) -> None:
    data = rows()
    data[1][4] = "110105194912310021"
    batch = run_import(write_csv(tmp_path / "p.csv", HEADER, data), "people", center.user("hr"))
    assert batch.status == "failed"
    assert error_codes(batch) == [(3, "身份证号", "invalid_value")]
    assert Person.objects.filter(employee_no__startswith="VA1").count() == 0


def test_a_changed_phone_is_updated_even_when_its_mask_is_the_same(
    center: Any, tmp_path: Path
) -> None:
    hr = center.user("hr")
    data = rows()
    run_import(write_csv(tmp_path / "p1.csv", HEADER, data), "people", hr)
    data[0][3] = "13899998000"  # same first 3 and last 4 digits: 138****8000
    batch = run_import(write_csv(tmp_path / "p2.csv", HEADER, data), "people", hr)
    assert ledger(batch) == (2, 0, 1, 1, 0)
    assert Person.objects.get(employee_no="VA10001").phone == "13899998000"
