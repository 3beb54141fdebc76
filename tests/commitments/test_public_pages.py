"""The public pages of members and their scores: anyone may read them, and they explain every figure."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commitments.models import Member, ProcessEvidence, ReviewStatus
from commitments.scoring.compute import recompute_members
from commitments.scoring.explain import commitment_quality, explain_scores
from commitments.scoring.methodology import METHODOLOGY_V1
from commitments.scoring.read import member_scores
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(call_to_action):
    """Two members: one with confirmed evidence of known quality, one with only a suggestion."""
    strong = make_member(code="STR", name="Strongland", region="americas")
    plan = make_action_plan(strong, submitted_year=2019, end_year=2021)
    data = make_commitment(
        plan, ogp_id="STR0001", title="Data protection law", potential_impact="moderate",
        completion_end_of_term="substantial",
    )  # fmt: skip
    algorithms = make_commitment(plan, ogp_id="STR0002", title="Algorithm register", potential_impact="nd")
    digital = ActionItem.objects.get(code="cta2019-digital-democracy-2")
    ai = ActionItem.objects.get(code="cta2019-digital-democracy-3")
    make_alignment(data, digital, status=ReviewStatus.CONFIRMED, excerpt="data rights and privacy", rationale="Law.")
    make_alignment(algorithms, ai, status=ReviewStatus.CONFIRMED)
    weak = make_member(code="WEK", name="Weakland")
    suggestion_only = make_commitment(make_action_plan(weak, submitted_year=2019, end_year=2021), ogp_id="WEK0001")
    make_alignment(suggestion_only, digital, status=ReviewStatus.SUGGESTED)
    recompute_members(member_ids=[strong.pk, weak.pk])
    return strong, weak


def test_anyone_reads_the_members_list_best_score_first(scored, anonymous_client):
    response = anonymous_client.get("/members/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Strongland") < html.index("Weakland")
    # digital era: (0 + 0.8333 + 0.75) / 3 = 52.78; overall = 52.78 / 3 = 17.59
    assert "<strong>17.6</strong>" in html
    assert "52.8" in html


def test_the_members_list_filters_by_region_group_and_name(scored, anonymous_client):
    html = anonymous_client.get("/members/?region=americas").content.decode()
    assert "Strongland" in html and "Weakland" not in html
    html = anonymous_client.get("/members/?q=weak").content.decode()
    assert "Weakland" in html and "Strongland" not in html
    html = anonymous_client.get("/members/?group=leaders-network").content.decode()
    assert "Mexico" in html and "Strongland" not in html


def test_the_members_list_query_count_does_not_grow_with_members(scored):
    few = queries_for("/members/")
    for n in range(10):
        make_member(code=f"Q{n:02d}", name=f"Queryland {n}")
    recompute_members(member_ids=list(Member.objects.values_list("pk", flat=True)))
    many = queries_for("/members/")
    # resolution, its eras, the page count, the members with their overall score, their groups, their era
    # scores, the groups for the filter
    assert len(many) == len(few) == 7


def test_a_member_page_explains_each_figure_down_to_each_commitment(scored, anonymous_client):
    response = anonymous_client.get("/members/str/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Digital opportunities for deepening democratic engagement: 52.78" in html
    assert "(0.0000 + 0.8333 + 0.7500) / 3" in html
    assert "ambition: potential impact moderate" in html
    assert "delivery: completion at end of term substantial" in html
    assert "delivery: not assessed" in html and "lacks IRM data" in html
    assert "data rights and privacy" in html


def test_the_explanation_reproduces_the_strengths_the_database_computed(scored):
    strong, _ = scored
    scores = list(member_scores(member=strong))
    for era in explain_scores(member=strong, scores=scores, methodology=METHODOLOGY_V1):
        for item in era.items:
            best = max((piece.quality.q for piece in item.commitments), default=0.0)
            if item.process_evidence:
                best = max(best, METHODOLOGY_V1.process_evidence)
            assert round(best, 4) == item.strength


def test_process_evidence_with_no_commitment_still_counts_one(scored):
    strong, _ = scored
    item = ActionItem.objects.get(code="cta2019-civic-space-1")
    ProcessEvidence.objects.create(
        member=strong, action_item=item, description="Forum met six times.", status=ReviewStatus.CONFIRMED,
        origin="reviewer", decided_at="2024-01-01T00:00:00Z",
    )  # fmt: skip
    recompute_members(member_ids=[strong.pk])
    html = Client().get("/members/STR/").content.decode()
    assert "Closing civic space: 33.33" in html
    assert "Forum met six times." in html


def test_quality_falls_back_from_impact_to_results_and_from_end_of_term_to_mid_term():
    commitment = make_commitment(
        potential_impact="na", potential_for_results="modest", completion_end_of_term="withdrawn",
        completion_midterm="limited",
    )  # fmt: skip
    quality = commitment_quality(commitment, METHODOLOGY_V1)
    assert (quality.ambition, quality.delivery) == (0.5, 1 / 3)
    assert round(quality.q, 4) == 0.7083
    assert quality.unassessed is False


def test_an_unknown_member_is_not_found(scored, anonymous_client):
    assert anonymous_client.get("/members/NOPE/").status_code == 404


def test_the_methodology_page_shows_the_weights_the_scores_use(call_to_action, anonymous_client):
    html = anonymous_client.get("/methodology/").content.decode()
    assert "q(commitment) = 0.5 + 0.25 × ambition + 0.25 × delivery" in html
    assert "<td>Transformative</td>" in html


def queries_for(path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_member_page_query_count_is_pinned_whatever_the_members_evidence(scored):
    strong, _ = scored
    small = queries_for("/members/STR/")
    for number in range(2, 6):
        plan = make_action_plan(strong, number=number, submitted_year=2019 + number, end_year=2021 + number)
        for n in range(4):
            commitment = make_commitment(plan, potential_impact="minor", completion_midterm="limited")
            item = ActionItem.objects.filter(addressee="members", evidence="commitment")[n % 4]
            make_alignment(commitment, item, status=ReviewStatus.CONFIRMED)
    for item in ActionItem.objects.filter(addressee="members", evidence="process"):
        ProcessEvidence.objects.create(
            member=strong, action_item=item, description="Forum.", status=ReviewStatus.CONFIRMED, origin="reviewer",
            decided_at="2024-01-01T00:00:00Z",
        )  # fmt: skip
    recompute_members(member_ids=[strong.pk])
    large = queries_for("/members/STR/")
    # the member, its groups, the scores with their resolution, the plans, their commitments (which include
    # those the scores name), the confirmed alignments with deciders, the process evidence, the eras' member
    # items, the gaps' peer examples, the overall score's snapshots: ten at most. Small has gaps but no process
    # evidence, large has process evidence but no gap left: a query with nothing to ask for is skipped
    assert len(small) == len(large) == 9, "\n".join(large)
