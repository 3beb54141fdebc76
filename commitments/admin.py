from django.contrib import admin
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
    Score,
    ScoreSnapshot,
)


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
class AlignmentAdmin(admin.ModelAdmin):
    list_display = ["commitment", "action_item", "status", "origin", "confidence", "decided_by", "decided_at"]
    list_filter = ["status", "origin", "action_item__era"]
    list_select_related = ["commitment", "action_item", "decided_by"]
    search_fields = ["commitment__ogp_id", "commitment__title"]
    raw_id_fields = ["commitment"]
    show_full_result_count = False
    inlines = [ReviewEventInline]


@admin.register(ProcessEvidence)
class ProcessEvidenceAdmin(admin.ModelAdmin):
    list_display = ["member", "action_item", "action_plan", "status", "origin", "decided_at"]
    list_filter = ["status", "origin", "action_item"]
    list_select_related = ["member", "action_item", "action_plan"]
    autocomplete_fields = ["member", "action_plan"]
    inlines = [ReviewEventInline]


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
