from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

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
    RecomputeRun,
    ReviewEvent,
    Score,
    ScoreSnapshot,
)
from commitments.scoring import request_member_recompute, start_full_recompute

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


class AlignmentInline(admin.TabularInline):
    model = Alignment
    extra = 0
    fields = [
        "action_item",
        "status",
        "origin",
        "confidence",
        "excerpt",
        "rationale",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = ["decided_by", "decided_at"]


@admin.register(Commitment)
class CommitmentAdmin(RecomputesScoresAdmin):
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


@admin.register(Alignment)
class AlignmentAdmin(RecomputesScoresAdmin):
    list_display = ["commitment", "action_item", "status", "origin", "confidence", "decided_by", "decided_at"]
    list_filter = ["status", "origin", "action_item__era"]
    list_select_related = ["commitment", "action_item", "decided_by"]
    search_fields = ["commitment__ogp_id", "commitment__title"]
    raw_id_fields = ["commitment"]
    show_full_result_count = False
    inlines = [ReviewEventInline]

    def score_members(self, objs: Iterable[Alignment]) -> set[int]:
        ids = [alignment.pk for alignment in objs]
        return set(Commitment.objects.filter(alignments__pk__in=ids).values_list("member_id", flat=True))


@admin.register(ProcessEvidence)
class ProcessEvidenceAdmin(RecomputesScoresAdmin):
    list_display = ["member", "action_item", "action_plan", "status", "origin", "decided_at"]
    list_filter = ["status", "origin", "action_item"]
    list_select_related = ["member", "action_item", "action_plan"]
    autocomplete_fields = ["member", "action_plan"]
    inlines = [ReviewEventInline]

    def score_members(self, objs: Iterable[ProcessEvidence]) -> set[int]:
        return {evidence.member_id for evidence in objs}


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
