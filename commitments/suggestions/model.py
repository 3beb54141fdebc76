"""Classifiers per action item, trained on policy-area tags (weak labels) and reviewers' decisions, then gated.

Examples for an item:
- **Tags.** A commitment with a `yes` tag that the crosswalk points at the item (`weak_label_areas`) is a
  positive; a commitment with `yes` tags, none of them such, is a negative. Untagged commitments are not
  examples: nothing says what they are about.
- **Decisions.** A confirmed alignment is a positive, a rejected one a negative. A decision overrides the
  tags of the same commitment.

`calibration.train_items` fits the classifier, chooses its threshold by cross-validation and compares it with
the rules on a held-out split. Every fit is stored with those figures; only an *active* one (it beat the
rules) is ever used for suggesting, and only for commitments without tags (`suggest.propose`).
"""

import pickle
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from commitments.models import Alignment, Commitment, CommitmentPolicyArea, ReviewStatus, SuggestionModel
from commitments.suggestions.calibration import TrainingText, train_items
from resolutions.models import ActionItem

MODEL_VERSIONS_KEPT = 3
TEXT_BATCH = 2000


class Classifier(Protocol):
    def predict_proba(self, texts: Sequence[str]) -> Any: ...


@dataclass(frozen=True)
class TrainedSignal:
    """An active model and its cross-validated threshold."""

    classifier: Classifier
    threshold: float


@dataclass
class ItemTraining:
    """What one item learned from, and how its model fared against the rules on the held-out split."""

    tag_positives: int = 0
    tag_negatives: int = 0
    decision_positives: int = 0
    decision_negatives: int = 0
    threshold: float = 0.0
    model_f1: float = 0.0
    rules_f1: float = 0.0
    held_out: int = 0
    held_out_positives: int = 0
    active: bool = False

    @property
    def positives(self) -> int:
        return self.tag_positives + self.decision_positives

    @property
    def negatives(self) -> int:
        return self.tag_negatives + self.decision_negatives


@dataclass
class TrainingReport:
    trained: dict[str, ItemTraining] = field(default_factory=dict)
    skipped: dict[str, ItemTraining] = field(default_factory=dict)


def training_labels(items: Sequence[ActionItem]) -> tuple[dict[int, dict[int, int]], dict[int, ItemTraining]]:
    """Per item id, {commitment id: 1 or 0} from tags and decisions (decisions win), and the counts by source."""
    from commitments.suggestions.crosswalk import weak_label_areas

    areas = weak_label_areas(items)
    tags: dict[int, set[int]] = defaultdict(set)
    for commitment_id, area_id in CommitmentPolicyArea.objects.filter(value=CommitmentPolicyArea.Value.YES).values_list(
        "commitment_id", "policy_area_id"
    ):
        tags[commitment_id].add(area_id)
    labels: dict[int, dict[int, int]] = {}
    counts: dict[int, ItemTraining] = {}
    for item in items:
        from_tags = {commitment_id: int(bool(found & areas[item.pk])) for commitment_id, found in tags.items()}
        decisions = dict(
            Alignment.objects.filter(
                action_item=item, status__in=[ReviewStatus.CONFIRMED, ReviewStatus.REJECTED]
            ).values_list("commitment_id", "status")
        )
        from_decisions = {pk: int(status == ReviewStatus.CONFIRMED) for pk, status in decisions.items()}
        kept_tags = [label for pk, label in from_tags.items() if pk not in from_decisions]
        counts[item.pk] = ItemTraining(
            tag_positives=sum(kept_tags),
            tag_negatives=len(kept_tags) - sum(kept_tags),
            decision_positives=sum(from_decisions.values()),
            decision_negatives=len(from_decisions) - sum(from_decisions.values()),
        )
        labels[item.pk] = {**from_tags, **from_decisions}
    return labels, counts


def train_suggestion_models() -> TrainingReport:
    """Fit, calibrate and gate one classifier per commitment item; store each fit with its figures.

    An item is skipped while it has fewer than `calibration.MIN_PER_CLASS` examples of either kind in its
    training part, or no positive in its held-out part.
    """
    items = suggestible_items()
    labels, counts = training_labels(items)
    wanted = sorted(set().union(*(item_labels.keys() for item_labels in labels.values())))
    commitments: dict[int, TrainingText] = {}
    for start in range(0, len(wanted), TEXT_BATCH):
        for pk, ogp_id, title, full_text in Commitment.objects.filter(
            pk__in=wanted[start : start + TEXT_BATCH]
        ).values_list("pk", "ogp_id", "title", "full_text"):
            commitments[pk] = TrainingText(ogp_id, title, full_text)
    results = train_items(
        list(commitments.values()),
        {
            item.code: {commitments[pk].key: label for pk, label in labels[item.pk].items() if pk in commitments}
            for item in items
        },
    )
    report = TrainingReport()
    for item in items:
        training = counts[item.pk]
        result = results[item.code]
        if result is None:
            report.skipped[item.code] = training
            continue
        training.threshold = result.threshold
        training.model_f1 = result.model_f1
        training.rules_f1 = result.rules_f1
        training.held_out = result.held_out
        training.held_out_positives = result.held_out_positives
        training.active = result.used
        _store(item, training, pickle.dumps(result.classifier))
        report.trained[item.code] = training
    return report


@transaction.atomic
def _store(item: ActionItem, training: ItemTraining, payload: bytes) -> None:
    latest = SuggestionModel.objects.select_for_update().filter(action_item=item).order_by("-version").first()
    saved = SuggestionModel(
        action_item=item,
        version=(latest.version + 1) if latest else 1,
        trained_at=timezone.now(),
        positives=training.positives,
        negatives=training.negatives,
        tag_positives=training.tag_positives,
        tag_negatives=training.tag_negatives,
        decision_positives=training.decision_positives,
        decision_negatives=training.decision_negatives,
        threshold=training.threshold,
        held_out=training.held_out,
        held_out_positives=training.held_out_positives,
        model_f1=training.model_f1,
        rules_f1=training.rules_f1,
        active=training.active,
        payload=payload,
    )
    saved.full_clean()
    saved.save()
    old = SuggestionModel.objects.filter(action_item=item).order_by("-version")[MODEL_VERSIONS_KEPT:]
    SuggestionModel.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()


def load_classifiers() -> dict[int, TrainedSignal]:
    """The newest model of each item, if it is active; the bytes were written by train_suggestion_models,
    never uploaded. An item whose newest model lost to the rules has no trained signal."""
    newest: dict[int, int] = {}
    for pk, item_id in SuggestionModel.objects.order_by("action_item_id", "-version").values_list(
        "pk", "action_item_id"
    ):
        newest.setdefault(item_id, pk)
    return {
        row.action_item_id: TrainedSignal(pickle.loads(bytes(row.payload)), row.threshold)
        for row in SuggestionModel.objects.filter(pk__in=newest.values(), active=True)
    }


def untagged_commitments() -> Any:
    """Commitments without any `yes` policy-area tag: the only ones a trained signal suggests for."""
    yes = CommitmentPolicyArea.objects.filter(commitment=OuterRef("pk"), value=CommitmentPolicyArea.Value.YES)
    return Commitment.objects.filter(~Q(Exists(yes)))


def suggestible_items() -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        ).select_related("era")
    )
