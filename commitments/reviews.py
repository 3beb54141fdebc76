"""People decide alignments and process evidence: who, when, why and the passage, every change kept.

Rules:
- Deciding needs ``commitments.review_alignment`` (Reviewers and the Support Unit).
- Changing a decision someone else made (confirmed, rejected or withdrawn) is a dispute and needs
  ``commitments.adjudicate_alignment`` (the Support Unit).
- Every decision names the version of the alignment or evidence it was made on. If someone changed it since,
  the decision is refused with `StaleDecision`, never applied to a state the person did not see.
- Every decision carries a rationale; a confirmation carries the passage that proves it, as offsets into
  the commitment's ``review_text``; the excerpt is always cut from those offsets, never typed.
- A confirmation is never deleted: it is withdrawn, by a recorded decision.
- Every change raises the version, writes a ReviewEvent, and marks the member's scores for a recompute in
  the same transaction (`commitments.followup`).

Every door (review pages, admin actions, the API) calls these functions.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.followup import request_recompute
from commitments.models import (
    Alignment,
    Commitment,
    Origin,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
)
from commitments.models.review import alignment_subject, evidence_subject
from resolutions.models import ActionItem

REVIEW_PERMISSION = "commitments.review_alignment"
ADJUDICATE_PERMISSION = "commitments.adjudicate_alignment"
DECIDED = (ReviewStatus.CONFIRMED, ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN)
EVIDENCE_DECISIONS = (ReviewStatus.CONFIRMED, ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN)

Actor = User | AnonymousUser


class StaleDecision(Exception):
    """The alignment or evidence changed since the person looked at it; nothing was written.

    `current` is the row as it is now, for the conflict answer to show.
    """

    def __init__(self, current: Alignment | ProcessEvidence, seen_version: int) -> None:
        self.current = current
        self.seen_version = seen_version
        who = current.decided_by.get_username() if current.decided_by else _("the suggester")
        super().__init__(
            _(
                "Someone else changed this since you opened it (version %(seen)s, now %(now)s: %(status)s, "
                "last changed by %(who)s). Nothing was saved; look at it again and decide on what it says now."
            )
            % {"seen": seen_version, "now": current.version, "status": current.get_status_display(), "who": who}
        )


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
        raise PermissionDenied(_("Only the Support Unit may change a decision another reviewer made."))


def _check_version(row: Alignment | ProcessEvidence, version: int) -> None:
    if row.version != version:
        raise StaleDecision(row, version)


def _check_rationale(rationale: str) -> str:
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"rationale": _("Say why.")})
    return rationale


def passage_of(text: str, start: int | None, end: int | None) -> tuple[int, int, str]:
    """Validate offsets into ``text`` and return them with the excerpt they cut out."""
    if start is None or end is None:
        raise ValidationError({"passage_start": _("Give both ends of the passage.")})
    if not 0 <= start < end <= len(text):
        raise ValidationError(
            {"passage_start": _("The passage must lie within the text (0 to %(length)s).") % {"length": len(text)}}
        )
    return start, end, text[start:end]


def _set_passage(alignment: Alignment, commitment: Commitment, start: int | None, end: int | None) -> None:
    if start is None and end is None:
        return
    alignment.passage_start, alignment.passage_end, alignment.excerpt = passage_of(commitment.review_text, start, end)


def _record(
    subject: Alignment | ProcessEvidence,
    *,
    user: Actor,
    from_status: str,
    rationale: str,
    origin: str = Origin.REVIEWER,
) -> None:
    event = ReviewEvent(
        actor=_person(user),
        origin=origin,
        from_status=from_status,
        to_status=subject.status,
        rationale=rationale,
        at=timezone.now(),
    )
    if isinstance(subject, Alignment):
        event.alignment = subject
        event.subject = alignment_subject(ogp_id=subject.commitment.ogp_id, item_code=subject.action_item.code)
        event.confidence = subject.confidence
        event.passage_start = subject.passage_start
        event.passage_end = subject.passage_end
        event.excerpt = subject.excerpt
    else:
        event.process_evidence = subject
        event.subject = evidence_subject(
            member_code=subject.member.code, item_code=subject.action_item.code, evidence_id=subject.pk
        )
    event.full_clean()
    event.save()


def _locked_alignment(alignment: Alignment) -> Alignment:
    return (
        Alignment.objects.select_for_update(of=("self",))
        .select_related("commitment", "action_item")
        .get(pk=alignment.pk)
    )


def _decide(
    *,
    alignment: Alignment,
    user: Actor,
    version: int,
    status: str,
    rationale: str,
    passage_start: int | None,
    passage_end: int | None,
    origin: str,
) -> Alignment:
    rationale = _check_rationale(rationale)
    with transaction.atomic():
        locked = _locked_alignment(alignment)
        _check_version(locked, version)
        _check_may_decide(user, status=locked.status, decided_by_id=locked.decided_by_id)
        commitment = locked.commitment
        from_status = locked.status
        _set_passage(locked, commitment, passage_start, passage_end)
        if status == ReviewStatus.CONFIRMED:
            if locked.passage_start is None:
                raise ValidationError({"passage_start": _("A confirmation needs the passage that shows it.")})
            # The text may have changed since the passage was chosen: the offsets must still fit.
            locked.passage_start, locked.passage_end, locked.excerpt = passage_of(
                commitment.review_text, locked.passage_start, locked.passage_end
            )
        locked.status = status
        locked.rationale = rationale
        locked.decided_by = _person(user)
        locked.decided_at = timezone.now()
        locked.text_hash = commitment.text_hash
        locked.version += 1
        locked.full_clean()
        locked.save()
        _record(locked, user=user, from_status=from_status, rationale=rationale, origin=origin)
        request_recompute([commitment.member_id])
    return locked


def confirm_alignment(
    *,
    alignment: Alignment,
    user: Actor,
    version: int,
    rationale: str,
    passage_start: int | None = None,
    passage_end: int | None = None,
    origin: str = Origin.REVIEWER,
) -> Alignment:
    """The commitment answers the action item; the passage (given, or the suggested one) shows it."""
    return _decide(
        alignment=alignment,
        user=user,
        version=version,
        status=ReviewStatus.CONFIRMED,
        rationale=rationale,
        passage_start=passage_start,
        passage_end=passage_end,
        origin=origin,
    )


def reject_alignment(
    *,
    alignment: Alignment,
    user: Actor,
    version: int,
    rationale: str,
    passage_start: int | None = None,
    passage_end: int | None = None,
    origin: str = Origin.REVIEWER,
) -> Alignment:
    """It does not; the suggestion will not come back unless the commitment's text changes."""
    return _decide(
        alignment=alignment,
        user=user,
        version=version,
        status=ReviewStatus.REJECTED,
        rationale=rationale,
        passage_start=passage_start,
        passage_end=passage_end,
        origin=origin,
    )


