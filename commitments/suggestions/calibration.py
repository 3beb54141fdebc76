"""A trained signal per item, calibrated and gated: thresholds from cross-validation, used only if it beats rules.

This is the one place a trained signal is fitted. Production training (`model.train_suggestion_models`) and
the measurement on a real OGP export (`real_evaluation.model_lines`) both call `train_items`.

For each item the examples are split by a hash of their key into a training part and a held-out part (the
key is the commitment's OGP id, so a commitment never sits on both sides). On the training part,
out-of-fold probabilities from stratified cross-validation choose the threshold that maximises F1 (not a
fixed 0.5); the classifier is then fitted on the whole training part. On the held-out part, its F1 at that
threshold is compared with the vocabulary rules' F1 at SUGGESTION_THRESHOLD; the trained signal is *active*
only when it wins, on at least MIN_HELD_OUT_POSITIVES held-out positives.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# A confidence at or above this makes a suggestion (`suggest`); the rules are measured at it for the gate.
SUGGESTION_THRESHOLD = 0.5
MIN_PER_CLASS = 5
HELD_OUT_SHARE = 0.3
MAX_FOLDS = 5
# Fewer held-out positives than this cannot show that a model beats the rules: one lucky hit gives F1 1.00.
MIN_HELD_OUT_POSITIVES = 5


def scaled_probability(probability: float, threshold: float, suggestion_threshold: float) -> float:
    """Move a probability so that the model's own threshold lands on the suggestion threshold.

    Piecewise linear: [0, t] onto [0, S] and [t, 1] onto [S, 1], so p >= t exactly when the result >= S.
    """
    if probability < threshold:
        return suggestion_threshold * probability / threshold if threshold > 0 else 0.0
    if threshold >= 1:
        return 1.0
    return suggestion_threshold + (1 - suggestion_threshold) * (probability - threshold) / (1 - threshold)


@dataclass
class Calibrated:
    classifier: Any
    threshold: float
    model_f1: float
    rules_f1: float
    held_out: int
    held_out_positives: int = MIN_HELD_OUT_POSITIVES

    @property
    def used(self) -> bool:
        """The gate: the trained signal beat the rules on the held-out part of its own source, and that part
        had enough positives to tell."""
        return self.model_f1 > self.rules_f1 and self.held_out_positives >= MIN_HELD_OUT_POSITIVES

    def scaled(self, probability: float) -> float:
        return scaled_probability(probability, self.threshold, SUGGESTION_THRESHOLD)


@dataclass(frozen=True)
class TrainingText:
    """One commitment an item may learn from: its key (for the held-out split) and its text."""

    key: str
    title: str
    full_text: str


def new_classifier() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from commitments.suggestions.text import fold_for_model

    return make_pipeline(
        TfidfVectorizer(preprocessor=fold_for_model, ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )


def held_out(key: str) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 1000 < HELD_OUT_SHARE * 1000


def f1_at(scores: Sequence[float], labels: Sequence[int], threshold: float) -> float:
    tp = sum(s >= threshold and y for s, y in zip(scores, labels, strict=True))
    fp = sum(s >= threshold and not y for s, y in zip(scores, labels, strict=True))
    fn = sum(s < threshold and y for s, y in zip(scores, labels, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The threshold among the observed scores that maximises F1; the lowest such one on ties."""
    candidates = sorted({round(s, 4) for s in scores if s > 0}) or [0.5]
    return max(candidates, key=lambda t: (f1_at(scores, labels, t), -t))


def calibrate(
    keys: Sequence[str], texts: Sequence[str], labels: Sequence[int], rule_scores: Sequence[float]
) -> Calibrated | None:
    """Train, choose a threshold by cross-validation and gate on a held-out split; None with too few labels."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    train = [i for i, key in enumerate(keys) if not held_out(key)]
    test = [i for i, key in enumerate(keys) if held_out(key)]
    train_labels = [labels[i] for i in train]
    positives = sum(train_labels)
    if min(positives, len(train_labels) - positives) < MIN_PER_CLASS or not any(labels[i] for i in test):
        return None
    train_texts = [texts[i] for i in train]
    folds = StratifiedKFold(n_splits=min(MAX_FOLDS, positives), shuffle=True, random_state=2019)
    out_of_fold = cross_val_predict(new_classifier(), train_texts, train_labels, cv=folds, method="predict_proba")
    threshold = best_threshold([float(p) for p in out_of_fold[:, 1]], train_labels)
    classifier = new_classifier().fit(train_texts, train_labels)
    test_labels = [labels[i] for i in test]
    probabilities = [float(p) for p in classifier.predict_proba([texts[i] for i in test])[:, 1]]
    return Calibrated(
        classifier=classifier,
        threshold=threshold,
        model_f1=f1_at(probabilities, test_labels, threshold),
        rules_f1=f1_at([rule_scores[i] for i in test], test_labels, SUGGESTION_THRESHOLD),
        held_out=len(test),
        held_out_positives=sum(test_labels),
    )


def train_items(
    commitments: Sequence[TrainingText], labels: Mapping[str, Mapping[str, int]]
) -> dict[str, Calibrated | None]:
    """Per item code, `calibrate` on the commitments it has a label for (`labels[code][key]` is 1 or 0).

    The texts and the rules' signals are worked out once per commitment, for every item.
    """
    from commitments.suggestions.text import model_text, rule_signals

    by_key = {commitment.key: commitment for commitment in commitments}
    wanted = sorted(set().union(*(item_labels.keys() for item_labels in labels.values())) if labels else set())
    texts = {key: model_text(title=by_key[key].title, full_text=by_key[key].full_text) for key in wanted}
    signals = {key: rule_signals(title=by_key[key].title, full_text=by_key[key].full_text) for key in wanted}
    results: dict[str, Calibrated | None] = {}
    for code, item_labels in labels.items():
        keys = sorted(item_labels)
        results[code] = calibrate(
            keys,
            [texts[key] for key in keys],
            [item_labels[key] for key in keys],
            [signals[key][code].score if code in signals[key] else 0.0 for key in keys],
        )
    return results
