"""A trained signal per item, calibrated and gated: thresholds from cross-validation, used only if it beats rules.

Training examples come from two sources: OGP's policy-area tags, read through the crosswalk as weak labels
(``OGP_TRUTH``), and reviewers' decisions. For each item the examples are split by a hash of their key into a
training part and a held-out part. On the training part, out-of-fold probabilities choose the threshold that
maximises F1; the classifier is then fitted on the whole training part. On the held-out part, its F1 at that
threshold is compared with the rules' F1 at SUGGESTION_THRESHOLD; the trained signal is used only when it wins.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MIN_PER_CLASS = 5
HELD_OUT_SHARE = 0.3
MAX_FOLDS = 5


@dataclass
class Calibrated:
    classifier: Any
    threshold: float
    model_f1: float
    rules_f1: float
    held_out: int

    @property
    def used(self) -> bool:
        return self.model_f1 > self.rules_f1

    def scaled(self, probability: float) -> float:
        """The probability moved so that the calibrated threshold lands on the suggestion threshold 0.5."""
        if probability < self.threshold:
            return 0.5 * probability / self.threshold if self.threshold else 0.0
        return 0.5 + 0.5 * (probability - self.threshold) / (1 - self.threshold) if self.threshold < 1 else 1.0


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

    from commitments.suggestions.model import new_classifier
    from commitments.suggestions.suggest import SUGGESTION_THRESHOLD

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
    )
