"""Suggest which action items a commitment answers, with a confidence and the passage that shows it.

Only member-directed action items answered by a *commitment* are suggested here. Process items ("strengthen
multi-stakeholder forums", "conduct gender-based analysis") are evidenced by ProcessEvidence about what a
member did in a plan cycle, which a commitment's wording cannot show, so text signals never suggest them.

Confidence, in [0, 1]:

    text     = noisy-or of the item's vocabulary cues found in the title and full text
               (x 0.5 without an open-government context cue where the item asks for one,
                x (1 - w) for each "uses digital tools" trap cue w found)
    tags     = CROSSWALK_FACTOR x the largest crosswalk weight among the commitment's policy-area tags
    signals  = 1 - (1 - text) x (1 - tags)
    confidence = signals, or (signals + p) / 2 where a model trained on reviewers' decisions gives p

A suggestion is made at SUGGESTION_THRESHOLD or above. Passages are offsets into the commitment's
``review_text``: its full text, or its title when the full text is blank.
"""

import pickle
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from commitments.models import (
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    Origin,
    PolicyAreaCrosswalk,
    ReviewEvent,
    ReviewStatus,
    SuggestionModel,
    hash_commitment_text,
)
from commitments.vocabulary import VOCABULARY, Cue, ItemVocabulary
from resolutions.models import ActionItem

SUGGESTION_THRESHOLD = 0.5
CROSSWALK_FACTOR = 0.6
MODEL_SHARE = 0.5
MISSING_CONTEXT_FACTOR = 0.5
CHUNK_SIZE = 500
MIN_DECISIONS = 20
MIN_PER_CLASS = 5
MODEL_VERSIONS_KEPT = 3
MACHINE_ORIGINS = (Origin.CLASSIFIER, Origin.IMPORT)


class Classifier(Protocol):
    def predict_proba(self, texts: Sequence[str]) -> Any: ...


# --- text -------------------------------------------------------------------------------------------------


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-case and strip accents, keeping for each folded character the offset it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text) + 1))
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for lowered in part.lower():
                chars.append(lowered)
                origins.append(index)
    origins.append(len(text))
    return "".join(chars), origins


def fold_for_model(text: str) -> str:
    return fold(text)[0]


