"""Admin of alignments, process evidence and their history: adjudication of disputes."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import CharField
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments import editing
from commitments.models import (
    Alignment,
    EditRecord,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
    SuggestionModel,
)
from commitments.models.review import KEPT_EVIDENCE_STATUSES
from commitments.reviews import (
    StaleDecision,
    add_process_evidence,
    confirm_alignment,
    decide_process_evidence,
    reject_alignment,
    withdraw_alignment,
)

REVIEW_EVENT_FIELDS = ("at", "actor", "origin", "from_status", "to_status", "rationale", "excerpt")


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    can_delete = False
    fields = REVIEW_EVENT_FIELDS
    readonly_fields = REVIEW_EVENT_FIELDS

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


Decide = Callable[[Any, Any, int, str], object]


class RationaleActionForm(ActionForm):
    rationale = CharField(required=False, label=gettext_lazy("Rationale"))


class DecisionActions:
    """Confirm, reject or withdraw the selected rows with one rationale, through `commitments.reviews`, under the
    same rules as the review pages. An action decides on the state the rows have as it runs (the version it
    reads then), since the list it was chosen from shows their current state."""

    action_form = RationaleActionForm

    def has_adjudicate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("commitments.adjudicate_alignment")

    def _decide_all(self, request: HttpRequest, queryset: QuerySet[Any], decide: Decide, verb: str) -> None:
        rationale = request.POST.get("rationale", "")
        done, refused = 0, []
        for row in queryset:
            try:
                decide(row, request.user, row.version, rationale)
                done += 1
            except StaleDecision as exc:
                refused.append(f"{row}: {exc}")
            except (ValidationError, PermissionDenied) as exc:
                refused.append(f"{row}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            self.message_user(request, _("%(count)s %(verb)s.") % {"count": done, "verb": verb}, messages.SUCCESS)  # type: ignore[attr-defined]
        for reason in refused:
            self.message_user(request, _("Not %(verb)s: %(reason)s") % {"verb": verb, "reason": reason}, messages.ERROR)  # type: ignore[attr-defined]


@admin.register(Alignment)
class AlignmentAdmin(DecisionActions, admin.ModelAdmin):
    """Alignments are decided here and on the review pages, never edited or deleted as rows: a confirmation
    is withdrawn by a recorded decision, and every change is in the history below it."""

    list_display = ["commitment", "action_item", "status", "origin", "confidence", "decided_by", "decided_at"]
    list_filter = ["status", "origin", "action_item__era"]
    list_select_related = ["commitment", "action_item", "decided_by"]
    search_fields = ["commitment__ogp_id", "commitment__title"]
    show_full_result_count = False
    inlines = [ReviewEventInline]
    actions = ["confirm_selected", "reject_selected", "withdraw_selected"]
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
        "version",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(
        description=gettext_lazy("Confirm selected alignments with the rationale"), permissions=["adjudicate"]
    )
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[Alignment]) -> None:
        self._decide_all(
            request,
            queryset,
            lambda row, user, version, why: confirm_alignment(alignment=row, user=user, version=version, rationale=why),
            _("confirmed"),
        )

    @admin.action(description=gettext_lazy("Reject selected alignments with the rationale"), permissions=["adjudicate"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Alignment]) -> None:
        self._decide_all(
            request,
            queryset,
            lambda row, user, version, why: reject_alignment(alignment=row, user=user, version=version, rationale=why),
            _("rejected"),
        )

    @admin.action(
        description=gettext_lazy("Withdraw selected alignments with the rationale"), permissions=["adjudicate"]
    )
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Alignment]) -> None:
        self._decide_all(
            request,
            queryset,
            lambda row, user, version, why: withdraw_alignment(
                alignment=row, user=user, version=version, rationale=why
            ),
            _("withdrawn"),
        )


def _decide_evidence(status: str) -> Decide:
    return lambda row, user, version, why: decide_process_evidence(
        evidence=row, user=user, version=version, status=status, rationale=why
    )


@admin.register(ProcessEvidence)
class ProcessEvidenceAdmin(DecisionActions, admin.ModelAdmin):
    """Process evidence is recorded and decided through `commitments.reviews`; its description and source
    are edited through `commitments.editing`. Decided evidence is withdrawn, never deleted."""

    list_display = ["member", "action_item", "action_plan", "status", "origin", "decided_at"]
    list_filter = ["status", "origin", "action_item"]
    list_select_related = ["member", "action_item", "action_plan"]
    autocomplete_fields = ["member", "action_plan"]
    inlines = [ReviewEventInline]
    actions = ["confirm_selected", "reject_selected", "withdraw_selected"]
    readonly_fields = ["status", "origin", "decided_by", "decided_at", "version"]

    def save_model(self, request: HttpRequest, obj: ProcessEvidence, form: Any, change: bool) -> None:
        if change:
            editing.save_row(obj=obj, actor=request.user, door=EditRecord.Door.ADMIN)
            return
        created = add_process_evidence(
            member_id=obj.member_id,
            action_item=obj.action_item,
            user=request.user,
            description=obj.description,
            source_url=obj.source_url,
            action_plan_id=obj.action_plan_id,
        )
        obj.pk = created.pk

    def has_delete_permission(self, request: HttpRequest, obj: ProcessEvidence | None = None) -> bool:
        if obj is not None and obj.status in KEPT_EVIDENCE_STATUSES:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: ProcessEvidence) -> None:
        self.delete_queryset(request, ProcessEvidence.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProcessEvidence]) -> None:
        kept = queryset.filter(status__in=KEPT_EVIDENCE_STATUSES)
        if kept.exists():
            self.message_user(
                request,
                _("Nothing was deleted: %(count)s are decided; withdraw them instead.") % {"count": kept.count()},
                messages.ERROR,
            )
            return
        editing.delete_rows(rows=list(queryset), actor=request.user, door=EditRecord.Door.ADMIN)

    @admin.action(description=gettext_lazy("Confirm selected evidence with the rationale"), permissions=["adjudicate"])
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[ProcessEvidence]) -> None:
        self._decide_all(request, queryset, _decide_evidence(ReviewStatus.CONFIRMED), _("confirmed"))

    @admin.action(description=gettext_lazy("Reject selected evidence with the rationale"), permissions=["adjudicate"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[ProcessEvidence]) -> None:
        self._decide_all(request, queryset, _decide_evidence(ReviewStatus.REJECTED), _("rejected"))

    @admin.action(description=gettext_lazy("Withdraw selected evidence with the rationale"), permissions=["adjudicate"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[ProcessEvidence]) -> None:
        self._decide_all(request, queryset, _decide_evidence(ReviewStatus.WITHDRAWN), _("withdrawn"))


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    """The review history is kept for ever: readable, never edited."""

    list_display = ["at", "subject", "actor", "from_status", "to_status"]
    list_filter = ["to_status", "origin"]
    list_select_related = ["actor"]
    search_fields = ["subject"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SuggestionModel)
class SuggestionModelAdmin(admin.ModelAdmin):
    list_display = [
        "action_item",
        "version",
        "trained_at",
        "active",
        "model_f1",
        "rules_f1",
        "threshold",
        "positives",
        "negatives",
    ]
    list_filter = ["active"]
    list_select_related = ["action_item"]
    exclude = ["payload"]
    readonly_fields = [
        "action_item",
        "version",
        "trained_at",
        "active",
        "threshold",
        "model_f1",
        "rules_f1",
        "held_out",
        "held_out_positives",
        "positives",
        "negatives",
        "tag_positives",
        "tag_negatives",
        "decision_positives",
        "decision_negatives",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # written only by training: its figures and its gate are shown, never edited
