import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError

from commitments.models import Alignment, Origin, ProcessEvidence, ReviewEvent, ReviewStatus
from commitments.reviews import (
    StaleDecision,
    add_alignment,
    add_process_evidence,
    confirm_alignment,
    decide_alignments,
    decide_process_evidence,
    edit_alignment,
    reject_alignment,
    withdraw_alignment,
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


@pytest.mark.django_db
def test_every_decision_marks_the_members_scores_for_recompute_in_its_own_transaction(suggestion, reviewer):
    from commitments.models import PendingRecompute

    member = suggestion.commitment.member
    decisions = [
        lambda: reject_alignment(alignment=suggestion, version=seen(suggestion), user=reviewer, rationale="No."),
        lambda: edit_alignment(alignment=suggestion, version=seen(suggestion), user=reviewer, rationale="Edit."),
        lambda: withdraw_alignment(alignment=suggestion, version=seen(suggestion), user=reviewer, rationale="Gone."),
    ]
    for decide in decisions:
        PendingRecompute.objects.all().delete()
        decide()
        # Marked before anything commits: a worker lost now still finds the member pending.
        assert list(PendingRecompute.objects.values_list("member_id", flat=True)) == [member.pk]


@pytest.mark.django_db
def test_a_decision_on_a_version_someone_else_changed_is_refused_and_changes_nothing(
    suggestion, reviewer, second_reviewer
):
    opened_by_both = seen(suggestion)
    edit_alignment(
        alignment=suggestion,
        version=opened_by_both,
        user=second_reviewer,
        rationale="Move to algorithms.",
        action_item=ActionItem.objects.get(code="cta2019-digital-democracy-3"),
    )
    with pytest.raises(StaleDecision) as conflict:
        confirm_alignment(
            alignment=suggestion,
            version=opened_by_both,
            user=reviewer,
            rationale="Yes.",
            passage_start=0,
            passage_end=5,
        )
    assert conflict.value.current.action_item.code == "cta2019-digital-democracy-3"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.version) == ("suggested", opened_by_both + 1)
    assert suggestion.history.count() == 1


@pytest.mark.django_db
def test_bulk_decisions_decide_each_on_its_own_version_and_report_the_refused(call_to_action, reviewer):
    item = ActionItem.objects.get(code="cta2019-digital-democracy-2")
    fresh, stale = make_alignment(make_commitment(full_text=TEXT), item), make_alignment(make_commitment(), item)
    outcome = decide_alignments(
        choices=[(fresh.pk, 1), (stale.pk, 7), (999_999, 1)], user=reviewer, status="rejected", rationale="Off topic."
    )
    assert [a.pk for a in outcome.decided] == [fresh.pk]
    assert [pk for pk, _ in outcome.refused] == [stale.pk, 999_999]
    assert Alignment.objects.get(pk=stale.pk).status == "suggested"


@pytest.mark.django_db
def test_bulk_decisions_take_each_path_and_return_the_decided_rows(call_to_action, reviewer):
    item = ActionItem.objects.get(code="cta2019-digital-democracy-2")
    one = make_alignment(make_commitment(full_text=TEXT), item, passage_start=PASSAGE[0], passage_end=PASSAGE[1])
    two = make_alignment(make_commitment(full_text=TEXT), item, passage_start=PASSAGE[0], passage_end=PASSAGE[1])
    confirmed = decide_alignments(
        choices=[(one.pk, seen(one)), (two.pk, seen(two))], user=reviewer, status="confirmed", rationale="Both do."
    )
    assert [(a.pk, a.status) for a in confirmed.decided] == [(one.pk, "confirmed"), (two.pk, "confirmed")]
    assert confirmed.refused == []
    withdrawn = decide_alignments(
        choices=[(two.pk, seen(two))], user=reviewer, status="withdrawn", rationale="Read it again: it does not."
    )
    assert [(a.pk, a.status) for a in withdrawn.decided] == [(two.pk, "withdrawn")]
    assert Alignment.objects.get(pk=two.pk).status == "withdrawn"
    nonsense = decide_alignments(choices=[(one.pk, seen(one))], user=reviewer, status="maybe", rationale="Hmm.")
    assert nonsense.decided == [] and nonsense.refused == [(one.pk, "Confirm, reject or withdraw.")]
    missing = decide_alignments(choices=[(999_999, 1)], user=reviewer, status="rejected", rationale="Gone.")
    assert missing.refused == [(999_999, "No such alignment.")]
    assert Alignment.objects.get(pk=one.pk).status == "confirmed"


