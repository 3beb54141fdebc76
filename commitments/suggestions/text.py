"""Reading a commitment's text against each action item's vocabulary: cues found, a score, and the passage."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from commitments.suggestions.vocabulary import VOCABULARY, Cue, ItemVocabulary

MISSING_CONTEXT_FACTOR = 0.5


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


PHRASE_GAP = r"[^\w.;!?]+"


def _word_pattern(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    return re.escape(word) + r"(?:s|es|x)?"


@cache
def cue_regex(phrase: str) -> re.Pattern[str]:
    words = re.findall(r"[\w*]+", fold_for_model(phrase))
    # Words of a phrase match across spaces, hyphens and line breaks, never across the end of a sentence.
    return re.compile(r"\b" + PHRASE_GAP.join(_word_pattern(word) for word in words) + r"\b")


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


# How position and frequency weigh a cue, as a reviewer reads: a cue in the title counts as if said twice,
# a cue said again in the same paragraph counts twice at most; the best paragraph carries the case and the
# next ones add a fading share; a single passing mention in a long body, with nothing in the title, is weak.
TITLE_REPEATS = 2
REPEATS_COUNTED = 2
FURTHER_PARAGRAPH_SHARES = (0.5, 0.25)
LONG_BODY = 2500
PASSING_MENTION_FACTOR = 0.6
# Cues weaker than this ("online", "digital") never make a mention more than passing.
NOTABLE_CUE = 0.3
# A cue this strong governs: "uses digital tools" traps do not lower its item.
GOVERNING_CUE = 0.7
# A cue this strong is specific enough that the company it keeps in its sentence does not make it incidental.
SPECIFIC_CUE = 0.7
# An incidental mention (a cue in the same sentence as one of its item's ``incidental`` markers: "women" in a
# list of youth and persons with disabilities, "privacy" as a safeguard clause) counts this share of its weight.
INCIDENTAL_FACTOR = 0.35
# Weak cues only corroborate: without a cue of at least EVIDENT_CUE in the body, or a notable one in the title,
# the score stays at WEAK_ONLY_CAP, below the suggestion threshold, however often the weak cues repeat.
EVIDENT_CUE = 0.5
WEAK_ONLY_CAP = 0.45


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


@dataclass(frozen=True)
class Hit:
    phrase: str
    weight: float
    start: int
    end: int
    incidental: bool = False


def _find_all(cues: Iterable[Cue], folded: str) -> list[Hit]:
    """Every occurrence of every cue, strongest cue first; words already taken by a stronger cue count once."""
    hits: list[Hit] = []
    for phrase, weight in sorted(cues, key=lambda cue: -cue[1]):
        if cue_literal(phrase) not in folded:
            continue
        for match in cue_regex(phrase).finditer(folded):
            if any(match.start() < hit.end and hit.start < match.end() for hit in hits):
                continue
            hits.append(Hit(phrase, weight, match.start(), match.end()))
    return hits


@cache
def any_of(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One expression matching any of the phrases, as cues match."""
    return re.compile("|".join(f"(?:{cue_regex(phrase).pattern})" for phrase in phrases))


def discount_incidental(hits: list[Hit], folded: str, markers: tuple[str, ...]) -> list[Hit]:
    """Hits below SPECIFIC_CUE whose sentence holds one of the markers count INCIDENTAL_FACTOR of their weight."""
    if not markers:
        return hits
    pattern = any_of(markers)
    out = []
    for hit in hits:
        if hit.weight < SPECIFIC_CUE:
            left, right = _sentence_around(folded, hit.start, hit.end)
            if pattern.search(folded, left, right):
                hit = replace(hit, weight=hit.weight * INCIDENTAL_FACTOR, incidental=True)
        out.append(hit)
    return out


def paragraphs(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of the text: OGP full texts break paragraphs with line breaks."""
    spans = []
    start = 0
    for line in folded.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans or [(0, len(folded))]


def repeated(weight: float, times: int) -> float:
    return 1.0 - (1.0 - weight) ** times


def score_item(vocabulary: ItemVocabulary, *, title: str, full_text: str) -> TextSignal:
    """Score one item's vocabulary against a commitment; the passage is the paragraph that made the case."""
    return rule_signals(title=title, full_text=full_text, vocabularies={"item": vocabulary})["item"]


def rule_signals(
    *, title: str, full_text: str, vocabularies: dict[str, ItemVocabulary] | None = None
) -> dict[str, TextSignal]:
    """The vocabulary signal for every item that has a vocabulary, keyed by action item code."""
    body = full_text or title
    folded_body, origins = fold(body)
    folded_title = fold_for_model(title) if full_text else ""
    whole = f"{folded_title}\n{folded_body}"
    spans = paragraphs(folded_body)
    long_body = len(body) > LONG_BODY
    signals: dict[str, TextSignal] = {}
    for code, vocabulary in (VOCABULARY if vocabularies is None else vocabularies).items():
        in_title = _find(vocabulary.cues, folded_title)
        hits = discount_incidental(_find_all(vocabulary.cues, folded_body), folded_body, vocabulary.incidental)
        if not hits and not in_title:
            signals[code] = TextSignal(0.0, ())
            continue
        title_score = noisy_or(repeated(weight, TITLE_REPEATS) for weight, _ in in_title.values())
        by_paragraph: list[tuple[float, int, int, int]] = []  # score, occurrences, start, end
        for start, end in spans:
            inside = [hit for hit in hits if start <= hit.start < end]
            if not inside:
                continue
            times: dict[str, int] = {}
            weights: dict[str, float] = {}
            for hit in inside:
                times[hit.phrase] = times.get(hit.phrase, 0) + 1
                weights[hit.phrase] = hit.weight
            score = noisy_or(repeated(weights[p], min(n, REPEATS_COUNTED)) for p, n in times.items())
            by_paragraph.append((score, len(inside), start, end))
        by_paragraph.sort(key=lambda row: -row[0])
        shares = (1.0, *FURTHER_PARAGRAPH_SHARES)
        body_score = noisy_or(share * row[0] for share, row in zip(shares, by_paragraph, strict=False))
        if not in_title and long_body and sum(hit.weight >= NOTABLE_CUE for hit in hits) < 2:
            body_score *= PASSING_MENTION_FACTOR
        score = noisy_or([title_score, body_score])
        evident = any(hit.weight >= EVIDENT_CUE for hit in hits) or any(
            weight >= NOTABLE_CUE for weight, _ in in_title.values()
        )
        if not evident:
            score = min(score, WEAK_ONLY_CAP)
        if vocabulary.context and not any(search(phrase, whole) for phrase in vocabulary.context):
            score *= MISSING_CONTEXT_FACTOR
        strongest = max([hit.weight for hit in hits] + [weight for weight, _ in in_title.values()])
        if strongest < GOVERNING_CUE:
            for weight, _ in _find(vocabulary.traps, whole).values():
                score *= 1.0 - weight
        cues = tuple(sorted({hit.phrase for hit in hits} | set(in_title)))
        if not by_paragraph:
            signals[code] = TextSignal(score, cues)
            continue
        _, _, start, end = by_paragraph[0]
        left, right = origins[start], origins[end] if end < len(origins) else len(body)
        while left < right and body[left].isspace():
            left += 1
        while right > left and body[right - 1].isspace():
            right -= 1
        signals[code] = TextSignal(score, cues, left, right)
    return signals


def model_text(*, title: str, full_text: str) -> str:
    return f"{title}\n\n{full_text}"
