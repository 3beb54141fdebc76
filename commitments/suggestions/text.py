"""Reading a commitment's text against each action item's vocabulary: cues found, a score, and the passage."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
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
