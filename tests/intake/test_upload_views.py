"""Uploading through the page and the API: a batch, its progress and its ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from ccops.intake.models import AcdInterval, ImportBatch
from tests.intake.helpers import ACD_HEADER, acd_rows, write_csv


def _acd_upload(tmp_path: Path, name: str = "acd.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / "acd.csv", ACD_HEADER, acd_rows())
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def test_page_upload_runs_in_the_background_and_shows_the_ledger(
    center: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = center.client_for(center.user("planner"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intake:batch_list"), {"kind": "acd", "file": _acd_upload(tmp_path)}
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/batches/{batch.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="inserted">4<' in page and "Imported" in page
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'data-testid="ledger"' in partial
    assert AcdInterval.objects.count() == 4


def test_unsafe_file_name_is_only_displayed(
    center: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = center.client_for(center.user("planner"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("intake:batch_list"),
            {"kind": "acd", "file": _acd_upload(tmp_path, "../../etc/passwd")},
        )
    batch = ImportBatch.objects.get()
    assert (
        batch.filename == "passwd"
        and batch.stored_name.endswith(".upload")
        and "/" not in batch.stored_name
    )


@override_settings(CCOPS_MAX_UPLOAD_BYTES=100)
def test_oversize_upload_is_refused_before_parsing(center: Any, tmp_path: Path) -> None:
    client = center.client_for(center.user("planner"))
    response = client.post(
        reverse("intake:batch_list"), {"kind": "acd", "file": _acd_upload(tmp_path)}
    )
    assert response.status_code == 200 and "larger than the limit" in response.content.decode()
    assert not ImportBatch.objects.exists()
    api = client.post("/api/intake/batches", {"kind": "acd", "file": _acd_upload(tmp_path)})
    assert api.status_code == 422


def test_api_upload_and_poll(
    center: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = center.client_for(center.user("planner"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/intake/batches", {"kind": "acd", "file": _acd_upload(tmp_path)}
        )
    assert response.status_code == 202
    batch = client.get(f"/api/intake/batches/{response.json()['id']}").json()
    assert (batch["status"], batch["rows_read"], batch["inserted"], batch["percent"]) == (
        "succeeded",
        4,
        4,
        100,
    )


def test_errors_are_shown_in_the_users_language(
    center: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    rows = acd_rows()
    rows[1][1] = "2026-02-30 08:30"
    path = write_csv(tmp_path / "bad.csv", ACD_HEADER, rows)
    client = center.client_for(center.user("planner"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("intake:batch_list"),
            {"kind": "acd", "file": SimpleUploadedFile("bad.csv", path.read_bytes())},
        )
    batch = ImportBatch.objects.get()
    english = client.get(reverse("intake:batch_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "row 3, column interval_start" in english and "2026-02-30 08:30" in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("intake:batch_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "第 3 行" in chinese
    errors_csv = client.get(
        reverse("intake:batch_detail", kwargs={"pk": batch.pk}) + "?export=errors"
    )
    assert "interval_start" in errors_csv.content.decode("utf-8-sig")
