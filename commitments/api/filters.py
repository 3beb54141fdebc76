"""The filters of every list: member, region, national/local, group, era, action item, status, origin,
policy area, assessment values, dates and `updated_since`."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field

from commitments.importer import format as fmt
from commitments.models import ActionPlan, Alignment, Commitment, Member, Origin, ProcessEvidence, ReviewStatus, Score
from ogp_tracker.api_access import SinceFilter


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 100})
class ScoreValueFilter(django_filters.NumberFilter):
    """Scores lie between 0 and 100: a bound outside that range is refused, as the schema says."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=0, max_value=100, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year is a whole number, as the schema says: `?joined_after=2011.5` is refused, not rounded."""

    field_class = forms.IntegerField


class CodeInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Comma-separated values: `?member=ALB,ARG`."""


def _upper(value: list[str]) -> list[str]:
    return [item.upper() for item in value]


class MemberScopeFilter(django_filters.FilterSet):
    """Filters on the member a row belongs to; `member_path` is the lookup from the row to it."""

    member_path = "member"

    member = CodeInFilter(method="filter_member", help_text="Member codes, comma-separated.")
    region = django_filters.ChoiceFilter(method="filter_on_member", choices=Member.Region.choices)
    kind = django_filters.ChoiceFilter(
        method="filter_on_member", choices=Member.Kind.choices, help_text="national, local, ..."
    )
    group = django_filters.CharFilter(method="filter_group", help_text="Member group slug, e.g. leaders-network.")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte")

    def filter_member(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(**{f"{self.member_path}__code__in": _upper(value)})

    def filter_on_member(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{self.member_path}__{name}": value})

    def filter_group(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        members = Member.objects.filter(groups__slug=value).values("pk")
        return queryset.filter(**{f"{self.member_path}__in": members})


class MemberFilter(MemberScopeFilter):
    member_path = "self"
    joined_after = YearFilter(field_name="joined_year", lookup_expr="gte")

    def filter_member(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(code__in=_upper(value))

    def filter_on_member(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(**{name: value})

    def filter_group(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(pk__in=Member.objects.filter(groups__slug=value).values("pk"))

    class Meta:
        model = Member
        fields: list[str] = []


class ActionPlanFilter(MemberScopeFilter):
    submitted_after = YearFilter(field_name="submitted_year", lookup_expr="gte")
    submitted_before = YearFilter(field_name="submitted_year", lookup_expr="lte")
    ends_after = YearFilter(field_name="end_year", lookup_expr="gte")

    class Meta:
        model = ActionPlan
        fields: list[str] = []


class CommitmentFilter(MemberScopeFilter):
    action_plan = CodeInFilter(field_name="action_plan__ogp_id", lookup_expr="in")
    policy_area = django_filters.CharFilter(method="filter_policy_area", help_text="Policy area slug, tagged yes.")
    action_item = django_filters.CharFilter(method="filter_action_item", help_text="Action item code, aligned.")
    era = django_filters.CharFilter(method="filter_era", help_text="Era key, aligned through any action item.")
    alignment_status = django_filters.ChoiceFilter(
        method="filter_alignment_status", choices=ReviewStatus.choices, help_text="With an alignment in this status."
    )
    language = django_filters.CharFilter()
    start_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    end_after = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")
    end_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Commitment
        fields: list[str] = []

    def filter_policy_area(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(pk__in=_tagged(value))

    def _aligned(self, **lookup: str) -> QuerySet[Alignment]:
        status = self.data.get("alignment_status")
        alignments = Alignment.objects.filter(**lookup)
        return alignments.filter(status=status) if status else alignments

    def filter_action_item(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(pk__in=self._aligned(action_item__code=value).values("commitment_id"))

    def filter_era(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(pk__in=self._aligned(action_item__era__key=value).values("commitment_id"))

    def filter_alignment_status(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(pk__in=Alignment.objects.filter(status=value).values("commitment_id"))


def _tagged(slug: str) -> QuerySet:
    from commitments.models import CommitmentPolicyArea

    return CommitmentPolicyArea.objects.filter(policy_area__slug=slug, value="yes").values("commitment_id")


# One filter per IRM field of OGP's file: `?potential_impact=transformative,moderate`, `?completion_end_of_term=nd`.
for _column in fmt.ASSESSMENT_COLUMNS:
    CommitmentFilter.base_filters[_column.field] = CodeInFilter(
        field_name=_column.field, lookup_expr="in", help_text="Codes, comma-separated; nd / nr / na for the states."
    )


class AlignmentFilter(MemberScopeFilter):
    member_path = "commitment__member"
    commitment = CodeInFilter(field_name="commitment__ogp_id", lookup_expr="in")
    action_item = CodeInFilter(field_name="action_item__code", lookup_expr="in")
    era = django_filters.CharFilter(field_name="action_item__era__key")
    resolution = django_filters.CharFilter(field_name="action_item__resolution__slug")
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices)
    origin = django_filters.MultipleChoiceFilter(choices=Origin.choices)
    policy_area = django_filters.CharFilter(method="filter_policy_area")
    min_confidence = django_filters.NumberFilter(field_name="confidence", lookup_expr="gte")
    decided_after = SinceFilter(field_name="decided_at", lookup_expr="gte")
    decided_before = SinceFilter(field_name="decided_at", lookup_expr="lte")

    class Meta:
        model = Alignment
        fields: list[str] = []

    def filter_policy_area(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(commitment_id__in=_tagged(value))


class ProcessEvidenceFilter(MemberScopeFilter):
    action_plan = CodeInFilter(field_name="action_plan__ogp_id", lookup_expr="in")
    action_item = CodeInFilter(field_name="action_item__code", lookup_expr="in")
    era = django_filters.CharFilter(field_name="action_item__era__key")
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices)
    origin = django_filters.MultipleChoiceFilter(choices=Origin.choices)
    decided_after = SinceFilter(field_name="decided_at", lookup_expr="gte")

    class Meta:
        model = ProcessEvidence
        fields: list[str] = []


class ScoreFilter(MemberScopeFilter):
    resolution = django_filters.CharFilter(field_name="resolution__slug")
    era = django_filters.CharFilter(method="filter_era", help_text="Era key, or `overall` for overall scores.")
    methodology_version = django_filters.CharFilter()
    min_value = ScoreValueFilter(field_name="value", lookup_expr="gte")
    max_value = ScoreValueFilter(field_name="value", lookup_expr="lte")
    updated_since = SinceFilter(field_name="computed_at", lookup_expr="gte")

    class Meta:
        model = Score
        fields: list[str] = []

    def filter_era(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value == "overall":
            return queryset.filter(era__isnull=True)
        return queryset.filter(era__key=value)
