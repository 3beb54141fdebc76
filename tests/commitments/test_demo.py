import pytest
from django.core.management import CommandError, call_command

from commitments.models import (
    NO_DATA,
    NOT_REVIEWED,
    ActionPlan,
    Alignment,
    Commitment,
    Member,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
)
from demo.dataset import load_demo

pytestmark = pytest.mark.django_db


def signature() -> tuple:
    return (
        list(Commitment.objects.order_by("ogp_id").values_list("ogp_id", "title", "full_text", "potential_impact",
                                                               "completion_end_of_term", "start_date_raw")),
        list(Alignment.objects.order_by("commitment__ogp_id", "action_item__code").values_list(
            "commitment__ogp_id", "action_item__code", "status", "confidence", "passage_start", "passage_end")),
        list(ProcessEvidence.objects.order_by("member__code", "action_item__code", "description").values_list(
            "member__code", "action_item__code", "status")),
    )  # fmt: skip


def test_the_same_seed_gives_the_same_data(call_to_action):
    load_demo(members=6, commitments_per_plan=5, seed=7)
    first = signature()
    load_demo(members=6, commitments_per_plan=5, seed=7, replace=True)
    assert signature() == first
    load_demo(members=6, commitments_per_plan=5, seed=8, replace=True)
    assert signature() != first


def test_it_loads_the_members_plans_and_commitments_asked_for(call_to_action):
    report = load_demo(members=10, commitments_per_plan=4, seed=1)
    assert report.members == Member.objects.filter(action_plans__isnull=False).distinct().count() == 10
    assert report.action_plans == ActionPlan.objects.count()
    assert report.commitments == Commitment.objects.count() == 4 * report.action_plans
    assert set(Member.objects.values_list("code", flat=True)) >= {"MEX", "NZL", "NGKD", "ARBA", "LVA"}


def test_it_has_alignments_in_every_review_state_with_history_and_realistic_gaps(call_to_action):
    load_demo(members=12, commitments_per_plan=10, seed=3)
    statuses = set(Alignment.objects.values_list("status", flat=True))
    assert statuses == {ReviewStatus.SUGGESTED, ReviewStatus.CONFIRMED, ReviewStatus.REJECTED}
    # most commitments answer no action item, as in real plans
    assert Alignment.objects.values("commitment").distinct().count() < Commitment.objects.count() / 2
    decided = Alignment.objects.exclude(status=ReviewStatus.SUGGESTED)
    assert ReviewEvent.objects.filter(alignment__in=decided).count() == 2 * decided.count()
    assert Commitment.objects.filter(potential_impact=NO_DATA).exists()
    assert Commitment.objects.filter(completion_end_of_term=NOT_REVIEWED).exists()
    assert Commitment.objects.filter(start_date__isnull=True).exclude(start_date_raw="").exists()
    for alignment in Alignment.objects.all()[:50]:
        text = alignment.commitment.full_text
        assert text[alignment.passage_start : alignment.passage_end] == alignment.excerpt


def test_it_refuses_to_add_to_a_database_with_action_plans(call_to_action):
    load_demo(members=2, commitments_per_plan=2, seed=1)
    with pytest.raises(CommandError, match="already holds action plans"):
        call_command("load_demo", members=2, commitments_per_plan=2)
