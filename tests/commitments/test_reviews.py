import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError

from commitments.models import Alignment, Origin, ProcessEvidence, ReviewStatus
from commitments.reviews import (
    add_alignment,
    confirm_alignment,
    decide_process_evidence,
    edit_alignment,
    reject_alignment,
)
from commitments.roles import REVIEWERS
from commitments.suggestions.suggest import suggest_alignments
from resolutions.models import ActionItem
from tests.factories import make_alignment, make_commitment, make_member


def seen(row: Alignment | ProcessEvidence) -> int:
    """The version a reviewer sees when they open the page: the one stored now."""
    return type(row).objects.get(pk=row.pk).version


TEXT = "Publish the budget. Adopt a personal data protection law with an independent authority."
PASSAGE = (20, len(TEXT))


@pytest.fixture
def suggestion(call_to_action) -> Alignment:
    return make_alignment(make_commitment(full_text=TEXT), ActionItem.objects.get(code="cta2019-digital-democracy-2"))


@pytest.fixture
def second_reviewer(reviewer) -> User:
    user = User.objects.create_user("rob.reviewer", "rob@example.org", "another-long-password")
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


@pytest.mark.django_db
def test_confirming_records_who_when_why_and_the_passage(suggestion, reviewer):
    confirmed = confirm_alignment(
        alignment=suggestion,
        version=seen(suggestion),
        user=reviewer,
        rationale="Creates a data protection law.",
        passage_start=PASSAGE[0],
        passage_end=PASSAGE[1],
    )
    assert confirmed.status == ReviewStatus.CONFIRMED
    assert confirmed.decided_by == reviewer
    assert confirmed.decided_at is not None
    assert confirmed.excerpt == "Adopt a personal data protection law with an independent authority."
    event = confirmed.history.get()
    assert (event.actor, event.from_status, event.to_status, event.origin) == (
        reviewer,
        "suggested",
        "confirmed",
        Origin.REVIEWER,
    )
    assert event.rationale == "Creates a data protection law."
    assert event.excerpt == confirmed.excerpt


@pytest.mark.django_db
def test_a_confirmation_needs_a_passage_and_a_rationale(suggestion, reviewer):
    with pytest.raises(ValidationError):
        confirm_alignment(alignment=suggestion, version=seen(suggestion), user=reviewer, rationale="Yes.")
    with pytest.raises(ValidationError):
        confirm_alignment(
            alignment=suggestion, version=seen(suggestion), user=reviewer, rationale=" ", passage_start=0, passage_end=5
        )


@pytest.mark.django_db
def test_a_passage_outside_the_text_is_refused(suggestion, reviewer):
    with pytest.raises(ValidationError):
        confirm_alignment(
            alignment=suggestion,
            version=seen(suggestion),
            user=reviewer,
            rationale="Yes.",
            passage_start=5,
            passage_end=999,
        )
    with pytest.raises(ValidationError):
        confirm_alignment(
            alignment=suggestion,
            version=seen(suggestion),
            user=reviewer,
            rationale="Yes.",
            passage_start=9,
            passage_end=3,
        )


@pytest.mark.django_db
def test_people_without_the_review_permission_cannot_decide(suggestion, visitor):
    with pytest.raises(PermissionDenied):
        reject_alignment(alignment=suggestion, version=seen(suggestion), user=visitor, rationale="No.")
    suggestion.refresh_from_db()
    assert suggestion.status == ReviewStatus.SUGGESTED
    assert not suggestion.history.exists()


@pytest.mark.django_db
def test_a_reviewer_may_revise_their_own_decision(suggestion, reviewer):
    reject_alignment(alignment=suggestion, version=seen(suggestion), user=reviewer, rationale="Only uses IT.")
    confirm_alignment(
        alignment=suggestion,
        version=seen(suggestion),
        user=reviewer,
        rationale="On reflection, yes.",
        passage_start=20,
        passage_end=len(TEXT),
    )
    assert list(suggestion.history.values_list("to_status", flat=True)) == ["rejected", "confirmed"]