def withdraw_alignment(
    *, alignment: Alignment, user: Actor, version: int, rationale: str, origin: str = Origin.REVIEWER
) -> Alignment:
    """Take back a decision (a confirmation, usually) without deleting it: the alignment stops counting and
    its whole history stays. Like a rejection, it does not come back unless the commitment's text changes."""
    return _decide(
        alignment=alignment,
        user=user,
        version=version,
        status=ReviewStatus.WITHDRAWN,
        rationale=rationale,
        passage_start=None,
        passage_end=None,
        origin=origin,
    )


def edit_alignment(
    *,
    alignment: Alignment,
    user: Actor,
    version: int,
    rationale: str,
    passage_start: int | None = None,
    passage_end: int | None = None,
    action_item: ActionItem | None = None,
    origin: str = Origin.REVIEWER,
) -> Alignment:
    """Change the passage, the rationale or the action item, keeping the status.

    An edited suggestion becomes the reviewer's (or partner system's, `origin`) own, so the suggester leaves it
    alone.
    """
    rationale = _check_rationale(rationale)
    with transaction.atomic():
        locked = _locked_alignment(alignment)
        _check_version(locked, version)
        _check_may_decide(user, status=locked.status, decided_by_id=locked.decided_by_id)
        if action_item is not None and action_item.pk != locked.action_item_id:
            _check_suggestible(action_item)
            if Alignment.objects.filter(commitment_id=locked.commitment_id, action_item=action_item).exists():
                raise ValidationError({"action_item": _("This commitment already has an alignment to that item.")})
            locked.action_item = action_item
        _set_passage(locked, locked.commitment, passage_start, passage_end)
        locked.rationale = rationale
        if locked.status == ReviewStatus.SUGGESTED:
            locked.origin = origin
        else:
            locked.decided_by = _person(user)
            locked.decided_at = timezone.now()
        locked.text_hash = locked.commitment.text_hash
        locked.version += 1
        locked.full_clean()
        locked.save()
        _record(locked, user=user, from_status=locked.status, rationale=rationale, origin=origin)
        request_recompute([locked.commitment.member_id])
    return locked


def _check_suggestible(action_item: ActionItem) -> None:
    if not (
        action_item.addressee == ActionItem.Addressee.MEMBERS and action_item.evidence == ActionItem.Evidence.COMMITMENT
    ):
        raise ValidationError({"action_item": _("Commitments answer only member-directed commitment items.")})