def _word_pattern(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    return re.escape(word) + r"(?:s|es|x)?"


@cache
def cue_regex(phrase: str) -> re.Pattern[str]:
    words = re.findall(r"[\w*]+", fold_for_model(phrase))
    return re.compile(r"\b" + r"\W+".join(_word_pattern(word) for word in words) + r"\b")


@cache
def cue_literal(phrase: str) -> str:
    """The longest word any match must contain: a cheap test that skips most regular expressions."""
    return max(re.findall(r"\w+", fold_for_model(phrase)), key=len)


def search(phrase: str, folded: str) -> re.Match[str] | None:
    return cue_regex(phrase).search(folded) if cue_literal(phrase) in folded else None


def noisy_or(weights: Iterable[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return 1.0 - remaining


@dataclass(frozen=True)
class TextSignal:
    score: float
    cues: tuple[str, ...]
    passage_start: int | None = None
    passage_end: int | None = None


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) holding text[start:end], trimmed of surrounding whitespace."""
    left = max(text.rfind(mark, 0, start) for mark in (". ", "! ", "? ", "\n", "; "))
    left = 0 if left < 0 else left + 1
    rights = [pos for pos in (text.find(mark, end) for mark in (". ", "! ", "? ", "\n", "; ")) if pos >= 0]
    right = min(rights) + 1 if rights else len(text)
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


def _find(cues: Iterable[Cue], folded: str) -> dict[str, tuple[float, re.Match[str]]]:
    """Cues found in the text, strongest first; a cue overlapping a stronger one's words counts once."""
    found: dict[str, tuple[float, re.Match[str]]] = {}
    for phrase, weight in sorted(cues, key=lambda cue: -cue[1]):
        match = search(phrase, folded)
        if match is None or phrase in found:
            continue
        if any(match.start() < other.end() and other.start() < match.end() for _, other in found.values()):
            continue
        found[phrase] = (weight, match)
    return found


def score_item(vocabulary: ItemVocabulary, *, title: str, full_text: str) -> TextSignal:
    """Score one item's vocabulary against a commitment; the passage is the sentence of the strongest cue."""
    return rule_signals(title=title, full_text=full_text, vocabularies={"item": vocabulary})["item"]


def rule_signals(
    *, title: str, full_text: str, vocabularies: dict[str, ItemVocabulary] | None = None
) -> dict[str, TextSignal]:
    """The vocabulary signal for every item that has a vocabulary, keyed by action item code."""
    body = full_text or title
    folded_body, origins = fold(body)
    folded_title = fold_for_model(title) if full_text else ""
    whole = f"{folded_title}\n{folded_body}"
    signals: dict[str, TextSignal] = {}
    for code, vocabulary in (VOCABULARY if vocabularies is None else vocabularies).items():
        in_body = _find(vocabulary.cues, folded_body)
        in_title = _find(vocabulary.cues, folded_title)
        weights = {phrase: weight for phrase, (weight, _) in {**in_title, **in_body}.items()}
        if not weights:
            signals[code] = TextSignal(0.0, ())
            continue
        score = noisy_or(weights.values())
        if vocabulary.context and not any(search(phrase, whole) for phrase in vocabulary.context):
            score *= MISSING_CONTEXT_FACTOR
        for weight, _ in _find(vocabulary.traps, whole).values():
            score *= 1.0 - weight
        if not in_body:
            signals[code] = TextSignal(score, tuple(sorted(weights)))
            continue
        _, best = max(in_body.values(), key=lambda found: found[0])
        start, end = _sentence_around(body, origins[best.start()], origins[best.end()])
        signals[code] = TextSignal(score, tuple(sorted(weights)), start, end)
    return signals


def model_text(*, title: str, full_text: str) -> str:
    return f"{title}\n\n{full_text}"


# --- the trained model ------------------------------------------------------------------------------------


def new_classifier() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(preprocessor=fold_for_model, ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )


@dataclass
class TrainingReport:
    trained: dict[str, tuple[int, int]] = field(default_factory=dict)
    skipped: dict[str, tuple[int, int]] = field(default_factory=dict)


def train_suggestion_models() -> TrainingReport:
    """Fit one classifier per commitment item from reviewers' confirmations (1) and rejections (0).

    An item gets a model once it has MIN_DECISIONS decisions with at least MIN_PER_CLASS of each kind.
    """
    report = TrainingReport()
    for item in suggestible_items():
        rows = list(
            Alignment.objects.filter(
                action_item=item, status__in=[ReviewStatus.CONFIRMED, ReviewStatus.REJECTED]
            ).values_list("status", "commitment__title", "commitment__full_text")
        )
        labels = [1 if status == ReviewStatus.CONFIRMED else 0 for status, _, _ in rows]
        counts = (sum(labels), len(labels) - sum(labels))
        if len(rows) < MIN_DECISIONS or min(counts) < MIN_PER_CLASS:
            report.skipped[item.code] = counts
            continue
        classifier = new_classifier()
        classifier.fit([model_text(title=title, full_text=text) for _, title, text in rows], labels)
        with transaction.atomic():
            latest = SuggestionModel.objects.filter(action_item=item).order_by("-version").first()
            saved = SuggestionModel(
                action_item=item,
                version=(latest.version + 1) if latest else 1,
                trained_at=timezone.now(),
                positives=counts[0],
                negatives=counts[1],
                payload=pickle.dumps(classifier),
            )
            saved.full_clean()
            saved.save()
            old = SuggestionModel.objects.filter(action_item=item).order_by("-version")[MODEL_VERSIONS_KEPT:]
            SuggestionModel.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
        report.trained[item.code] = counts
    return report


def load_classifiers() -> dict[int, Classifier]:
    """The newest model of each item; the bytes were written by train_suggestion_models, never uploaded."""
    newest: dict[int, int] = {}
    for pk, item_id in SuggestionModel.objects.order_by("action_item_id", "-version").values_list(
        "pk", "action_item_id"
    ):
        newest.setdefault(item_id, pk)
    return {
        row.action_item_id: pickle.loads(bytes(row.payload))
        for row in SuggestionModel.objects.filter(pk__in=newest.values())
    }


# --- the crosswalk ----------------------------------------------------------------------------------------


def suggestible_items() -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        ).select_related("era")
    )


def crosswalk_targets(items: Sequence[ActionItem]) -> dict[int, dict[int, float]]:
    """policy area id -> {action item id: weight}; an era target stands for each of its commitment items."""
    by_era: dict[int, list[int]] = defaultdict(list)
    for item in items:
        if item.era_id is not None:
            by_era[item.era_id].append(item.pk)
    wanted = {item.pk for item in items}
    targets: dict[int, dict[int, float]] = defaultdict(dict)
    for area_id, era_id, item_id, weight in PolicyAreaCrosswalk.objects.values_list(
        "policy_area_id", "era_id", "action_item_id", "weight"
    ):
        for target in by_era.get(era_id, []) if era_id else ([item_id] if item_id in wanted else []):
            targets[area_id][target] = max(weight, targets[area_id].get(target, 0.0))
    return targets


# --- suggesting -------------------------------------------------------------------------------------------


@dataclass
class SuggestionReport:
    commitments: int = 0
    created: int = 0
    updated: int = 0
    resuggested: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.commitments} commitments: {self.created} suggested, {self.updated} updated, "
            f"{self.resuggested} re-suggested after a text change, {self.removed} stale suggestions removed"
        )


