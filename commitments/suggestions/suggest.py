"""Creating, refreshing and withdrawing suggested alignments from the signals; see the package docstring."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from commitments.models import (
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    Origin,
    PendingSuggestion,
    ReviewEvent,
    ReviewStatus,
    hash_commitment_text,
)
from commitments.models.review import alignment_subject
from commitments.suggestions.calibration import SUGGESTION_THRESHOLD, scaled_probability
from commitments.suggestions.crosswalk import crosswalk_targets
from commitments.suggestions.model import TrainedSignal, load_classifiers, suggestible_items
from commitments.suggestions.text import TextSignal, model_text, noisy_or, rule_signals
from resolutions.models import ActionItem

CROSSWALK_FACTOR = 0.6
CHUNK_SIZE = 500
MACHINE_ORIGINS = (Origin.CLASSIFIER, Origin.IMPORT)


# --- suggesting -------------------------------------------------------------------------------------------


@dataclass
class SuggestionReport:
    commitments: int = 0
    created: int = 0
    updated: int = 0
    resuggested: int = 0
    withdrawn: int = 0

    def __str__(self) -> str:
        return (
            f"{self.commitments} commitments: {self.created} suggested, {self.updated} updated, "
            f"{self.resuggested} re-suggested, {self.withdrawn} stale suggestions withdrawn"
        )


@dataclass(frozen=True)
class Proposal:
    confidence: float
    origin: str
    passage_start: int | None
    passage_end: int | None
    excerpt: str


def propose(
    *,
    text: TextSignal,
    body: str,
    tag_weight: float,
    probability: float | None,
    threshold: float = SUGGESTION_THRESHOLD,
) -> Proposal:
    """Combine the signals for one commitment and item, as the module docstring describes.

    `probability` is given only for a commitment without tags and an item with an active model; it is then
    the confidence, moved so that the model's `threshold` lands on SUGGESTION_THRESHOLD.
    """
    tags = CROSSWALK_FACTOR * tag_weight
    if probability is None:
        confidence = noisy_or([text.score, tags])
    else:
        confidence = scaled_probability(probability, threshold, SUGGESTION_THRESHOLD)
    excerpt = body[text.passage_start : text.passage_end] if text.passage_start is not None else ""
    origin = Origin.IMPORT if tags > 0 and text.score == 0 and probability is None else Origin.CLASSIFIER
    return Proposal(round(min(max(confidence, 0.0), 1.0), 3), origin, text.passage_start, text.passage_end, excerpt)


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def suggest_alignments(
    *,
    commitment_ids: Iterable[int] | None = None,
    member_code: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> SuggestionReport:
    """Create, refresh or withdraw suggested alignments for the given commitments (all when none given).

    Decided alignments are never touched, nor suggestions a reviewer has edited, nor alignments a person
    or partner made. A rejection stands until the commitment's text changes; then a strong enough signal
    suggests the item again. A suggestion whose confidence falls below the threshold is withdrawn, with its
    history kept; it comes back if the signals rise again.
    """
    commitments = Commitment.objects.order_by("pk")
    if commitment_ids is not None:
        commitments = commitments.filter(pk__in=list(commitment_ids))
    if member_code is not None:
        commitments = commitments.filter(member__code=member_code)
    ids = list(commitments.values_list("pk", flat=True))
    items = suggestible_items()
    targets = crosswalk_targets(items)
    classifiers = load_classifiers()
    report = SuggestionReport(commitments=len(ids))
    for chunk in _chunks(ids, chunk_size):
        _suggest_chunk(chunk, items=items, targets=targets, classifiers=classifiers, report=report)
    return report


def pending_chunks(*, chunk_size: int = CHUNK_SIZE) -> list[list[int]]:
    """The commitments marked for suggestions, as chunks of ids, for `suggest_marked` to take one each."""
    ids = list(PendingSuggestion.objects.order_by("commitment_id").values_list("commitment_id", flat=True))
    return list(_chunks(ids, chunk_size))


def suggest_marked(commitment_ids: Iterable[int]) -> SuggestionReport:
    """Suggest for those of the given commitments still marked, in one transaction that deletes their markers.

    Markers that another run holds are skipped (it is working on them) and markers already gone were done:
    a chunk delivered twice, or planned twice, does its work once. A lost worker leaves its markers.
    """
    report = SuggestionReport()
    with transaction.atomic():
        markers = list(
            PendingSuggestion.objects.select_for_update(skip_locked=True)
            .filter(commitment_id__in=list(commitment_ids))
            .order_by("commitment_id")
            .values_list("pk", "commitment_id")
        )
        if markers:
            items = suggestible_items()
            ids = [commitment_id for _, commitment_id in markers]
            report.commitments = len(ids)
            _suggest_chunk(
                ids, items=items, targets=crosswalk_targets(items), classifiers=load_classifiers(), report=report
            )
            PendingSuggestion.objects.filter(pk__in=[pk for pk, _ in markers]).delete()
    return report


def tag_signals(ids: list[int], targets: dict[int, dict[int, float]]) -> tuple[dict[int, dict[int, float]], set[int]]:
    """Per commitment, {item id: largest crosswalk weight} over its `yes` tags; and the commitments with any."""
    tags: dict[int, dict[int, float]] = defaultdict(dict)
    tagged: set[int] = set()
    for commitment_id, area_id in CommitmentPolicyArea.objects.filter(
        commitment_id__in=ids, value=CommitmentPolicyArea.Value.YES
    ).values_list("commitment_id", "policy_area_id"):
        tagged.add(commitment_id)
        for item_id, weight in targets.get(area_id, {}).items():
            tags[commitment_id][item_id] = max(weight, tags[commitment_id].get(item_id, 0.0))
    return tags, tagged


@transaction.atomic
def _suggest_chunk(
    ids: list[int],
    *,
    items: list[ActionItem],
    targets: dict[int, dict[int, float]],
    classifiers: dict[int, TrainedSignal],
    report: SuggestionReport,
) -> None:
    # Locking the commitments serialises concurrent runs over the same rows.
    rows = list(
        Commitment.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "ogp_id", "title", "full_text")
    )
    codes = {item.pk: item.code for item in items}
    ogp_ids = {pk: ogp_id for pk, ogp_id, _, _ in rows}

    def subject(alignment: Alignment) -> str:
        return alignment_subject(ogp_id=ogp_ids[alignment.commitment_id], item_code=codes[alignment.action_item_id])

    tags, tagged = tag_signals(ids, targets)
    # Locked too, so a reviewer's decision is either seen here or waits for this chunk.
    locked = Alignment.objects.select_for_update().filter(commitment_id__in=ids, action_item__in=items).order_by("pk")
    existing = {(alignment.commitment_id, alignment.action_item_id): alignment for alignment in locked}
    now = timezone.now()
    to_create: list[Alignment] = []
    to_update: list[Alignment] = []
    events: list[ReviewEvent] = []
    # A trained signal only speaks for commitments without tags: new plans, other sources.
    untagged = [index for index, row in enumerate(rows) if row[0] not in tagged]
    untagged_texts = [model_text(title=rows[index][2], full_text=rows[index][3]) for index in untagged]
    probabilities: dict[int, dict[int, float]] = {
        item_id: dict(zip(untagged, signal.classifier.predict_proba(untagged_texts)[:, 1].tolist(), strict=True))
        for item_id, signal in classifiers.items()
        if untagged
    }
    no_signal = TextSignal(0.0, ())
    for row_index, (commitment_id, _, title, full_text) in enumerate(rows):
        text_hash = hash_commitment_text(title=title, full_text=full_text)
        signals = rule_signals(title=title, full_text=full_text)
        for item in items:
            current = existing.get((commitment_id, item.pk))
            if current is not None and not _machine_may_change(current, text_hash):
                continue
            probability = probabilities.get(item.pk, {}).get(row_index)
            proposal = propose(
                text=signals.get(item.code, no_signal),
                body=full_text or title,
                tag_weight=tags[commitment_id].get(item.pk, 0.0),
                probability=probability,
                threshold=classifiers[item.pk].threshold if probability is not None else SUGGESTION_THRESHOLD,
            )
            above = proposal.confidence >= SUGGESTION_THRESHOLD
            if current is None:
                if above:
                    to_create.append(_new_alignment(commitment_id, item, proposal, text_hash))
            elif current.status in (ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN):
                if above:
                    events.append(_apply(current, proposal, text_hash, now, subject(current)))
                    to_update.append(current)
                    report.resuggested += 1
            elif not above:
                events.append(_withdraw(current, now, subject(current)))
                to_update.append(current)
                report.withdrawn += 1
            elif _differs(current, proposal, text_hash):
                events.append(_apply(current, proposal, text_hash, now, subject(current)))
                to_update.append(current)
                report.updated += 1
    created = Alignment.objects.bulk_create(to_create)
    report.created += len(created)
    events.extend(_event(alignment, "", now, subject(alignment)) for alignment in created)
    Alignment.objects.bulk_update(
        to_update, [*PROPOSAL_FIELDS, "status", "decided_by", "decided_at", "version", "updated_at"]
    )
    ReviewEvent.objects.bulk_create(events)


PROPOSAL_FIELDS = ["confidence", "origin", "passage_start", "passage_end", "excerpt", "text_hash"]


def _machine_may_change(alignment: Alignment, text_hash: str) -> bool:
    """The suggester leaves confirmations and people's own alignments alone; a person's rejection or
    withdrawal stands until the commitment's text changes; its own suggestions and withdrawals it revises."""
    if alignment.status == ReviewStatus.CONFIRMED or alignment.origin not in MACHINE_ORIGINS:
        return False
    if alignment.decided_by_id is not None or alignment.status == ReviewStatus.REJECTED:
        return alignment.text_hash != text_hash
    return True


