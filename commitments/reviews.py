"""People decide alignments and process evidence: who, when, why and the passage, every change kept.

Rules:
- Deciding needs ``commitments.review_alignment`` (Reviewers and the Support Unit).
- Changing a confirmed or rejected decision someone else made is a dispute and needs
  ``commitments.adjudicate_alignment`` (the Support Unit).
- Every decision carries a rationale; a confirmation carries the passage that proves it, as offsets into
  the commitment's ``review_text``; the excerpt is always cut from those offsets, never typed.
- Every change writes a ReviewEvent, and requests a score recompute for the member once committed.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commitments.followup import request_recompute
from commitments.models import (
    Alignment,
    Commitment,
    Origin,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
)
from resolutions.models import ActionItem

REVIEW_PERMISSION = "commitments.review_alignment"
ADJUDICATE_PERMISSION = "commitments.adjudicate_alignment"
DECIDED = (ReviewStatus.CONFIRMED, ReviewStatus.REJECTED)

Actor = User | AnonymousUser


def _after_decision(member_id: int) -> None:
    """A decision changes the evidence behind this member's scores: recompute them once the decision commits."""
    request_recompute([member_id])


def _person(user: Actor) -> User | None:
    return user if isinstance(user, User) else None


def may_decide(user: Actor, *, status: str, decided_by_id: int | None) -> bool:
    if not user.is_authenticated or not user.has_perm(REVIEW_PERMISSION):
        return False
    if status in DECIDED and decided_by_id != user.pk:
        return user.has_perm(ADJUDICATE_PERMISSION)
    return True


def _check_may_decide(user: Actor, *, status: str, decided_by_id: int | None) -> None:
    if not may_decide(user, status=status, decided_by_id=decided_by_id):
        raise PermissionDenied("Only the Support Unit may change a decision another reviewer made.")


def _check_rationale(rationale: str) -> str:
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"rationale": "Say why."})
    return rationale


def passage_of(text: str, start: int | None, end: int | None) -> tuple[int, int, str]:
    """Validate offsets into ``text`` and return them with the excerpt they cut out."""
    if start is None or end is None:
        raise ValidationError({"passage_start": "Give both ends of the passage."})
    if not 0 <= start < end <= len(text):
        raise ValidationError({"passage_start": f"The passage must lie within the text (0 to {len(text)})."})
    return start, end, text[start:end]


def _set_passage(alignment: Alignment, commitment: Commitment, start: int | None, end: int | None) -> None:
    if start is None and end is None:
        return
    alignment.passage_start, alignment.passage_end, alignment.excerpt = passage_of(commitment.review_text, start, end)


def _record(subject: Alignment | ProcessEvidence, *, user: Actor, from_status: str, rationale: str) -> None:
    event = ReviewEvent(
        actor=_person(user),
        origin=Origin.REVIEWER,
        from_status=from_status,
        to_status=subject.status,
        rationale=rationale,
        at=timezone.now(),
    )
    if isinstance(subject, Alignment):
        event.alignment = subject
        event.confidence = subject.confidence
        event.passage_start = subject.passage_start
        event.passage_end = subject.passage_end
        event.excerpt = subject.excerpt
    else:
        event.process_evidence = subject
    event.full_clean()
    event.save()


def _decide(
    *,
    alignment: Alignment,
    user: Actor,
    status: str,
    rationale: str,
    passage_start: int | None,
    passage_end: int | None,
) -> Alignment:
    rationale = _check_rationale(rationale)
    with transaction.atomic():
        locked = Alignment.objects.select_for_update().select_related("commitment").get(pk=alignment.pk)
        _check_may_decide(user, status=locked.status, decided_by_id=locked.decided_by_id)
        commitment = locked.commitment
        from_status = locked.status
        _set_passage(locked, commitment, passage_start, passage_end)
        if status == ReviewStatus.CONFIRMED:
            if locked.passage_start is None:
                raise ValidationError({"passage_start": "A confirmation needs the passage that shows it."})
            # The text may have changed since the passage was chosen: the offsets must still fit.
            locked.passage_start, locked.passage_end, locked.excerpt = passage_of(
                commitment.review_text, locked.passage_start, locked.passage_end
            )
        locked.status = status
        locked.rationale = rationale
        locked.decided_by = _person(user)
        locked.decided_at = timezone.now()
        locked.text_hash = commitment.text_hash
        locked.full_clean()
        locked.save()
        _record(locked, user=user, from_status=from_status, rationale=rationale)
        _after_decision(commitment.member_id)
    return locked