@dataclass(frozen=True)
class Proposal:
    confidence: float
    origin: str
    passage_start: int | None
    passage_end: int | None
    excerpt: str


def propose(*, text: TextSignal, body: str, tag_weight: float, probability: float | None) -> Proposal:
    """Combine the signals for one commitment and item, as the module docstring describes."""
    tags = CROSSWALK_FACTOR * tag_weight
    confidence = noisy_or([text.score, tags])
    if probability is not None:
        confidence = (1 - MODEL_SHARE) * confidence + MODEL_SHARE * probability
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
    suggests the item again. A suggestion whose confidence falls below the threshold is removed: nobody
    decided it.
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


@transaction.atomic
def _suggest_chunk(
    ids: list[int],
    *,
    items: list[ActionItem],
    targets: dict[int, dict[int, float]],
    classifiers: dict[int, Classifier],
    report: SuggestionReport,
) -> None:
    # Locking the commitments serialises concurrent runs over the same rows.
    rows = list(
        Commitment.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", "title", "full_text")
    )
    tags: dict[int, dict[int, float]] = defaultdict(dict)
    for commitment_id, area_id in CommitmentPolicyArea.objects.filter(
        commitment_id__in=ids, value=CommitmentPolicyArea.Value.YES
    ).values_list("commitment_id", "policy_area_id"):
        for item_id, weight in targets.get(area_id, {}).items():
            tags[commitment_id][item_id] = max(weight, tags[commitment_id].get(item_id, 0.0))
    # Locked too, so a reviewer's decision is either seen here or waits for this chunk.
    locked = Alignment.objects.select_for_update().filter(commitment_id__in=ids, action_item__in=items).order_by("pk")
    existing = {(alignment.commitment_id, alignment.action_item_id): alignment for alignment in locked}
    now = timezone.now()
    to_create: list[Alignment] = []
    to_update: list[Alignment] = []
    events: list[ReviewEvent] = []
    stale: list[int] = []
    probabilities = {
        item_id: classifier.predict_proba([model_text(title=title, full_text=text) for _, title, text in rows])[:, 1]
        for item_id, classifier in classifiers.items()
        if rows
    }
    no_signal = TextSignal(0.0, ())
    for row_index, (commitment_id, title, full_text) in enumerate(rows):
        text_hash = hash_commitment_text(title=title, full_text=full_text)
        signals = rule_signals(title=title, full_text=full_text)
        for item in items:
            current = existing.get((commitment_id, item.pk))
            if current is not None and not _machine_may_change(current, text_hash):
                continue
            item_probabilities = probabilities.get(item.pk)
            proposal = propose(
                text=signals.get(item.code, no_signal),
                body=full_text or title,
                tag_weight=tags[commitment_id].get(item.pk, 0.0),
                probability=None if item_probabilities is None else float(item_probabilities[row_index]),
            )
            above = proposal.confidence >= SUGGESTION_THRESHOLD
            if current is None:
                if above:
                    to_create.append(_new_alignment(commitment_id, item, proposal, text_hash))
            elif current.status == ReviewStatus.REJECTED:
                if above:
                    events.append(_apply(current, proposal, text_hash, now))
                    to_update.append(current)
                    report.resuggested += 1
            elif not above:
                stale.append(current.pk)
            elif _differs(current, proposal, text_hash):
                events.append(_apply(current, proposal, text_hash, now))
                to_update.append(current)
                report.updated += 1
    Alignment.objects.filter(pk__in=stale).delete()
    report.removed += len(stale)
    created = Alignment.objects.bulk_create(to_create)
    report.created += len(created)
    events.extend(_event(alignment, "", now) for alignment in created)
    Alignment.objects.bulk_update(to_update, [*PROPOSAL_FIELDS, "status", "decided_by", "decided_at", "updated_at"])
    ReviewEvent.objects.bulk_create(events)


PROPOSAL_FIELDS = ["confidence", "origin", "passage_start", "passage_end", "excerpt", "text_hash"]


def _machine_may_change(alignment: Alignment, text_hash: str) -> bool:
    if alignment.status == ReviewStatus.CONFIRMED or alignment.origin not in MACHINE_ORIGINS:
        return False
    if alignment.status == ReviewStatus.REJECTED:
        return alignment.text_hash != text_hash
    return alignment.decided_by_id is None


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


def _apply(alignment: Alignment, proposal: Proposal, text_hash: str, now: Any) -> ReviewEvent:
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
    alignment.updated_at = now
    return _event(alignment, from_status, now)


def _event(alignment: Alignment, from_status: str, now: Any) -> ReviewEvent:
    return ReviewEvent(
        alignment=alignment,
        origin=alignment.origin,
        from_status=from_status,
        to_status=alignment.status,
        confidence=alignment.confidence,
        passage_start=alignment.passage_start,
        passage_end=alignment.passage_end,
        excerpt=alignment.excerpt,
        at=now,
    )
