import tempfile
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, QuerySet, URLField
from django.forms import BaseFormSet, CharField, ModelForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from commitments.exporter import csv_chunks, write_xlsx
from commitments.import_runs import create_run, run_progress
from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    ImportRun,
    Member,
    MemberGroup,
    PendingRecompute,
    PolicyArea,
    PolicyAreaCrosswalk,
    ProcessEvidence,
    RecomputeRun,
    ReviewEvent,
    ReviewStatus,
    Score,
    ScoreSnapshot,
    SuggestionModel,
)
from commitments.ogp_format import max_file_bytes
from commitments.reviews import confirm_alignment, decide_process_evidence, reject_alignment
from commitments.scoring import request_member_recompute, start_full_recompute
from commitments.tasks import import_ogp_file, request_suggestions

RECOMPUTE_PERMISSION = "commitments.recompute_scores"


def can_recompute_scores(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff and request.user.has_perm(RECOMPUTE_PERMISSION))


class RecomputesScoresAdmin(admin.ModelAdmin):
    """Edits here change scores: mark the members touched, before and after, for a recompute on commit."""

    def score_members(self, objs: Iterable[Any]) -> set[int]:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = self.score_members(type(obj).objects.filter(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        request_member_recompute(before | self.score_members([obj]))

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        request_member_recompute(self.score_members([form.instance]))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        members = self.score_members([obj])
        super().delete_model(request, obj)
        request_member_recompute(members)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        members = self.score_members(queryset)
        super().delete_queryset(request, queryset)
        request_member_recompute(members)


@admin.register(MemberGroup)
class MemberGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "launched_on"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "joined_year"]
    list_filter = ["kind", "region", "groups"]
    search_fields = ["code", "name"]
    filter_horizontal = ["groups"]
    actions = ["recompute_scores"]

    def has_recompute_scores_permission(self, request: HttpRequest) -> bool:
        return can_recompute_scores(request)

    @admin.action(description="Recompute scores of the selected members", permissions=["recompute_scores"])
    def recompute_scores(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        request_member_recompute(queryset.values_list("pk", flat=True))
        self.message_user(request, f"Scores of {queryset.count()} members will be recomputed.", messages.SUCCESS)


@admin.register(ActionPlan)
class ActionPlanAdmin(RecomputesScoresAdmin):
    list_display = ["ogp_id", "member", "number", "submitted_year", "end_year", "multistakeholder_forum"]
    list_filter = ["member__region", "submitted_year"]
    list_select_related = ["member"]
    search_fields = ["ogp_id", "member__name"]
    autocomplete_fields = ["member"]

    def score_members(self, objs: Iterable[ActionPlan]) -> set[int]:
        return {plan.member_id for plan in objs}


class CommitmentPolicyAreaInline(admin.TabularInline):
    model = CommitmentPolicyArea
    extra = 0
    autocomplete_fields = ["policy_area"]


ALIGNMENT_INLINE_FIELDS = (
    "action_item",
    "status",
    "origin",
    "confidence",
    "excerpt",
    "rationale",
    "decided_by",
    "decided_at",
)


class AlignmentInline(admin.TabularInline):
    model = Alignment
    extra = 0
    fields = ALIGNMENT_INLINE_FIELDS
    readonly_fields = ALIGNMENT_INLINE_FIELDS
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Commitment)
class CommitmentAdmin(RecomputesScoresAdmin):
    formfield_overrides = {URLField: {"assume_scheme": "https"}}  # OGP's pages are served over HTTPS
    list_display = [
        "ogp_id",
        "short_title",
        "member",
        "action_plan",
        "potential_impact",
        "completion_end_of_term",
    ]
    list_filter = ["member__region", "potential_impact", "completion_end_of_term", "specificity"]
    list_select_related = ["member", "action_plan"]
    search_fields = ["ogp_id", "title", "short_title"]
    autocomplete_fields = ["member", "action_plan"]
    show_full_result_count = False
    inlines = [CommitmentPolicyAreaInline, AlignmentInline]

    def save_model(self, request: HttpRequest, obj: Commitment, form: "ModelForm[Commitment]", change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or {"title", "full_text"} & set(form.changed_data):
            request_suggestions([obj.pk])

    def score_members(self, objs: Iterable[Commitment]) -> set[int]:
        return {commitment.member_id for commitment in objs}


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(PolicyAreaCrosswalk)
class PolicyAreaCrosswalkAdmin(admin.ModelAdmin):
    list_display = ["policy_area", "era", "action_item", "weight"]
    list_select_related = ["policy_area", "era", "action_item"]
    list_filter = ["era"]
    autocomplete_fields = ["policy_area"]


REVIEW_EVENT_FIELDS = ("at", "actor", "origin", "from_status", "to_status", "rationale", "excerpt")


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    can_delete = False
    fields = REVIEW_EVENT_FIELDS
    readonly_fields = REVIEW_EVENT_FIELDS

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


Decide = Callable[[Any, Any, str], object]


class RationaleActionForm(ActionForm):
    rationale = CharField(required=False, label="Rationale")


class DecisionActions:
    """Confirm or reject the selected rows with one rationale, through the same rules as the review pages."""

    action_form = RationaleActionForm

    def has_adjudicate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("commitments.adjudicate_alignment")

    def _decide_all(self, request: HttpRequest, queryset: QuerySet[Any], decide: Decide, verb: str) -> None:
        rationale = request.POST.get("rationale", "")
        done, refused = 0, []
        for row in queryset:
            try:
                decide(row, request.user, rationale)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                refused.append(f"{row}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            self.message_user(request, f"{done} {verb}.", messages.SUCCESS)  # type: ignore[attr-defined]
        for reason in refused:
            self.message_user(request, f"Not {verb}: {reason}", messages.ERROR)  # type: ignore[attr-defined]


@admin.register(Alignment)
class AlignmentAdmin(DecisionActions, RecomputesScoresAdmin):
    list_display = ["commitment", "action_item", "status", "origin", "confidence", "decided_by", "decided_at"]
    list_filter = ["status", "origin", "action_item__era"]
    list_select_related = ["commitment", "action_item", "decided_by"]
    search_fields = ["commitment__ogp_id", "commitment__title"]
    show_full_result_count = False
    inlines = [ReviewEventInline]
    actions = ["confirm_selected", "reject_selected"]
    # Decisions go through the actions and the review pages, which keep the history.
    readonly_fields = [
        "commitment",
        "action_item",
        "status",
        "origin",
        "confidence",
        "passage_start",
        "passage_end",
        "excerpt",
        "rationale",
        "text_hash",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Confirm selected alignments with the rationale", permissions=["adjudicate"])
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[Alignment]) -> None:
        self._decide_all(
            request,
            queryset,
            lambda row, user, why: confirm_alignment(alignment=row, user=user, rationale=why),
            "confirmed",
        )

    @admin.action(description="Reject selected alignments with the rationale", permissions=["adjudicate"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Alignment]) -> None:
        self._decide_all(
            request,
            queryset,
            lambda row, user, why: reject_alignment(alignment=row, user=user, rationale=why),
            "rejected",
        )

    def score_members(self, objs: Iterable[Alignment]) -> set[int]:
        ids = [alignment.pk for alignment in objs]
        return set(Commitment.objects.filter(alignments__pk__in=ids).values_list("member_id", flat=True))


@admin.register(ProcessEvidence)
class ProcessEvidenceAdmin(DecisionActions, RecomputesScoresAdmin):
    list_display = ["member", "action_item", "action_plan", "status", "origin", "decided_at"]
    list_filter = ["status", "origin", "action_item"]
    list_select_related = ["member", "action_item", "action_plan"]
    autocomplete_fields = ["member", "action_plan"]
    inlines = [ReviewEventInline]
    actions = ["confirm_selected", "reject_selected"]
    readonly_fields = ["status", "decided_by", "decided_at"]

    @admin.action(description="Confirm selected evidence with the rationale", permissions=["adjudicate"])
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[ProcessEvidence]) -> None:
        self._decide_all(
            request,
            queryset,
            lambda row, user, why: decide_process_evidence(
                evidence=row, user=user, status=ReviewStatus.CONFIRMED, rationale=why
            ),
            "confirmed",
        )

    @admin.action(description="Reject selected evidence with the rationale", permissions=["adjudicate"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[ProcessEvidence]) -> None:
        self._decide_all(
            request,
            queryset,
            lambda row, user, why: decide_process_evidence(
                evidence=row, user=user, status=ReviewStatus.REJECTED, rationale=why
            ),
            "rejected",
        )


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["member", "resolution", "era", "methodology_version", "value", "coverage", "computed_at"]
    list_filter = ["methodology_version", "era"]
    list_select_related = ["member", "resolution", "era"]
    search_fields = ["member__name", "member__code"]


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(admin.ModelAdmin):
    list_display = ["member", "era", "methodology_version", "value", "computed_at", "superseded_at"]
    list_filter = ["methodology_version", "era"]
    list_select_related = ["member", "era"]
    date_hierarchy = "computed_at"


@admin.register(CommitmentPolicyArea)
class CommitmentPolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["commitment", "policy_area", "value"]
    list_filter = ["value", "policy_area"]
    list_select_related = ["commitment", "policy_area"]
    raw_id_fields = ["commitment"]
    search_fields = ["commitment__ogp_id"]


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    """The review history is kept for ever: readable, never edited."""

    list_display = ["at", "alignment", "process_evidence", "actor", "from_status", "to_status"]
    list_filter = ["to_status", "origin"]
    list_select_related = ["alignment", "process_evidence", "actor"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SuggestionModel)
class SuggestionModelAdmin(admin.ModelAdmin):
    list_display = ["action_item", "version", "trained_at", "positives", "negatives"]
    list_select_related = ["action_item"]
    exclude = ["payload"]
    readonly_fields = ["action_item", "version", "trained_at", "positives", "negatives"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="OGP's commitment export, as CSV (UTF-8) or XLSX.")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size and upload.size > max_file_bytes():
            raise forms.ValidationError(f"The largest accepted file is {max_file_bytes():,} bytes.")
        return upload


IMPORT_PERMISSION = "commitments.import_ogp_data"


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
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

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="progress and report")
    def status_link(self, run: ImportRun) -> str:
        return format_html('<a href="{}">open</a>', reverse("admin:commitments_importrun_status", args=[run.pk]))

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
            name = upload.name or "upload"
            stored = default_storage.save(f"imports/{uuid.uuid4().hex}/{Path(name).name}", upload)
            run = create_run(
                path=Path(default_storage.path(stored)),
                file_name=name,
                dry_run=True,
                uploaded_by_id=request.user.pk,
                stored_name=stored,
            )
            transaction.on_commit(lambda: import_ogp_file.delay(run.pk))
            return redirect("admin:commitments_importrun_status", run.pk)
        context = self._context(request, "Import OGP commitment data", form=form)
        return TemplateResponse(request, "admin/commitments/importrun/upload.html", context)

    def status_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        self._check(request)
        run = get_object_or_404(ImportRun.objects.select_related("uploaded_by"), pk=run_id)
        report = run.report if run.is_finished else {}
        context = self._context(
            request,
            f"{'Preview' if run.dry_run else 'Import'} of {run.file_name}",
            run=run,
            progress=run_progress(run=run),
            report=report,
            tallies=[
                (label, report.get(key) or {})
                for label, key in (
                    ("Commitments", "commitments"),
                    ("Members", "members"),
                    ("Action plans", "action_plans"),
                    ("Policy areas", "policy_areas"),
                )
            ],
            can_confirm=run.dry_run and run.status == ImportRun.Status.SUCCEEDED and bool(run.file),
        )
        return TemplateResponse(request, "admin/commitments/importrun/status.html", context)

    def confirm_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        self._check(request)
        preview = get_object_or_404(ImportRun, pk=run_id, dry_run=True, status=ImportRun.Status.SUCCEEDED)
        if request.method != "POST" or not preview.file:
            return redirect("admin:commitments_importrun_status", preview.pk)
        run = create_run(
            path=Path(preview.file.path),
            file_name=preview.file_name,
            dry_run=False,
            uploaded_by_id=request.user.pk,
            stored_name=preview.file.name or "",
        )
        transaction.on_commit(lambda: import_ogp_file.delay(run.pk))
        messages.info(request, "The import has started; this page shows its progress.")
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
            write_xlsx(out)
            out.seek(0)
            return FileResponse(out, as_attachment=True, filename=f"ogp-commitments-{stamp}.xlsx")
        raise Http404("Export as csv or xlsx.")


class ReadOnlyForRecomputersAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_recompute_scores(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return can_recompute_scores(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RecomputeRun)
class RecomputeRunAdmin(ReadOnlyForRecomputersAdmin):
    """Staff allowed to recompute see every run's progress here, and start a full recompute."""

    list_display = [
        "created_at",
        "kind",
        "methodology_version",
        "status",
        "members_done",
        "members_total",
        "scores_written",
        "started_at",
        "finished_at",
        "requested_by",
    ]
    list_filter = ["kind", "status", "methodology_version"]
    list_select_related = ["requested_by"]

    def get_urls(self) -> list[URLPattern]:
        recompute = self.admin_site.admin_view(require_POST(self.recompute_view))
        return [path("recompute/", recompute, name="commitments_recomputerun_recompute"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_recompute": can_recompute_scores(request)}
        return super().changelist_view(request, extra_context)

    def recompute_view(self, request: HttpRequest) -> HttpResponse:
        if not can_recompute_scores(request):
            return HttpResponse("You may not recompute scores.", status=403)
        with transaction.atomic():
            run = start_full_recompute(requested_by_id=request.user.pk)
        self.message_user(request, f"Full recompute {run.pk} of {run.methodology_version} queued.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:commitments_recomputerun_changelist"))


@admin.register(PendingRecompute)
class PendingRecomputeAdmin(ReadOnlyForRecomputersAdmin):
    """Members whose scores wait for the next recompute: an empty list means scores are up to date."""

    list_display = ["member", "requested_at"]
    list_select_related = ["member"]
