"""Measure the suggestions on a real OGP export: its policy-area tags are the truth, its text the only input.

The file's policy-area columns are set aside before anything is suggested, so only the title and full text
are read. The truth is what OGP's tags imply for each action item (``OGP_TRUTH``); an era is true when any
of its items is, and predicted when any of its items is suggested. Figures carry a bootstrap 95% interval
over commitments. OGP's tags are noisy (data-protection laws often lack a digital tag, for one), so these
figures understate a suggester that is right where the tags are wrong.
"""

import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from commitments.importer import format as fmt
from commitments.suggestions.crosswalk import (
    ALGORITHMS_ITEM,
    CIVIC_SPACE_ITEM,
    DIGITAL_RIGHTS_ITEM,
    GENDER_ITEM,
)

# The tags that make each item true: the same truth OGP's sample is measured with.
OGP_TRUTH: dict[str, frozenset[str]] = {
    CIVIC_SPACE_ITEM: frozenset(
        {
            "Civic Space and Enabling Environment",
            "Freedom of Assembly",
            "Freedom of Association",
            "Freedom of Expression",
            "Online Civic Space",
        }
    ),
    GENDER_ITEM: frozenset({"Gender", "Gender-Based Violence", "LGBTQIA+"}),
    DIGITAL_RIGHTS_ITEM: frozenset(
        {
            "Digital Governance",
            "Data Stewardship and Privacy",
            "Digital Inclusion",
            "Disinformation/Misinformation",
            "Online Civic Space",
        }
    ),
    ALGORITHMS_ITEM: frozenset({"Automated Decision-making"}),
}
ERA_TAGS: dict[str, frozenset[str]] = {
    "civic-space": OGP_TRUTH[CIVIC_SPACE_ITEM],
    "gender-inclusion": OGP_TRUTH[GENDER_ITEM],
    "digital-democracy": OGP_TRUTH[DIGITAL_RIGHTS_ITEM] | OGP_TRUTH[ALGORITHMS_ITEM],
}
BOOTSTRAP_SAMPLES = 1000


class OgpFileError(ValueError):
    pass


@dataclass(frozen=True)
class TaggedCommitment:
    """A commitment's text and, kept apart from it, the items its OGP tags imply."""

    id: str
    title: str
    full_text: str
    truth: frozenset[str]
    tags: frozenset[str]


