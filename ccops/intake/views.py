"""Import pages: upload, the batch list, a batch's ledger and errors with live progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.common import export
from ccops.intake import messages as texts
from ccops.intake import services
from ccops.intake.forms import UploadForm
from ccops.intake.models import ImportBatch
from ccops.intake.pipeline import get_progress
from ccops.org.access import access, require, restrict


def _batches(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(request.user, "view_operational_data")
    return restrict(ImportBatch.objects.select_related("organisation", "created_by"), request.user)


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = _batches(request)
    kind = request.GET.get("kind")
    if kind:
        batches = batches.filter(kind=kind)
    form = UploadForm(user=request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            org = form.cleaned_data.get("organisation")
            try:
                batch = services.do_create_batch(
                    kind=form.cleaned_data["kind"],
                    stream=form.cleaned_data["file"],
                    filename=form.cleaned_data["file"].name,
                    acting_user=request.user,
                    org_code=org.code if org else None,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                services.enqueue_batch(batch)
                return redirect("intake:batch_detail", pk=batch.pk)
    page = Paginator(batches, 30).get_page(request.GET.get("page"))
    return render(
        request, "intake/batch_list.html", {"page": page, "form": form, "title": _("Data imports")}
    )


def _error_rows(batch: ImportBatch) -> list[dict[str, str]]:
    return [
        {
            "where": texts.location(e),
            "message": texts.describe(e),
            "row": e.get("row") or "",
            "column": e.get("column") or "",
        }
        for e in batch.errors
    ]


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access(_batches(request), request.user, pk)
    if request.GET.get("export") == "errors":
        rows = ([e["row"], e["column"], e["message"]] for e in _error_rows(batch))
        return export.csv_response(
            f"batch-{batch.pk}-errors", [_("row"), _("column"), _("problem")], rows
        )
    context = {
        "batch": batch,
        "progress": get_progress(batch.pk),
        "errors": _error_rows(batch)[:500],
        "title": str(batch),
    }
    template = (
        "intake/_batch_status.html"
        if getattr(request, "htmx", False)
        else "intake/batch_detail.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def batch_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.do_rerun_batch(request.user, pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("intake:batch_detail", pk=pk)
