"""Full-text search over commitments, ranked, with highlighted snippets; for the search page and the API.

On PostgreSQL it is PostgreSQL's full-text search in the language each commitment is written in: a
commitment's `language` (detected from its text when it is written, see `detect_language`) picks the
dictionary (English, Spanish, French; `simple` otherwise); the database keeps each commitment's document as a
stored tsvector in that dictionary (migration 0014) with a GIN index that serves the match and the rank. The
query is read as a web search: words, "quoted phrases", `or`, and `-word` to exclude. Results are ranked by
`ts_rank`; the snippet is `ts_headline` around the best matches.

On SQLite, the embedded default, every word must appear (accents and case ignored by SQLite only for
ASCII), the rank counts occurrences, and the snippet is cut in Python around the first match.
"""

import html
import re
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.utils.safestring import SafeString, mark_safe

from commitments.models import Alignment, Commitment, CommitmentPolicyArea

# Language of a text -> PostgreSQL text search configuration.
CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "": "simple"}
LANGUAGES = tuple(CONFIGS)

# Function words that tell the three languages apart; counted on the opening of a text.
_MARKERS = {
    "en": frozenset({"the", "and", "of", "to", "in", "will", "for", "with", "on", "by", "this", "that", "be"}),
    "es": frozenset({"de", "la", "el", "los", "las", "y", "en", "para", "con", "que", "por", "del", "se", "una"}),
    "fr": frozenset({"le", "la", "les", "des", "et", "du", "pour", "une", "sur", "dans", "par", "est", "au"}),
}
_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_CHARS = 4000
# Markers the highlighting wraps matches in before the text is escaped; never found in real text.
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 35


def detect_language(*texts: str) -> str:
    """'en', 'es' or 'fr' by the function words of the opening of the text, or '' when it is not clear."""
    words = _WORD.findall(" ".join(texts)[:SAMPLE_CHARS].lower())
    counts = {language: sum(word in markers for word in words) for language, markers in _MARKERS.items()}
    best, second = sorted(counts.values(), reverse=True)[:2]
    if best < 3 or best < 1.3 * second:
        return ""
    return max(counts, key=lambda language: counts[language])


def _config_of_row() -> Case:
    return Case(
        *(When(language=language, then=Value(config)) for language, config in CONFIGS.items() if language),
        default=Value(CONFIGS[""]),
        output_field=TextField(),
    )


class _Regconfig(Func):
    template = "%(expressions)s::regconfig"
    output_field = TextField()


class _WebQuery(Func):
    function = "websearch_to_tsquery"


class _Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()
    conditional = True


class _StoredVector(Func):
    """The commitment's stored search document (migration 0014): a tsvector in its language's dictionary."""

    template = '"commitments_commitment"."search_vector"'
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__()


def _postgres_search(commitments: QuerySet[Commitment], query: str) -> QuerySet[Commitment]:
    # One branch per dictionary with a constant query, all served by the GIN index on the stored vector.
    match = Q()
    for language, config in CONFIGS.items():
        tsquery = _WebQuery(_Regconfig(Value(config)), Value(query))
        match |= Q(Q(language=language), _Matches(_StoredVector(), tsquery))
    row_config = _Regconfig(_config_of_row())
    row_query = _WebQuery(row_config, Value(query))
    options = f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=15, MaxFragments=2"
    return commitments.filter(match).annotate(
        rank=Func(_StoredVector(), row_query, function="ts_rank", output_field=FloatField()),
        headline_text=Func(
            row_config, F("full_text"), row_query, Value(options), function="ts_headline", output_field=TextField()
        ),
    )


def _terms(query: str) -> list[str]:
    return [term for term in re.findall(r"\w+", query.lower()) if len(term) > 1]


def _plain_search(commitments: QuerySet[Commitment], query: str) -> QuerySet[Commitment]:
    terms = _terms(query)
    for term in terms:
        commitments = commitments.filter(Q(title__icontains=term) | Q(full_text__icontains=term))
    rank: Any = Value(0.0, output_field=FloatField())
    for term in terms:
        rank = rank + Case(When(title__icontains=term, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return commitments.annotate(rank=rank, headline_text=Value("", output_field=TextField()))


def search_commitments(*, query: str, commitments: QuerySet[Commitment] | None = None) -> QuerySet[Commitment]:
    """Commitments matching `query`, annotated with `rank` (higher is better) and `headline_text` (the
    snippet with raw highlight markers: render it with `highlight`); ordered best first."""
    base = Commitment.objects.all() if commitments is None else commitments
    query = query.strip()
    if not query:
        return base.none()
    search = _postgres_search if connection.vendor == "postgresql" else _plain_search
    return search(base, query).order_by(F("rank").desc(), "ogp_id")


def highlight(commitment: Commitment, query: str) -> SafeString:
    """The snippet of a search result as HTML: the text escaped, the matches in `<mark>`."""
    snippet = getattr(commitment, "headline_text", "") or _plain_snippet(
        commitment.full_text or commitment.title, query
    )
    escaped = html.escape(snippet)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


def _plain_snippet(text: str, query: str) -> str:
    terms = _terms(query)
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(min(positions) - 120, 0) if positions else 0
    snippet = text[start : start + 300]
    for term in sorted(terms, key=len, reverse=True):
        snippet = re.sub(f"({re.escape(term)})", f"{START}\\1{STOP}", snippet, flags=re.IGNORECASE)
    return ("…" if start else "") + snippet + ("…" if start + 300 < len(text) else "")


def filter_commitments(
    *, member: str = "", era: str = "", item: str = "", area: str = "", status: str = ""
) -> QuerySet[Commitment]:
    """Commitments narrowed by the search page's filters: a member's code, an era's key, an action item's code,
    a policy area's slug (tagged yes), and an alignment status. Era, item and status combine on one alignment:
    `era=civic-space&status=confirmed` is a commitment with a confirmed alignment to an item of that era."""
    commitments = Commitment.objects.select_related("member").defer("extra")
    if member:
        commitments = commitments.filter(member__code=member.upper())
    if area:
        commitments = commitments.filter(
            Exists(
                CommitmentPolicyArea.objects.filter(
                    commitment=OuterRef("pk"), policy_area__slug=area, value=CommitmentPolicyArea.Value.YES
                )
            )
        )
    if era or item or status:
        alignments = Alignment.objects.filter(commitment=OuterRef("pk"))
        if era:
            alignments = alignments.filter(action_item__era__key=era)
        if item:
            alignments = alignments.filter(action_item__code=item)
        if status:
            alignments = alignments.filter(status=status)
        commitments = commitments.filter(Exists(alignments))
    return commitments
