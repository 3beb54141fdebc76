from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import CharField, ModelForm
from django.http import HttpRequest

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    Member,
    MemberGroup,
    PolicyArea,
    PolicyAreaCrosswalk,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
    Score,
    ScoreSnapshot,
    SuggestionModel,
)
from commitments.reviews import confirm_alignment, decide_process_evidence, reject_alignment
from commitments.tasks import request_suggestions


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


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["ogp_id", "member", "number", "submitted_year", "end_year", "multistakeholder_forum"]
    list_filter = ["member__region", "submitted_year"]
    list_select_related = ["member"]
    search_fields = ["ogp_id", "member__name"]
    autocomplete_fields = ["member"]


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
class CommitmentAdmin(admin.ModelAdmin):
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
class AlignmentAdmin(DecisionActions, admin.ModelAdmin):
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


@admin.register(ProcessEvidence)
class ProcessEvidenceAdmin(DecisionActions, admin.ModelAdmin):
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
    list_display = ["member", "era", "methodology_version", "value", "computed_at"]
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