@pytest.mark.django_db
def test_changing_another_reviewers_decision_is_a_dispute_for_the_support_unit(
    suggestion, reviewer, second_reviewer, support_officer
):
    reject_alignment(alignment=suggestion, version=seen(suggestion), user=reviewer, rationale="Only uses IT.")
    with pytest.raises(PermissionDenied):
        confirm_alignment(
            alignment=suggestion,
            version=seen(suggestion),
            user=second_reviewer,
            rationale="Disagree.",
            passage_start=20,
            passage_end=len(TEXT),
        )
    adjudicated = confirm_alignment(
        alignment=suggestion,
        version=seen(suggestion),
        user=support_officer,
        rationale="Adjudicated: it governs data.",
        passage_start=20,
        passage_end=len(TEXT),
    )
    assert adjudicated.decided_by == support_officer
    assert list(suggestion.history.values_list("actor__username", "to_status")) == [
        ("rita.reviewer", "rejected"),
        ("sam.support", "confirmed"),
    ]


@pytest.mark.django_db
def test_a_rejection_made_through_review_holds_against_the_suggester(suggestion, reviewer):
    reject_alignment(
        alignment=suggestion,
        version=seen(suggestion),
        user=reviewer,
        rationale="Not about governing digital technology.",
    )
    suggest_alignments()
    suggestion.refresh_from_db()
    assert suggestion.status == ReviewStatus.REJECTED


@pytest.mark.django_db
def test_editing_a_suggestion_moves_it_and_makes_it_the_reviewers_own(suggestion, reviewer):
    algorithms = ActionItem.objects.get(code="cta2019-digital-democracy-3")
    edited = edit_alignment(
        alignment=suggestion,
        version=seen(suggestion),
        user=reviewer,
        rationale="Better passage.",
        passage_start=0,
        passage_end=19,
        action_item=algorithms,
    )
    assert (edited.status, edited.origin, edited.action_item, edited.excerpt) == (
        ReviewStatus.SUGGESTED,
        Origin.REVIEWER,
        algorithms,
        "Publish the budget.",
    )
    suggest_alignments()
    edited.refresh_from_db()
    assert edited.excerpt == "Publish the budget."
    assert edited.history.get().to_status == ReviewStatus.SUGGESTED


@pytest.mark.django_db
def test_an_edit_cannot_move_to_a_process_item(suggestion, reviewer):
    with pytest.raises(ValidationError):
        edit_alignment(
            alignment=suggestion,
            version=seen(suggestion),
            user=reviewer,
            rationale="Move.",
            action_item=ActionItem.objects.get(code="cta2019-civic-space-1"),
        )


@pytest.mark.django_db
def test_a_reviewer_can_add_an_alignment_by_hand(call_to_action, reviewer):
    commitment = make_commitment(full_text=TEXT)
    item = ActionItem.objects.get(code="cta2019-digital-democracy-2")
    alignment = add_alignment(
        commitment=commitment,
        action_item=item,
        user=reviewer,
        rationale="Missed.",
        passage_start=20,
        passage_end=len(TEXT),
    )
    assert (alignment.status, alignment.origin, alignment.decided_by) == ("confirmed", "reviewer", reviewer)
    assert alignment.history.get().from_status == ""
    with pytest.raises(ValidationError):
        add_alignment(
            commitment=commitment, action_item=item, user=reviewer, rationale="Again.", passage_start=0, passage_end=5
        )


@pytest.mark.django_db
def test_process_evidence_is_decided_under_the_same_rules(call_to_action, reviewer, visitor):
    evidence = ProcessEvidence.objects.create(
        member=make_member(),
        action_item=ActionItem.objects.get(code="cta2019-civic-space-1"),
        description="The forum met monthly with equal seats for civil society.",
        origin=Origin.REVIEWER,
    )
    with pytest.raises(PermissionDenied):
        decide_process_evidence(
            evidence=evidence, version=seen(evidence), user=visitor, status="confirmed", rationale="Yes."
        )
    decided = decide_process_evidence(
        evidence=evidence, version=seen(evidence), user=reviewer, status="confirmed", rationale="Minutes."
    )
    assert (decided.status, decided.decided_by) == ("confirmed", reviewer)
    assert decided.history.get().to_status == "confirmed"
