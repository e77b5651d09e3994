"""The chief of staff's import: upload, preview every file, confirm; and each record's original."""

from __future__ import annotations

import datetime as dt
import posixpath

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from imports import services
from imports.adr.folder import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    UploadRefused,
    read_batch,
    read_uploads,
    read_zip,
)
from imports.forms import UploadForm
from imports.models import ImportBatch, ImportedLink, ImportedRecord
from leadership_os.access import Perm, forbidden, require

NOT_ALLOWED = "Only the chief of staff imports decision records."
STALE_UPLOAD = dt.timedelta(days=7)


def _start_context(form: UploadForm) -> dict[str, object]:
    sources = (
        ImportedRecord.objects.values("source")
        .annotate(records=Count("id"), last=Max("imported_on"))
        .order_by("-last", "source")
    )
    return {
        "form": form,
        "sources": list(sources[:20]),
        "limits": {
            "files": MAX_FILES,
            "file_kb": MAX_FILE_BYTES // 1000,
            "total_mb": MAX_TOTAL_BYTES // 1_000_000,
        },
    }


@require_GET
@require(Perm.EDIT_ALL, NOT_ALLOWED)
def import_start(request: HttpRequest) -> HttpResponse:
    return render(request, "imports/import_start.html", _start_context(UploadForm()))


@require_POST
@require(Perm.EDIT_ALL, NOT_ALLOWED)
def import_upload(request: HttpRequest) -> HttpResponse:
    try:
        form = UploadForm(request.POST, request.FILES)
        valid = form.is_valid()
    except TooManyFilesSent:
        form = UploadForm()
        form.add_error(
            None, "Too many files at once for a browser upload: put the folder in a .zip and upload that."
        )
        valid = False
    except RequestDataTooBig:
        form = UploadForm()
        form.add_error(
            None, f"The upload is too large; an import reads at most {MAX_TOTAL_BYTES // 1_000_000} MB."
        )
        valid = False
    if valid:
        uploads = form.cleaned_data["files"]
        try:
            if sum(f.size for f in uploads) > MAX_TOTAL_BYTES:
                raise UploadRefused(
                    f"The upload is larger than {MAX_TOTAL_BYTES // 1_000_000} MB; an import reads at most that."
                )
            zips = [f for f in uploads if f.name.lower().endswith(".zip")]
            if zips and len(uploads) > 1:
                raise UploadRefused("Upload one .zip on its own, or Markdown files without a zip.")
            if zips:
                files = read_zip(zips[0].read())
                default_source = posixpath.splitext(posixpath.basename(zips[0].name))[0]
            else:
                if not any(f.size for f in uploads):
                    raise UploadRefused("The upload is empty.")
                files = read_uploads([(f.name, f.read()) for f in uploads])
                default_source = "uploaded files"
            parsed = read_batch(files)
        except UploadRefused as refused:
            form.add_error("files", str(refused))
        else:
            # Uploads never confirmed are dropped after a week: they hold whole folders.
            ImportBatch.objects.filter(applied_at=None, created_at__lt=timezone.now() - STALE_UPLOAD).delete()
            batch = ImportBatch.objects.create(
                source=services.source_name(form.cleaned_data["source"] or default_source),
                surface=form.cleaned_data["surface"],
                files=services.files_to_store(files),
                preview=services.preview_rows(parsed),
                created_by=request.user,
            )
            return redirect("imports:import_preview", batch_id=batch.pk)
    return render(request, "imports/import_start.html", _start_context(form))


def _plan(batch: ImportBatch) -> services.Plan:
    return services.import_plan(read_batch(services.files_from_store(batch.files)), source=batch.source)


@require_GET
@require(Perm.EDIT_ALL, NOT_ALLOWED)
def import_preview(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if batch.applied_at is not None:
        rows = (batch.applied_plan or {}).get("files", [])
        context = {
            "batch": batch,
            "rows": rows,
            "vanished": (batch.applied_plan or {}).get("vanished", []),
            "creates": sum(1 for r in rows if r["action"] == "create"),
            "updates": sum(1 for r in rows if r["action"] == "update"),
            "skips": sum(1 for r in rows if r["action"] == "skip"),
            "labels": dict(ImportedLink.Kind.choices),
        }
        return render(request, "imports/import_applied.html", context)
    rows, vanished = services.preview_plan(batch.preview, source=batch.source)
    context = {
        "batch": batch,
        "rows": rows,
        "vanished": vanished,
        "creates": sum(1 for r in rows if r["action"] == "create"),
        "updates": sum(1 for r in rows if r["action"] == "update"),
        "skips": sum(1 for r in rows if r["action"] == "skip"),
        "with_warnings": sum(1 for r in rows if r["warnings"]),
        "links_resolved": sum(1 for r in rows for link in r["links"] if link["target"]),
    }
    return render(request, "imports/import_preview.html", context)


@require_POST
@require(Perm.EDIT_ALL, NOT_ALLOWED)
def import_confirm(request: HttpRequest, batch_id: int) -> HttpResponse:
    with transaction.atomic():
        batch = get_object_or_404(ImportBatch.objects.select_for_update(), pk=batch_id)
        if batch.applied_at is not None:
            return forbidden(
                request,
                "This upload was already imported; upload the folder again to import it anew.",
                status=409,
            )
        plan = _plan(batch)
        applied = services.import_apply(
            plan=plan, surface=batch.surface, by=request.user, today=timezone.localdate()
        )
        batch.applied_at = timezone.now()
        batch.applied_plan = {**plan.as_json(), "vanished": plan.vanished}
        batch.files = []  # each record keeps its own original text; the upload is no longer needed
        batch.save(update_fields=["applied_at", "applied_plan", "files"])
    text = (
        f"Imported “{batch.source}”: {len(applied.created)} created, {len(applied.updated)} updated, "
        f"{applied.unchanged} unchanged."
    )
    if applied.vanished:
        text += f" {len(applied.vanished)} file(s) imported before are gone from the folder; their decisions are kept."
    messages.success(request, text)
    for note in applied.notes:
        messages.warning(request, note)
    return redirect("imports:import_preview", batch_id=batch.pk)


@require_GET
@require(Perm.READ)
def record_original(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(ImportedRecord.objects.select_related("decision"), pk=record_id)
    return render(request, "imports/record_original.html", {"record": record})


@require_GET
@require(Perm.READ)
def record_original_download(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(ImportedRecord, pk=record_id)
    response = HttpResponse(record.original_text, content_type="text/markdown; charset=utf-8")
    name = posixpath.basename(record.path) or "record.md"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
