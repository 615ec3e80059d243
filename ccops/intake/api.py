"""Import endpoints: upload a file, follow its batch, read its ledger and errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from ccops.intake import messages as texts
from ccops.intake import services
from ccops.intake.models import ImportBatch
from ccops.intake.pipeline import get_progress
from ccops.org.access import access, require, restrict

router = Router(tags=["intake"])


class ErrorOut(Schema):
    row: int
    column: str
    code: str
    message: str


class BatchOut(Schema):
    id: int
    kind: str
    filename: str
    organisation_id: int
    status: str
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    error_count: int
    sha256: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    percent: int
    errors: list[ErrorOut]


def batch_out(batch: ImportBatch) -> dict[str, Any]:
    data = {f: getattr(batch, f) for f in BatchOut.model_fields if f not in {"percent", "errors"}}
    data["percent"] = 100 if batch.finished else get_progress(batch.pk)["percent"]
    data["errors"] = [
        {
            "row": e.get("row") or 0,
            "column": e.get("column") or "",
            "code": e.get("code", ""),
            "message": texts.describe(e),
        }
        for e in batch.errors[:200]
    ]
    return data


@router.get("/batches", response=list[BatchOut])
def list_batches(request: HttpRequest, kind: str | None = None, limit: int = 50) -> Any:
    require(request.user, "view_operational_data")
    qs = restrict(ImportBatch.objects.all(), request.user)
    if kind:
        qs = qs.filter(kind=kind)
    return [batch_out(b) for b in qs[: min(max(limit, 1), 500)]]


@router.get("/batches/{pk}", response=BatchOut)
def get_batch(request: HttpRequest, pk: int) -> Any:
    require(request.user, "view_operational_data")
    return batch_out(access(ImportBatch, request.user, pk))


@router.post("/batches", response={202: BatchOut})
def upload(
    request: HttpRequest,
    kind: Form[str],
    file: File[UploadedFile],
    organisation: Form[str] = "",
) -> Any:
    """Upload a file; it is imported in the background (poll the batch for its ledger)."""
    if kind not in ImportBatch.Kind.values:
        raise HttpError(422, f"kind: one of {', '.join(ImportBatch.Kind.values)}")
    try:
        batch = services.do_create_batch(
            kind=kind,
            stream=file,
            filename=file.name or "upload",
            acting_user=request.user,
            org_code=organisation or None,
        )
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    services.enqueue_batch(batch)
    return Status(202, batch_out(batch))
