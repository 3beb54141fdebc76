"""Admin of alignments, process evidence and their history: adjudication of disputes."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import CharField
from django.http import HttpRequest

from commitments.admin.base import RecomputesScoresAdmin
from commitments.models import (
    Alignment,
    Commitment,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
    SuggestionModel,
)
from commitments.reviews import confirm_alignment, decide_process_evidence, reject_alignment

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