def _differs(alignment: Alignment, proposal: Proposal, text_hash: str) -> bool:
    return (
        alignment.confidence,
        alignment.origin,
        alignment.passage_start,
        alignment.passage_end,
        alignment.text_hash,
    ) != (proposal.confidence, proposal.origin, proposal.passage_start, proposal.passage_end, text_hash)


def _new_alignment(commitment_id: int, item: ActionItem, proposal: Proposal, text_hash: str) -> Alignment:
    return Alignment(
        commitment_id=commitment_id,
        action_item=item,
        status=ReviewStatus.SUGGESTED,
        confidence=proposal.confidence,
        origin=proposal.origin,
        passage_start=proposal.passage_start,
        passage_end=proposal.passage_end,
        excerpt=proposal.excerpt,
        text_hash=text_hash,
    )


def _apply(alignment: Alignment, proposal: Proposal, text_hash: str, now: Any, subject: str) -> ReviewEvent:
    from_status = alignment.status
    alignment.status = ReviewStatus.SUGGESTED
    alignment.confidence = proposal.confidence
    alignment.origin = proposal.origin
    alignment.passage_start = proposal.passage_start
    alignment.passage_end = proposal.passage_end
    alignment.excerpt = proposal.excerpt
    alignment.text_hash = text_hash
    alignment.decided_by = None
    alignment.decided_at = None
    alignment.version += 1
    alignment.updated_at = now
    return _event(alignment, from_status, now, subject)


def _withdraw(alignment: Alignment, now: Any, subject: str) -> ReviewEvent:
    """A suggestion the signals no longer support: withdrawn, not deleted, so its history stays with it."""
    from_status = alignment.status
    alignment.status = ReviewStatus.WITHDRAWN
    alignment.decided_by = None
    alignment.decided_at = now
    alignment.version += 1
    alignment.updated_at = now
    return _event(alignment, from_status, now, subject)


def _event(alignment: Alignment, from_status: str, now: Any, subject: str) -> ReviewEvent:
    return ReviewEvent(
        alignment=alignment,
        subject=subject,
        origin=alignment.origin,
        from_status=from_status,
        to_status=alignment.status,
        confidence=alignment.confidence,
        passage_start=alignment.passage_start,
        passage_end=alignment.passage_end,
        excerpt=alignment.excerpt,
        at=now,
    )
