"""Starting imports: store the upload safely, record the batch, run it now or in the worker."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ccops.audit import services as audit
from ccops.intake.models import ImportBatch
from ccops.intake.pipeline import is_stale, run_batch, upload_path
from ccops.org.access import access
from ccops.org.models import Organisation
from ccops.org.roles import can, is_vendor_user, organisation_id_of

CAPABILITY = {
    ImportBatch.Kind.ACD: "import_acd",
    ImportBatch.Kind.CDR: "import_agent_data",
    ImportBatch.Kind.STATES: "import_agent_data",
    ImportBatch.Kind.CLOCK: "import_agent_data",
    ImportBatch.Kind.PEOPLE: "manage_people",
}


def display_name(filename: str) -> str:
    """The uploaded name without any directory part; it is only ever shown, never opened."""
    return os.path.basename(filename.replace("\\", "/")).strip()[:255] or "upload"


def batch_organisation(user: Any, org_code: str | None) -> Organisation:
    """Vendor users import for their own vendor; client users for the client or a named one."""
    if is_vendor_user(user):
        own = Organisation.objects.get(pk=organisation_id_of(user))
        if org_code and org_code != own.code:
            audit.security_event(
                "cross_organisation_import", f"asked to import for {org_code}", actor=user
            )
            raise PermissionDenied
        return own
    if org_code:
        try:
            return Organisation.objects.get(code=org_code)
        except Organisation.DoesNotExist as exc:
            raise ValidationError(
                _("Unknown organisation code %(code)s.") % {"code": org_code}
            ) from exc
    own_id = organisation_id_of(user)
    if own_id:
        return Organisation.objects.get(pk=own_id)
    client = Organisation.objects.filter(kind=Organisation.Kind.CLIENT).order_by("pk").first()
    if client is None:
        raise ValidationError(_("No client organisation exists yet."))
    return client


def do_create_batch(
    *, kind: str, stream: IO[bytes], filename: str, acting_user: Any, org_code: str | None = None
) -> ImportBatch:
    """Store the upload under a generated name and record a queued batch."""
    if kind not in CAPABILITY or not can(acting_user, CAPABILITY[kind]):
        raise PermissionDenied
    organisation = batch_organisation(acting_user, org_code)
    stored_name = f"{uuid.uuid4().hex}.upload"
    target = Path(settings.MEDIA_ROOT) / "imports" / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    limit = settings.CCOPS_MAX_UPLOAD_BYTES
    with target.open("wb") as out:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise ValidationError(
                    _("The file is larger than the limit of %(mb)d MB.") % {"mb": limit // 2**20}
                )
            digest.update(chunk)
            out.write(chunk)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            organisation=organisation,
            kind=kind,
            filename=display_name(filename),
            stored_name=stored_name,
            size=size,
            sha256=digest.hexdigest(),
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        audit.record(
            "import.upload",
            batch,
            actor=acting_user,
            after={"kind": kind, "file": batch.filename, "size": size},
        )
    return batch


def enqueue_batch(batch: ImportBatch) -> None:
    """Hand the batch to the background worker once the upload is committed."""
    from ccops.intake.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(batch.pk))


def do_rerun_batch(user: Any, pk: Any) -> ImportBatch:
    """Queue a failed or interrupted batch again (its file is kept)."""
    batch = access(ImportBatch, user, pk, write="view_operational_data")
    if not can(user, CAPABILITY[batch.kind]):
        raise PermissionDenied
    running = batch.status == ImportBatch.Status.RUNNING and not is_stale(batch)
    if batch.status == ImportBatch.Status.SUCCEEDED or running or not upload_path(batch).exists():
        raise ValidationError(_("Only a failed or interrupted batch can be run again."))
    batch.status = ImportBatch.Status.QUEUED
    batch.save(update_fields=["status"])
    audit.record("import.rerun", batch, actor=user)
    enqueue_batch(batch)
    return batch


__all__ = ["do_create_batch", "do_rerun_batch", "enqueue_batch", "run_batch"]
