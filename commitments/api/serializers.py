"""How the API writes members, plans, commitments, alignments, evidence, scores and methodologies.

Objects name each other by OGP ids and codes, never by database keys.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commitments.importer import format as fmt
from commitments.models import (
    SENTINEL_VALUES,
    ActionPlan,
    Alignment,
    Commitment,
    Member,
    PolicyArea,
    ProcessEvidence,
    ReviewEvent,
)
from ogp_tracker.api_support import WebAddressField

ASSESSMENT_COLUMNS = fmt.ASSESSMENT_COLUMNS


_DATETIME = serializers.DateTimeField()


def _when(value: Any) -> Any:
    return None if value is None else _DATETIME.to_representation(value)


def _day(value: Any) -> Any:
    return None if value is None else value.isoformat()


def slug_of(slug_field: str, **options: Any) -> Any:
    """A related object named by its OGP id, code or slug, never its database key."""
    return serializers.SlugRelatedField(slug_field=slug_field, read_only=True, **options)


class MemberSerializer(serializers.ModelSerializer[Member]):
    groups = serializers.ListField(
        source="api_groups", child=serializers.CharField(), help_text="Group slugs; set by `with_group_slugs`."
    )

    class Meta:
        model = Member
        fields = ["code", "name", "kind", "region", "joined_year", "groups", "updated_at"]

    def to_representation(self, member: Member) -> dict[str, Any]:
        """The declared fields, written directly: lists are read often (tests hold the two equal)."""
        return {
            "code": member.code,
            "name": member.name,
            "kind": member.kind,
            "region": member.region,
            "joined_year": member.joined_year,
            "groups": list(member.api_groups),  # type: ignore[attr-defined]
            "updated_at": _when(member.updated_at),
        }


class ActionPlanSerializer(serializers.ModelSerializer[ActionPlan]):
    member = slug_of("code")
    url = WebAddressField(read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["ogp_id", "member", "number", "submitted_year", "end_year", "duration_years"]
        fields += ["multistakeholder_forum", "co_creation_notes", "url", "updated_at"]


class AssessmentValueSerializer(serializers.Serializer[Any]):
    """One IRM field: `value` is the parsed code, `label` what OGP's file says, `state` tells a value from
    no data (nd), not reviewed (nr) and not applicable (na)."""

    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    state: serializers.ChoiceField = serializers.ChoiceField(choices=["value", "nd", "nr", "na"])


def assessment_entry(commitment: Commitment, column: fmt.AssessmentColumn) -> dict[str, Any]:
    """One IRM field of a commitment as the API shows it; extend here to add more (such as the raw cell)."""
    code = getattr(commitment, column.field)
    return {
        "value": code,
        "label": column.labels.get(code, code),
        "state": code if code in SENTINEL_VALUES else "value",
    }


class AssessmentSerializer(serializers.Serializer[Commitment]):
    """The IRM assessment, one entry per field of OGP's file."""

    def to_representation(self, instance: Commitment) -> dict[str, Any]:
        return {column.field: assessment_entry(instance, column) for column in ASSESSMENT_COLUMNS}


for _column in ASSESSMENT_COLUMNS:
    AssessmentSerializer._declared_fields[_column.field] = AssessmentValueSerializer(read_only=True)


class PolicyAreaSerializer(serializers.ModelSerializer[PolicyArea]):
    class Meta:
        model = PolicyArea
        fields = ["slug", "name"]


class PolicyAreaValueSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField(help_text="yes, or nd / nr / na")


TEXT_FIELDS = ["number", "theme", "title", "short_title", "full_text", "lead_institution"]
TEXT_FIELDS += ["supporting_institutions", "url", "language"]


class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    member = slug_of("code")
    action_plan = slug_of("ogp_id")
    assessment = AssessmentSerializer(source="*", read_only=True)
    policy_areas = PolicyAreaValueSerializer(
        source="api_tags", many=True, read_only=True, help_text="Set by `queries.with_policy_areas`."
    )
    url = WebAddressField(read_only=True)

    class Meta:
        model = Commitment
        fields = ["ogp_id", "member", "action_plan", "number", "theme", "title", "short_title", "full_text"]
        fields += ["lead_institution", "supporting_institutions", "url", "language"]
        fields += ["start_date_raw", "start_date", "start_date_precision"]
        fields += ["end_date_raw", "end_date", "end_date_precision"]
        fields += ["assessment", "policy_areas", "updated_at"]

    def to_representation(self, c: Commitment) -> dict[str, Any]:
        """The declared fields, written directly: lists are read often (tests hold the two equal)."""
        data = {
            "ogp_id": c.ogp_id,
            "member": c.member.code,
            "action_plan": c.action_plan.ogp_id,
            **{name: getattr(c, name) for name in TEXT_FIELDS},
            "start_date_raw": c.start_date_raw,
            "start_date": _day(c.start_date),
            "start_date_precision": c.start_date_precision,
            "end_date_raw": c.end_date_raw,
            "end_date": _day(c.end_date),
            "end_date_precision": c.end_date_precision,
            "assessment": {column.field: assessment_entry(c, column) for column in ASSESSMENT_COLUMNS},
            "policy_areas": list(c.api_tags),  # type: ignore[attr-defined]
            "updated_at": _when(c.updated_at),
        }
        return data