@pytest.mark.django_db
def test_a_confirmation_can_be_withdrawn_but_never_deleted_with_what_it_hangs_on(suggestion, reviewer):
    from django.db.models import ProtectedError

    confirmed = confirm_alignment(
        alignment=suggestion, version=seen(suggestion), user=reviewer, rationale="Yes.", passage_start=0, passage_end=5
    )
    with pytest.raises(ProtectedError):
        confirmed.commitment.delete()
    with pytest.raises(ProtectedError):
        confirmed.commitment.member.delete()
    withdrawn = withdraw_alignment(alignment=confirmed, version=seen(confirmed), user=reviewer, rationale="Mistake.")
    assert withdrawn.status == ReviewStatus.WITHDRAWN
    withdrawn.commitment.delete()  # nothing counts on it any more
    assert list(ReviewEvent.objects.values_list("subject", "to_status")) == [
        (f"{withdrawn.commitment.ogp_id} → cta2019-digital-democracy-2", "confirmed"),
        (f"{withdrawn.commitment.ogp_id} → cta2019-digital-democracy-2", "withdrawn"),
    ]


@pytest.mark.django_db
def test_process_evidence_is_recorded_with_its_source_and_decided_evidence_protects_its_member(
    call_to_action, reviewer
):
    from django.db.models import ProtectedError

    member = make_member()
    forum = ActionItem.objects.get(code="cta2019-civic-space-1")
    evidence = add_process_evidence(
        member_id=member.pk,
        action_item=forum,
        user=reviewer,
        description="The forum met monthly with equal seats for civil society.",
        source_url="https://example.org/minutes",
    )
    assert (evidence.status, evidence.history.get().to_status) == ("suggested", "suggested")
    with pytest.raises(ValidationError):
        add_process_evidence(
            member_id=member.pk,
            action_item=ActionItem.objects.get(code="cta2019-civic-space-2"),
            user=reviewer,
            description="A commitment item.",
        )
    decide_process_evidence(
        evidence=evidence, version=seen(evidence), user=reviewer, status="rejected", rationale="No."
    )
    with pytest.raises(ProtectedError):
        member.delete()


@pytest.mark.django_db
def test_an_added_alignment_stores_its_passage_and_refuses_a_second_for_the_same_pair(call_to_action, reviewer):
    item = ActionItem.objects.get(code="cta2019-digital-democracy-2")
    commitment = make_commitment(full_text=TEXT)
    added = add_alignment(
        commitment=commitment,
        action_item=item,
        user=reviewer,
        rationale="A data-protection law.",
        passage_start=PASSAGE[0],
        passage_end=PASSAGE[1],
    )
    stored = Alignment.objects.get(pk=added.pk)
    assert (stored.passage_start, stored.passage_end) == PASSAGE
    assert stored.excerpt == TEXT[PASSAGE[0] : PASSAGE[1]]
    assert (stored.rationale, stored.text_hash, stored.decided_by) == (
        "A data-protection law.",
        commitment.text_hash,
        reviewer,
    )
    assert list(stored.history.values_list("actor__username", "to_status")) == [("rita.reviewer", "confirmed")]
    with pytest.raises(ValidationError) as refused:
        add_alignment(
            commitment=commitment, action_item=item, user=reviewer, rationale="Again.", passage_start=0, passage_end=5
        )
    assert refused.value.message_dict == {"action_item": ["This commitment already has an alignment to that item."]}
    # The same commitment may answer another item, and another commitment the same item.
    other_item = ActionItem.objects.filter(era=item.era, evidence=item.evidence).exclude(pk=item.pk).first()
    if other_item is not None:
        add_alignment(
            commitment=commitment,
            action_item=other_item,
            user=reviewer,
            rationale="Also.",
            passage_start=0,
            passage_end=5,
        )
    add_alignment(
        commitment=make_commitment(full_text=TEXT),
        action_item=item,
        user=reviewer,
        rationale="Same law elsewhere.",
        passage_start=0,
        passage_end=5,
    )


