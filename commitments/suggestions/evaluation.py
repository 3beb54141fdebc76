"""Measure the suggestions against a labelled set of commitment texts: precision, recall and F1.

The set (``commitments/data/labelled_commitments.jsonl``) has a fixed split: the vocabulary is tuned on
``dev`` only and ``test`` is read once to report. Per era, figures are micro-averaged over the (commitment,
action item) pairs of the era's commitment items.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from commitments.suggestions.calibration import new_classifier
from commitments.suggestions.suggest import SUGGESTION_THRESHOLD
from commitments.suggestions.text import model_text, rule_signals
from commitments.suggestions.vocabulary import VOCABULARY

LABELLED_SET = Path(__file__).resolve().parent.parent / "data" / "labelled_commitments.jsonl"
CV_FOLDS = 5
# The labelled set's "rules + model" figure averages the two; production does not blend (`suggest.propose`).
MODEL_SHARE = 0.5


@dataclass(frozen=True)
class Labelled:
    id: str
    member: str
    language: str
    split: str
    title: str
    full_text: str
    labels: frozenset[str]
    reasons: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_labelled_set(path: Path = LABELLED_SET) -> list[Labelled]:
    records = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                records.append(Labelled(**{**row, "labels": frozenset(row["labels"])}))
    return records


def era_of(code: str) -> str:
    """cta2019-digital-democracy-2 -> digital-democracy."""
    return code.split("-", 1)[1].rsplit("-", 1)[0]


Scores = dict[str, list[float]]


def rule_scores(records: Sequence[Labelled]) -> Scores:
    signals = [rule_signals(title=record.title, full_text=record.full_text) for record in records]
    return {code: [signal[code].score for signal in signals] for code in VOCABULARY}


def cross_validated_model_scores(records: Sequence[Labelled], folds: int = CV_FOLDS) -> Scores:
    """Out-of-fold probabilities of the per-item classifier trained on the labels, as reviewers' decisions."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts = [model_text(title=record.title, full_text=record.full_text) for record in records]
    scores: Scores = {}
    for code in VOCABULARY:
        labels = [int(code in record.labels) for record in records]
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=2019)
        probabilities = cross_val_predict(new_classifier(), texts, labels, cv=splitter, method="predict_proba")
        scores[code] = [float(p) for p in probabilities[:, 1]]
    return scores


def blend(rules: Scores, model: Scores) -> Scores:
    return {
        code: [(1 - MODEL_SHARE) * r + MODEL_SHARE * m for r, m in zip(rules[code], model[code], strict=True)]
        for code in rules
    }


def count(records: Sequence[Labelled], scores: Scores, threshold: float = SUGGESTION_THRESHOLD) -> dict[str, Counts]:
    counts: dict[str, Counts] = {}
    for code, values in scores.items():
        total = Counts()
        for record, value in zip(records, values, strict=True):
            predicted, wanted = value >= threshold, code in record.labels
            total += Counts(int(predicted and wanted), int(predicted and not wanted), int(wanted and not predicted))
        counts[code] = total
    return counts


def by_era(counts: dict[str, Counts]) -> dict[str, Counts]:
    eras: dict[str, Counts] = {}
    for code, item_counts in counts.items():
        eras[era_of(code)] = eras.get(era_of(code), Counts()) + item_counts
    return eras


def report_lines(title: str, counts: dict[str, Counts]) -> list[str]:
    def line(name: str, c: Counts) -> str:
        return (
            f"  {name:<30} P={c.precision:.2f} R={c.recall:.2f} F1={c.f1:.2f} "
            f"(tp={c.true_positives} fp={c.false_positives} fn={c.false_negatives})"
        )

    lines = [title]
    lines += [line(era, c) for era, c in by_era(counts).items()]
    lines += [line(code, c) for code, c in counts.items()]
    return lines


def evaluate(
    records: Sequence[Labelled], *, with_model: bool, progress: Callable[[str], None] = lambda _: None
) -> list[str]:
    """The printed evaluation: rules on dev and on test, and the blend under cross-validation."""
    from commitments.suggestions.real_evaluation import figure_lines, truth_figures

    lines: list[str] = []
    for split in ("dev", "test"):
        part = [record for record in records if record.split == split]
        positives = sum(len(record.labels) for record in part)
        scores = rule_scores(part)
        guesses = [
            frozenset(code for code, values in scores.items() if values[index] >= SUGGESTION_THRESHOLD)
            for index in range(len(part))
        ]
        lines += figure_lines(
            f"rules, {split} ({len(part)} texts, {positives} labels), bootstrap 95% intervals",
            truth_figures([record.labels for record in part], guesses),
        )
    if with_model:
        progress("cross-validating the trained model")
        rules = rule_scores(records)
        model = cross_validated_model_scores(records)
        everything = f"{CV_FOLDS}-fold cross-validation, all {len(records)} texts"
        lines += report_lines(f"model alone, {everything}", count(records, model))
        lines += report_lines(
            f"rules + model blend, {everything}",
            count(records, blend(rules, model)),
        )
    return lines
