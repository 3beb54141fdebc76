"""Admin of members, plans, commitments and policy areas: the Support Unit keeps them current."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet, URLField
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.admin.base import DomainWritesAdmin, can_recompute_scores
from commitments.followup import request_recompute
from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    Member,
    MemberGroup,
    PolicyArea,
    PolicyAreaCrosswalk,
)


@admin.register(MemberGroup)
class MemberGroupAdmin(DomainWritesAdmin):
    list_display = ["name", "launched_on"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Member)
class MemberAdmin(DomainWritesAdmin):
    list_display = ["code", "name", "kind", "region", "joined_year"]
    list_filter = ["kind", "region", "groups"]
    search_fields = ["code", "name"]
    filter_horizontal = ["groups"]
    actions = ["recompute_scores"]

    def has_recompute_scores_permission(self, request: HttpRequest) -> bool:
        return can_recompute_scores(request)

    @admin.action(
        description=gettext_lazy("Recompute scores of the selected members"), permissions=["recompute_scores"]
    )
    def recompute_scores(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        with transaction.atomic():
            request_recompute(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("Scores of %(count)s members will be recomputed.") % {"count": queryset.count()},
            messages.SUCCESS,
        )


@admin.register(ActionPlan)
class ActionPlanAdmin(DomainWritesAdmin):
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
class CommitmentAdmin(DomainWritesAdmin):
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
    autocomplete_fields = ["action_plan"]
    readonly_fields = ["member"]  # always the plan's member (`editing.save_row`)
    show_full_result_count = False
    inlines = [CommitmentPolicyAreaInline, AlignmentInline]


@admin.register(PolicyArea)
class PolicyAreaAdmin(DomainWritesAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(PolicyAreaCrosswalk)
class PolicyAreaCrosswalkAdmin(DomainWritesAdmin):
    list_display = ["policy_area", "era", "action_item", "weight"]
    list_select_related = ["policy_area", "era", "action_item"]
    list_filter = ["era"]
    autocomplete_fields = ["policy_area"]


@admin.register(CommitmentPolicyArea)
class CommitmentPolicyAreaAdmin(DomainWritesAdmin):
    list_display = ["commitment", "policy_area", "value"]
    list_filter = ["value", "policy_area"]
    list_select_related = ["commitment", "policy_area"]
    raw_id_fields = ["commitment"]
    search_fields = ["commitment__ogp_id"]
