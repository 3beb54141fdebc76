"""Admin of imports: upload, preview, confirm and export OGP commitment data."""

import tempfile
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from commitments.admin.base import ViewOnlyAdmin
from commitments.importer.exporter import ExportTooWide, csv_chunks, write_xlsx
from commitments.importer.format import max_file_bytes
from commitments.importer.report import localized_report
from commitments.importer.runs import confirm_preview, is_confirmable, preview_upload, run_progress
from commitments.models import (
    ColumnLayout,
    ImportRun,
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("OGP's commitment export, as CSV (UTF-8) or XLSX.")
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size and upload.size > max_file_bytes():
            raise forms.ValidationError(
                gettext("The largest accepted file is %(most)s bytes.")
                % {"most": number_format(max_file_bytes(), force_grouping=True)}
            )
        return upload


IMPORT_PERMISSION = "commitments.import_ogp_data"

# The phases a running import reports (`commitments.importer.runs.run_progress`), as the status page says them.
PHASES = {
    "validating": gettext_lazy("validating"),
    "comparing": gettext_lazy("comparing"),
    "writing": gettext_lazy("writing"),
}


class ImportersReadOnly(ViewOnlyAdmin):
    """Seen by those who may import OGP data; written only by the import itself, never in the admin."""

    def may_view(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)


@admin.register(ImportRun)
class ImportRunAdmin(ImportersReadOnly):
    """The history of imports, read-only; upload, preview, confirm and export for the Support Unit."""

    change_list_template = "admin/commitments/importrun/change_list.html"
    list_display = [
        "created_at",
        "file_name",
        "dry_run",
        "status",
        "rows_total",
        "created",
        "updated",
        "unchanged",
        "uploaded_by",
        "status_link",
    ]
    list_filter = ["status", "dry_run"]
    list_select_related = ["uploaded_by"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [
        "file_name",
        "sha256",
        "size",
        "uploaded_by",
        "dry_run",
        "status",
        "rows_done",
        "rows_total",
        "created",
        "updated",
        "unchanged",
        "created_at",
        "started_at",
        "finished_at",
        "report",
    ]
    exclude = ["file"]

    @admin.display(description=gettext_lazy("progress and report"))
    def status_link(self, run: ImportRun) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:commitments_importrun_status", args=[run.pk]), gettext("open")
        )

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="commitments_importrun_upload"),
            path("<int:run_id>/status/", wrap(self.status_view), name="commitments_importrun_status"),
            path("<int:run_id>/confirm/", wrap(self.confirm_view), name="commitments_importrun_confirm"),
            path("export/<str:file_format>/", wrap(self.export_view), name="commitments_importrun_export"),
            *super().get_urls(),
        ]

    def _check(self, request: HttpRequest) -> None:
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload: UploadedFile = form.cleaned_data["file"]
            run = preview_upload(upload=upload, uploaded_by_id=request.user.pk)
            return redirect("admin:commitments_importrun_status", run.pk)
        context = self._context(request, gettext("Import OGP commitment data"), form=form)
        return TemplateResponse(request, "admin/commitments/importrun/upload.html", context)

    def status_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        self._check(request)
        run = get_object_or_404(ImportRun.objects.select_related("uploaded_by"), pk=run_id)
        report = localized_report(run.report) if run.is_finished else {}
        progress = run_progress(run=run)
        progress["phase"] = PHASES.get(progress["phase"]) or run.get_status_display()
        title = gettext("Preview of %(file)s") if run.dry_run else gettext("Import of %(file)s")
        context = self._context(
            request,
            title % {"file": run.file_name},
            run=run,
            progress=progress,
            report=report,
            tallies=[
                (label, report.get(key) or {})
                for label, key in (
                    (gettext("Commitments"), "commitments"),
                    (gettext("Members"), "members"),
                    (gettext("Action plans"), "action_plans"),
                    (gettext("Policy areas"), "policy_areas"),
                )
            ],
            can_confirm=is_confirmable(run),
        )
        return TemplateResponse(request, "admin/commitments/importrun/status.html", context)

    def confirm_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        self._check(request)
        preview = get_object_or_404(ImportRun, pk=run_id, dry_run=True, status=ImportRun.Status.SUCCEEDED)
        if request.method != "POST" or not preview.file:
            return redirect("admin:commitments_importrun_status", preview.pk)
        # A second confirm of the same preview shows the import it already started.
        with transaction.atomic():
            ImportRun.objects.select_for_update().get(pk=preview.pk)
            existing = ImportRun.objects.filter(dry_run=False, file=preview.file.name, sha256=preview.sha256).first()
            if existing is not None:
                messages.info(request, gettext("This preview was already confirmed; this page shows that import."))
                return redirect("admin:commitments_importrun_status", existing.pk)
            run = confirm_preview(preview=preview, confirmed_by_id=request.user.pk)
        messages.info(request, gettext("The import has started; this page shows its progress."))
        return redirect("admin:commitments_importrun_status", run.pk)

    def export_view(self, request: HttpRequest, file_format: str) -> HttpResponseBase:
        self._check(request)
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        if file_format == "csv":
            response = StreamingHttpResponse(csv_chunks(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="ogp-commitments-{stamp}.csv"'
            return response
        if file_format == "xlsx":
            out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
            try:
                write_xlsx(out)
            except ExportTooWide as exc:
                out.close()
                messages.error(request, str(exc))
                return redirect("admin:commitments_importrun_changelist")
            out.seek(0)
            return FileResponse(out, as_attachment=True, filename=f"ogp-commitments-{stamp}.xlsx")
        raise Http404(gettext("Export as csv or xlsx."))


@admin.register(ColumnLayout)
class ColumnLayoutAdmin(ImportersReadOnly):
    """The column orders of imported files, read-only: the importer writes them, the export reads them."""

    list_display = ["pk", "last_used_at", "column_count"]
    readonly_fields = ["key", "columns", "last_used_at"]

    @admin.display(description=gettext_lazy("columns"))
    def column_count(self, layout: ColumnLayout) -> int:
        return len(layout.columns)
