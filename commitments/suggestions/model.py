"""Classifiers trained on reviewers' decisions, one per action item."""

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from commitments.models import Alignment, ReviewStatus, SuggestionModel
from commitments.suggestions.text import fold_for_model, model_text
from resolutions.models import ActionItem

MIN_DECISIONS = 20
MIN_PER_CLASS = 5
MODEL_VERSIONS_KEPT = 3


class Classifier(Protocol):
    def predict_proba(self, texts: Sequence[str]) -> Any: ...


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


def suggestible_items() -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        ).select_related("era")
    )