class SearchResultSerializer(CommitmentSerializer):
    rank = serializers.FloatField(read_only=True)
    snippet = serializers.SerializerMethodField(help_text="HTML: the text escaped, matches in <mark>.")

    class Meta(CommitmentSerializer.Meta):
        fields = ["rank", "snippet", *CommitmentSerializer.Meta.fields]

    def to_representation(self, c: Commitment) -> dict[str, Any]:
        return {"rank": c.rank, "snippet": self.get_snippet(c), **super().to_representation(c)}  # type: ignore[attr-defined]

    @extend_schema_field(OpenApiTypes.STR)
    def get_snippet(self, commitment: Commitment) -> str:
        from commitments.search import highlight

        return str(highlight(commitment, self.context.get("query", "")))


class ReviewEventSerializer(serializers.ModelSerializer[ReviewEvent]):
    class Meta:
        model = ReviewEvent
        fields = ["at", "origin", "from_status", "to_status", "confidence", "excerpt", "rationale"]


class AlignmentSerializer(serializers.ModelSerializer[Alignment]):
    commitment = slug_of("ogp_id")
    action_item = slug_of("code")

    class Meta:
        model = Alignment
        fields = ["commitment", "action_item", "status", "origin", "confidence", "passage_start", "passage_end"]
        fields += ["excerpt", "rationale", "decided_at", "version", "updated_at"]


class AlignmentDetailSerializer(AlignmentSerializer):
    history = ReviewEventSerializer(many=True, read_only=True)

    class Meta(AlignmentSerializer.Meta):
        fields = [*AlignmentSerializer.Meta.fields, "history"]


class ProcessEvidenceSerializer(serializers.ModelSerializer[ProcessEvidence]):
    member = slug_of("code")
    action_plan: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="ogp_id", read_only=True, allow_null=True
    )
    action_item = slug_of("code")
    source_url = WebAddressField(read_only=True)

    class Meta:
        model = ProcessEvidence
        fields = ["member", "action_plan", "action_item", "description", "source_url", "status", "origin"]
        fields += ["rationale", "decided_at", "version", "updated_at"]


class ScoreValueSerializer(serializers.Serializer[Any]):
    """A score's value; shared by current scores and their history."""

    resolution = serializers.CharField(source="resolution.slug")
    era = serializers.CharField(source="era.key", allow_null=True, help_text="Empty: the overall score.")
    methodology_version = serializers.CharField()
    value = serializers.DecimalField(max_digits=6, decimal_places=2)
    coverage = serializers.DecimalField(max_digits=5, decimal_places=4)
    uncertainty = serializers.DecimalField(max_digits=5, decimal_places=4)
    evidence_count = serializers.IntegerField()
    components = serializers.JSONField(help_text="Each action item's strength and the evidence behind it.")
    computed_at = serializers.DateTimeField()


class ScoreSerializer(ScoreValueSerializer):
    member = serializers.CharField(source="member.code")

    def to_representation(self, score: Any) -> dict[str, Any]:
        """The declared fields, written directly: lists are read often (tests hold the two equal)."""
        return {
            "resolution": score.resolution.slug,
            "era": score.era.key if score.era_id else None,
            "methodology_version": score.methodology_version,
            "value": f"{score.value:.2f}",
            "coverage": f"{score.coverage:.4f}",
            "uncertainty": f"{score.uncertainty:.4f}",
            "evidence_count": score.evidence_count,
            "components": score.components,
            "computed_at": _when(score.computed_at),
            "member": score.member.code,
        }


class ScoreHistorySerializer(ScoreValueSerializer):
    superseded_at = serializers.DateTimeField(allow_null=True, default=None, help_text="Empty: the current value.")


class ComparedMemberSerializer(serializers.Serializer[Any]):
    member = MemberSerializer()
    scores = ScoreValueSerializer(many=True)


class ComparisonSerializer(serializers.Serializer[Any]):
    methodology_version = serializers.CharField()
    members = ComparedMemberSerializer(many=True)


class MethodologySerializer(serializers.Serializer[Any]):
    version = serializers.CharField()
    current = serializers.BooleanField()
    base = serializers.FloatField()
    ambition_weight = serializers.FloatField()
    delivery_weight = serializers.FloatField()
    unassessed = serializers.FloatField()
    process_evidence = serializers.FloatField()
    potential_impact = serializers.DictField(child=serializers.FloatField())
    potential_for_results = serializers.DictField(child=serializers.FloatField())
    completion = serializers.DictField(child=serializers.FloatField())
    notes = serializers.CharField()