def add_alignment(
    *,
    commitment: Commitment,
    action_item: ActionItem,
    user: Actor,
    rationale: str,
    passage_start: int,
    passage_end: int,
    origin: str = Origin.REVIEWER,
) -> Alignment:
    """A person (or a partner system, `origin`) finds an alignment the suggester missed; it is confirmed by
    the one who adds it."""
    rationale = _check_rationale(rationale)
    _check_may_decide(user, status=ReviewStatus.SUGGESTED, decided_by_id=None)
    _check_suggestible(action_item)
    start, end, excerpt = passage_of(commitment.review_text, passage_start, passage_end)
    with transaction.atomic():
        # The suggester locks commitments too: the two never race to create the same pair.
        Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
        if Alignment.objects.filter(commitment=commitment, action_item=action_item).exists():
            raise ValidationError({"action_item": _("This commitment already has an alignment to that item.")})
        alignment = Alignment(
            commitment=commitment,
            action_item=action_item,
            status=ReviewStatus.CONFIRMED,
            origin=origin,
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
        _record(alignment, user=user, from_status="", rationale=rationale, origin=origin)
        request_recompute([commitment.member_id])
    return alignment


@dataclass(frozen=True)
class BulkOutcome:
    """What a decision on many alignments did: those decided, and why each of the others was not."""

    decided: list[Alignment]
    refused: list[tuple[int, str]]


def decide_alignments(
    *, choices: Sequence[tuple[int, int]], user: Actor, status: str, rationale: str, origin: str = Origin.REVIEWER
) -> BulkOutcome:
    """Confirm, reject or withdraw many alignments with one rationale: each (alignment id, version seen) is
    decided on its own, under the same rules as one decision, and a refusal of one leaves the others."""
    decided: list[Alignment] = []
    refused: list[tuple[int, str]] = []
    rows = Alignment.objects.in_bulk([pk for pk, _ in choices])
    for pk, version in choices:
        row = rows.get(pk)
        if row is None:
            refused.append((pk, _("No such alignment.")))
            continue
        try:
            if status == ReviewStatus.CONFIRMED:
                decided.append(
                    confirm_alignment(alignment=row, user=user, version=version, rationale=rationale, origin=origin)
                )
            elif status == ReviewStatus.REJECTED:
                decided.append(
                    reject_alignment(alignment=row, user=user, version=version, rationale=rationale, origin=origin)
                )
            elif status == ReviewStatus.WITHDRAWN:
                decided.append(
                    withdraw_alignment(alignment=row, user=user, version=version, rationale=rationale, origin=origin)
                )
            else:
                raise ValidationError({"status": _("Confirm, reject or withdraw.")})
        except StaleDecision as exc:
            refused.append((pk, str(exc)))
        except (ValidationError, PermissionDenied) as exc:
            refused.append((pk, "; ".join(getattr(exc, "messages", [str(exc)]))))
    return BulkOutcome(decided, refused)


def add_process_evidence(
    *,
    member_id: int,
    action_item: ActionItem,
    user: Actor,
    description: str,
    source_url: str = "",
    action_plan_id: int | None = None,
    origin: str = Origin.REVIEWER,
) -> ProcessEvidence:
    """Record what a member did for a process action item (a forum, co-creation, a gender analysis, work
    with fellow members), with its source. It starts as a suggestion and goes through the same review."""
    _check_may_decide(user, status=ReviewStatus.SUGGESTED, decided_by_id=None)
    if action_item.evidence != ActionItem.Evidence.PROCESS or not action_item.is_member_directed:
        raise ValidationError({"action_item": _("Process evidence answers only member-directed process items.")})
    with transaction.atomic():
        evidence = ProcessEvidence(
            member_id=member_id,
            action_plan_id=action_plan_id,
            action_item=action_item,
            description=description.strip(),
            source_url=source_url,
            origin=origin,
        )
        evidence.full_clean()
        plan = evidence.action_plan
        if plan is not None and plan.member_id != member_id:
            raise ValidationError({"action_plan": _("The action plan belongs to another member.")})
        evidence.save()
        _record(evidence, user=user, from_status="", rationale=_("Recorded with its source."))
    return evidence


def decide_process_evidence(
    *, evidence: ProcessEvidence, user: Actor, version: int, status: str, rationale: str
) -> ProcessEvidence:
    """Confirm, reject or withdraw what a member did for a process item, under the same rules as alignments."""
    if status not in EVIDENCE_DECISIONS:
        raise ValidationError({"status": _("Confirm, reject or withdraw.")})
    rationale = _check_rationale(rationale)
    with transaction.atomic():
        locked = (
            ProcessEvidence.objects.select_for_update(of=("self",))
            .select_related("member", "action_item")
            .get(pk=evidence.pk)
        )
        _check_version(locked, version)
        _check_may_decide(user, status=locked.status, decided_by_id=locked.decided_by_id)
        from_status = locked.status
        locked.status = status
        locked.rationale = rationale
        locked.decided_by = _person(user)
        locked.decided_at = timezone.now()
        locked.version += 1
        locked.full_clean()
        locked.save()
        _record(locked, user=user, from_status=from_status, rationale=rationale)
        request_recompute([locked.member_id])
    return locked
