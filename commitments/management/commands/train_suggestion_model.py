from typing import Any

from django.core.management.base import BaseCommand

from commitments.suggestions.calibration import MIN_HELD_OUT_POSITIVES
from commitments.suggestions.model import ItemTraining, train_suggestion_models


def counts(training: ItemTraining) -> str:
    return (
        f"tags {training.tag_positives}+/{training.tag_negatives}-, "
        f"decisions {training.decision_positives}+/{training.decision_negatives}-"
    )


def verdict(training: ItemTraining) -> str:
    if training.active:
        return "active"
    if training.held_out_positives < MIN_HELD_OUT_POSITIVES:
        return f"inactive, too few held-out positives to tell (needs {MIN_HELD_OUT_POSITIVES}), rules kept"
    return "inactive, rules kept"


class Command(BaseCommand):
    help = (
        "Retrain the suggestion classifiers on policy-area tags (weak labels) and reviewers' decisions; print, per "
        "item, what each learned from, its cross-validated threshold, and its F1 beside the rules' on held-out "
        "examples. A model is used for suggesting only if it beat the rules."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = train_suggestion_models()
        for code, training in report.trained.items():
            self.stdout.write(
                f"trained {code}: {counts(training)}; threshold {training.threshold:.3f}; on {training.held_out} "
                f"held out ({training.held_out_positives} positive) model F1 {training.model_f1:.2f}, "
                f"rules F1 {training.rules_f1:.2f}: {verdict(training)}"
            )
        for code, training in report.skipped.items():
            self.stdout.write(f"not enough examples for {code}: {counts(training)}; no model, rules kept")