def confirm_alignment(
    *,
    alignment: Alignment,
    user: Actor,
    rationale: str,
    passage_start: int | None = None,
    passage_end: int | None = None,
) -> Alignment:
    """The commitment answers the action item; the passage (given, or the suggested one) shows it."""
    return _decide(
        alignment=alignment,
        user=user,
        status=ReviewStatus.CONFIRMED,
        rationale=rationale,
        passage_start=passage_start,
        passage_end=passage_end,
    )


def reject_alignment(
    *,
    alignment: Alignment,
    user: Actor,
    rationale: str,
    passage_start: int | None = None,
    passage_end: int | None = None,
) -> Alignment:
    """It does not; the suggestion will not come back unless the commitment's text changes."""
    return _decide(
        alignment=alignment,
        user=user,
        status=ReviewStatus.REJECTED,
        rationale=rationale,
        passage_start=passage_start,
        passage_end=passage_end,
    )


def edit_alignment(
    *,
    alignment: Alignment,
    user: Actor,
    rationale: str,
    passage_start: int | None = None,
    passage_end: int | None = None,
    action_item: ActionItem | None = None,
) -> Alignment:
    """Change the passage, the rationale or the action item, keeping the status.

    An edited suggestion becomes the reviewer's own (origin "reviewer"), so the suggester leaves it alone.
    """
    rationale = _check_rationale(rationale)
    with transaction.atomic():
        locked = Alignment.objects.select_for_update().select_related("commitment").get(pk=alignment.pk)
        _check_may_decide(user, status=locked.status, decided_by_id=locked.decided_by_id)
        if action_item is not None and action_item.pk != locked.action_item_id:
            _check_suggestible(action_item)
            if Alignment.objects.filter(commitment_id=locked.commitment_id, action_item=action_item).exists():
                raise ValidationError({"action_item": "This commitment already has an alignment to that item."})
            locked.action_item = action_item
        _set_passage(locked, locked.commitment, passage_start, passage_end)
        locked.rationale = rationale
        if locked.status == ReviewStatus.SUGGESTED:
            locked.origin = Origin.REVIEWER
        else:
            locked.decided_by = _person(user)
            locked.decided_at = timezone.now()
        locked.text_hash = locked.commitment.text_hash
        locked.full_clean()
        locked.save()
        _record(locked, user=user, from_status=locked.status, rationale=rationale)
        _after_decision(locked.commitment.member_id)
    return locked


def _check_suggestible(action_item: ActionItem) -> None:
    if not (
        action_item.addressee == ActionItem.Addressee.MEMBERS and action_item.evidence == ActionItem.Evidence.COMMITMENT
    ):
        raise ValidationError({"action_item": "Commitments answer only member-directed commitment items."})


def add_alignment(
    *,
    commitment: Commitment,
    action_item: ActionItem,
    user: Actor,
    rationale: str,
    passage_start: int,
    passage_end: int,
) -> Alignment:
    """A reviewer finds an alignment the suggester missed; it is confirmed by the one who adds it."""
    rationale = _check_rationale(rationale)
    _check_may_decide(user, status=ReviewStatus.SUGGESTED, decided_by_id=None)
    _check_suggestible(action_item)
    start, end, excerpt = passage_of(commitment.review_text, passage_start, passage_end)
    with transaction.atomic():
        # The suggester locks commitments too: the two never race to create the same pair.
        Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
        if Alignment.objects.filter(commitment=commitment, action_item=action_item).exists():
            raise ValidationError({"action_item": "This commitment already has an alignment to that item."})
        alignment = Alignment(
            commitment=commitment,
            action_item=action_item,
            status=ReviewStatus.CONFIRMED,
            origin=Origin.REVIEWER,
            passage_start=start,
            passage_end=end,
            excerpt=excerpt,
            rationale=rationale,
            text_hash=commitment.text_hash,
            decided_by=_person(user),
            decided_at=timezone.now(),
        )
        alignment.full_clean()
        alignment.save()
        _record(alignment, user=user, from_status="", rationale=rationale)
        _after_decision(commitment.member_id)
    return alignment


def decide_process_evidence(*, evidence: ProcessEvidence, user: Actor, status: str, rationale: str) -> ProcessEvidence:
    """Confirm or reject what a member did for a process item, under the same rules as alignments."""
    if status not in DECIDED:
        raise ValidationError({"status": "Confirm or reject."})
    rationale = _check_rationale(rationale)
    with transaction.atomic():
        locked = ProcessEvidence.objects.select_for_update().get(pk=evidence.pk)
        _check_may_decide(user, status=locked.status, decided_by_id=locked.decided_by_id)
        from_status = locked.status
        locked.status = status
        locked.rationale = rationale
        locked.decided_by = _person(user)
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save()
        _record(locked, user=user, from_status=from_status, rationale=rationale)
        _after_decision(locked.member_id)
    return locked