@pytest.mark.django_db
def test_process_evidence_names_a_plan_of_its_own_member_and_each_decision_moves_its_version_by_one(
    call_to_action, reviewer, second_reviewer
):
    from tests.factories import make_action_plan

    member, other = make_member(), make_member()
    forum = ActionItem.objects.get(code="cta2019-civic-space-1")
    with pytest.raises(ValidationError) as refused:
        add_process_evidence(
            member_id=member.pk,
            action_item=forum,
            user=reviewer,
            description="A forum.",
            action_plan_id=make_action_plan(other).pk,
        )
    assert refused.value.message_dict == {"action_plan": ["The action plan belongs to another member."]}
    with pytest.raises(ValidationError) as wrong_item:
        add_process_evidence(
            member_id=member.pk,
            action_item=ActionItem.objects.get(code="cta2019-civic-space-2"),
            user=reviewer,
            description="A commitment item.",
        )
    assert wrong_item.value.message_dict == {
        "action_item": ["Process evidence answers only member-directed process items."]
    }
    evidence = add_process_evidence(
        member_id=member.pk,
        action_item=forum,
        user=reviewer,
        description="The forum met monthly.",
        source_url="https://example.org/minutes",
        action_plan_id=make_action_plan(member).pk,
    )
    assert ProcessEvidence.objects.get(pk=evidence.pk).source_url == "https://example.org/minutes"
    assert evidence.version == 1
    decided = decide_process_evidence(
        evidence=evidence, version=1, user=reviewer, status="confirmed", rationale="Minutes show it."
    )
    assert ProcessEvidence.objects.get(pk=evidence.pk).version == decided.version == 2
    with pytest.raises(StaleDecision):
        decide_process_evidence(evidence=evidence, version=1, user=reviewer, status="rejected", rationale="Late.")
    with pytest.raises(PermissionDenied):
        decide_process_evidence(evidence=evidence, version=2, user=second_reviewer, status="rejected", rationale="No.")
    with pytest.raises(ValidationError) as nonsense:
        decide_process_evidence(evidence=evidence, version=2, user=reviewer, status="maybe", rationale="Hmm.")
    assert nonsense.value.message_dict == {"status": ["Confirm, reject or withdraw."]}
    assert list(evidence.history.order_by("pk").values_list("actor__username", "from_status", "to_status")) == [
        ("rita.reviewer", "", "suggested"),
        ("rita.reviewer", "suggested", "confirmed"),
    ]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (None, 5, "Give both ends of the passage."),
        (3, None, "Give both ends of the passage."),
        (5, 5, "The passage must lie within the text (0 to 10)."),
        (-1, 4, "The passage must lie within the text (0 to 10)."),
        (2, 11, "The passage must lie within the text (0 to 10)."),
    ],
)
def test_a_passage_is_refused_with_the_reason_unless_both_ends_lie_within_the_text(start, end, message):
    from commitments.reviews import passage_of

    with pytest.raises(ValidationError) as refused:
        passage_of("0123456789", start, end)
    assert refused.value.message_dict == {"passage_start": [message]}
    assert passage_of("0123456789", 0, 10) == (0, 10, "0123456789")


@pytest.mark.django_db
def test_a_stale_decision_tells_who_changed_what_since_it_was_seen(suggestion, reviewer, second_reviewer):
    with pytest.raises(StaleDecision) as untouched:
        reject_alignment(alignment=suggestion, version=7, user=reviewer, rationale="No.")
    assert "(version 7, now 1: Suggested, last changed by the suggester)" in str(untouched.value)
    reject_alignment(alignment=suggestion, version=1, user=reviewer, rationale="Only uses IT.")
    with pytest.raises(StaleDecision) as stale:
        reject_alignment(alignment=suggestion, version=1, user=second_reviewer, rationale="No.")
    assert (stale.value.seen_version, stale.value.current.version) == (1, 2)
    assert str(stale.value) == (
        "Someone else changed this since you opened it (version 1, now 2: Rejected, last changed by rita.reviewer). "
        "Nothing was saved; look at it again and decide on what it says now."
    )