def read_ogp_file(path: Path) -> list[TaggedCommitment]:
    """Read an export; policy-area columns leave the text entirely and only ever become ``truth``."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise OgpFileError(f"{path}: cannot be read as a UTF-8 CSV export ({error})") from error
    title_column = next(header for header, field in fmt.TEXT_COLUMNS.items() if field == "title")
    text_column = next(header for header, field in fmt.TEXT_COLUMNS.items() if field == "full_text")
    needed = {fmt.COMMITMENT_ID, title_column, text_column}
    if not rows or not needed <= set(rows[0]):
        raise OgpFileError(f"{path}: needs the columns {', '.join(sorted(needed))} and at least one row")
    tag_columns = set().union(*OGP_TRUTH.values()) & set(rows[0])
    if not tag_columns:
        raise OgpFileError(f"{path}: none of the policy-area columns the truth is read from")
    records = []
    for row in rows:
        tags = frozenset(column for column in tag_columns if (row.get(column) or "").strip() == "1")
        truth = frozenset(code for code, wanted in OGP_TRUTH.items() if tags & wanted)
        records.append(
            TaggedCommitment(
                id=row[fmt.COMMITMENT_ID],
                title=fmt.unescape_cell(row[title_column] or ""),
                full_text=fmt.unescape_cell(row[text_column] or ""),
                truth=truth,
                tags=tags,
            )
        )
    return records


def era_of(code: str) -> str:
    return code.split("-", 1)[1].rsplit("-", 1)[0]


Pairs = list[tuple[bool, bool]]  # (predicted, true) per commitment


@dataclass(frozen=True)
class Figure:
    name: str
    precision: float
    recall: float
    f1: float
    intervals: tuple[tuple[float, float], tuple[float, float], tuple[float, float]]
    counts: tuple[int, int, int]


def prf(pairs: Sequence[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = sum(p and t for p, t in pairs)
    fp = sum(p and not t for p, t in pairs)
    fn = sum(t and not p for p, t in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def figure(name: str, pairs: Pairs, *, samples: int = BOOTSTRAP_SAMPLES, seed: int = 2019) -> Figure:
    """Precision, recall and F1 with a percentile bootstrap 95% interval, commitments resampled."""
    rng = random.Random(seed)
    draws: list[tuple[float, float, float]] = []
    for _ in range(samples if pairs else 0):
        draws.append(prf([pairs[rng.randrange(len(pairs))] for _ in pairs]))

    def interval(index: int) -> tuple[float, float]:
        if not draws:
            return (0.0, 0.0)
        values = sorted(draw[index] for draw in draws)
        return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]

    tp = sum(p and t for p, t in pairs)
    fp = sum(p and not t for p, t in pairs)
    fn = sum(t and not p for p, t in pairs)
    return Figure(name, *prf(pairs), (interval(0), interval(1), interval(2)), (tp, fp, fn))


def figures(
    records: Sequence[TaggedCommitment], predicted: Sequence[frozenset[str]], *, samples: int = BOOTSTRAP_SAMPLES
) -> list[Figure]:
    """Per era, then per item: what was suggested against what the tags imply."""
    return truth_figures([record.truth for record in records], predicted, samples=samples)


def truth_figures(
    truths: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]], *, samples: int = BOOTSTRAP_SAMPLES
) -> list[Figure]:
    """Per era, then per item, against any truth given as a set of item codes per commitment."""
    records = [TaggedCommitment("", "", "", truth, frozenset()) for truth in truths]
    out = []
    for era in ERA_TAGS:
        pairs = [
            (any(era_of(code) == era for code in guess), any(era_of(code) == era for code in record.truth))
            for record, guess in zip(records, predicted, strict=True)
        ]
        out.append(figure(era, pairs, samples=samples))
    for code in OGP_TRUTH:
        pairs = [(code in guess, code in record.truth) for record, guess in zip(records, predicted, strict=True)]
        out.append(figure(code, pairs, samples=samples))
    return out


def figure_lines(title: str, rows: Sequence[Figure]) -> list[str]:
    def span(value: float, bounds: tuple[float, float]) -> str:
        return f"{value:.2f} [{bounds[0]:.2f}-{bounds[1]:.2f}]"

    lines = [title]
    for row in rows:
        p, r, f = row.intervals
        lines.append(
            f"  {row.name:<30} P={span(row.precision, p)} R={span(row.recall, r)} F1={span(row.f1, f)} "
            f"(tp={row.counts[0]} fp={row.counts[1]} fn={row.counts[2]})"
        )
    return lines


Suggester = Callable[[TaggedCommitment], frozenset[str]]


def error_lines(records: Sequence[TaggedCommitment], predicted: Sequence[frozenset[str]], limit: int = 40) -> list[str]:
    """The disagreements, to read: id, the era, which side, the tags and the title."""
    lines = ["disagreements (fp: suggested without a tag; fn: tagged, not suggested)"]
    for record, guess in zip(records, predicted, strict=True):
        for era in ERA_TAGS:
            said = any(era_of(code) == era for code in guess)
            true = any(era_of(code) == era for code in record.truth)
            if said != true:
                kind = "fp" if said else "fn"
                tags = ", ".join(sorted(record.tags)) or "-"
                lines.append(f"  {kind} {era:<18} {record.id:<16} [{tags}] {record.title[:90]}")
    return lines[: limit + 1]


def rule_guesses(records: Sequence[TaggedCommitment], threshold: float | None = None) -> list[frozenset[str]]:
    from commitments.suggestions.suggest import SUGGESTION_THRESHOLD
    from commitments.suggestions.text import rule_signals

    cut = SUGGESTION_THRESHOLD if threshold is None else threshold
    guesses = []
    for record in records:
        signals = rule_signals(title=record.title, full_text=record.full_text)
        guesses.append(frozenset(code for code, signal in signals.items() if signal.score >= cut))
    return guesses


def evaluate_ogp_file(
    path: Path, *, with_model: bool = True, with_errors: bool = False, progress: Callable[[str], None] = lambda _: None
) -> list[str]:
    records = read_ogp_file(path)
    counts = {era: sum(any(era_of(c) == era for c in r.truth) for r in records) for era in ERA_TAGS}
    described = ", ".join(f"{era} {n}" for era, n in counts.items())
    guesses = rule_guesses(records)
    lines = figure_lines(
        f"rules, text only, {len(records)} commitments of {path.name} (tagged: {described})", figures(records, guesses)
    )
    if with_model:
        lines += model_lines(records, progress)
    if with_errors:
        lines += error_lines(records, guesses)
    return lines


def model_lines(records: Sequence[TaggedCommitment], progress: Callable[[str], None]) -> list[str]:
    """Per item, a classifier trained on the file's own tags as weak labels, beside the rules, on its held-out part.

    The same training and gate as production (`calibration.train_items`); only the labels' source differs.
    """
    from commitments.suggestions.calibration import TrainingText, train_items

    progress("training on the file's tags, thresholds by cross-validation")
    texts = [TrainingText(record.id, record.title, record.full_text) for record in records]
    labels = {code: {record.id: int(code in record.truth) for record in records} for code in OGP_TRUTH}
    lines = ["trained on the file's tags (weak labels), F1 on its own held-out part, beside the rules"]
    for code, result in train_items(texts, labels).items():
        if result is None:
            lines.append(f"  {code:<30} too few tagged commitments to train")
            continue
        lines.append(
            f"  {code:<30} model F1={result.model_f1:.2f} at threshold {result.threshold:.3f} "
            f"rules F1={result.rules_f1:.2f} on {result.held_out} held out ({result.held_out_positives} positive): "
            f"{'model used' if result.used else 'rules kept'}"
        )
    return lines
