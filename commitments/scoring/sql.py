"""The SQL that computes scores, set-based, for a chunk of members at a time; PostgreSQL and SQLite dialects."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from commitments.models import ActionPlan, Alignment, Commitment, Member, ProcessEvidence, ReviewStatus, Score
from commitments.scoring.methodology import Grades, Methodology, get_methodology
from resolutions.models import ActionItem, Resolution

# One vocabulary, two dialects: PostgreSQL in production, SQLite for the embedded default.


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# JSON is built as text and stored as that text (`JSONTextField`): PostgreSQL's JSONB constructors
# re-encode every nested level, which cost more than all the arithmetic of a score, and parsing the text
# into JSONB cost a tenth of a full recompute. Values are SQL expressions that are either numbers or JSON
# text; keys are constants or JSON-escaped.


def _json_text_object(fields: dict[str, str]) -> str:
    """A JSON object, as text, from constant keys and values that are numbers or JSON text."""
    assert all(key.isidentifier() for key in fields), fields  # keys are constants of this module, never input
    if is_postgres():
        parts = " || ', ' || ".join(f"'{json.dumps(key)}: ' || CAST({value} AS TEXT)" for key, value in fields.items())
        return f"('{{' || {parts} || '}}')"
    return "JSON_OBJECT(" + ", ".join(f"'{key}', JSON({value})" for key, value in fields.items()) + ")"


def _json_text_object_of(pairs: Sequence[tuple[str, str]]) -> tuple[str, list[str]]:
    """A JSON object, as text, with keys that are data, passed as parameters, and values as above."""
    if is_postgres():
        parts = " || ', ' || ".join(f"%s || CAST({value} AS TEXT)" for _, value in pairs)
        return f"('{{' || {parts} || '}}')", [f"{json.dumps(key)}: " for key, _ in pairs]
    return "JSON_OBJECT(" + ", ".join(f"%s, JSON({value})" for _, value in pairs) + ")", [key for key, _ in pairs]


def _json_text_object_agg(key: str, value: str, where: str) -> str:
    """An aggregate JSON object, as text, of the (text key, JSON text or number value) pairs of the rows
    where `where` holds; NULL or an empty object if there are none."""
    if is_postgres():
        pair = f"CAST(TO_JSON({key}) AS TEXT) || ': ' || CAST({value} AS TEXT)"
        return f"'{{' || STRING_AGG({pair}, ', ') FILTER (WHERE {where}) || '}}'"
    return f"JSON_GROUP_OBJECT({key}, JSON({value})) FILTER (WHERE {where})"


def _json_text_array_agg(expression: str) -> str:
    """An aggregate JSON array, as text, of the non-null values in the order they come in; NULL if none."""
    if is_postgres():
        return f"CAST(JSON_AGG({expression}) FILTER (WHERE {expression} IS NOT NULL) AS TEXT)"
    return f"JSON_GROUP_ARRAY({expression}) FILTER (WHERE {expression} IS NOT NULL)"


def _stored_json(text: str) -> str:
    """JSON text checked and typed as the value stored in a `JSONTextField`."""
    return f"CAST({text} AS JSON)" if is_postgres() else f"JSON({text})"


def _same_json(left: str, right: str) -> str:
    """Whether two stored JSON documents say the same: as text first, which is all it takes when the
    documents were written by the same code; as JSONB only when the texts differ (written by another
    version of this code, say, or converted from JSONB), so that a new spelling alone changes no score.
    SQLite has no JSONB: there the same keys in the same order, spaced otherwise, are the same."""
    if is_postgres():
        return f"(CAST({left} AS TEXT) = CAST({right} AS TEXT) OR CAST({left} AS JSONB) = CAST({right} AS JSONB))"
    return f"({left} = {right} OR JSON({left}) = JSON({right}))"


def _round(expression: str, places: int) -> str:
    return f"ROUND(CAST({expression} AS NUMERIC), {places})" if is_postgres() else f"ROUND({expression}, {places})"


def _same(left: str, right: str) -> str:
    return f"{left} IS NOT DISTINCT FROM {right}" if is_postgres() else f"{left} IS {right}"


def _grade_case(column: str, grades: Grades) -> str:
    """A CASE giving the grade of a column, NULL when the column holds no grade (ND, NR, NA, withdrawn...)."""
    branches = []
    for code, value in grades:
        assert code.replace("_", "").isalnum(), code  # codes are constants of the methodology, never input
        branches.append(f"WHEN '{code}' THEN {float(value)!r}")
    return f"CASE {column} {' '.join(branches)} ELSE NULL END"


@dataclass(frozen=True)
class MemberFilter:
    """Which members a statement covers: a template over `{column}` and its parameters."""

    template: str
    params: tuple[Any, ...]

    def on(self, column: str) -> str:
        return self.template.format(column=column)

    @classmethod
    def ids(cls, member_ids: Sequence[int]) -> "MemberFilter":
        return cls("{column} IN (" + ", ".join(["%s"] * len(member_ids)) + ")", tuple(member_ids))

    @classmethod
    def id_range(cls, first_id: int, next_first_id: int | None) -> "MemberFilter":
        if next_first_id is None:
            return cls("{column} >= %s", (first_id,))
        return cls("{column} >= %s AND {column} < %s", (first_id, next_first_id))


ALL_MEMBERS = MemberFilter("1 = 1", ())


@dataclass(frozen=True)
class ScoredItem:
    item_id: int
    era_id: int
    code: str
    era_key: str


@dataclass(frozen=True)
class ScoredEra:
    era_id: int
    key: str
    n_items: int


def _scored_eras(items: Sequence[ScoredItem]) -> list[ScoredEra]:
    """The eras of the items, in the items' order, each with its number of items."""
    counts: dict[tuple[int, str], int] = {}
    for item in items:
        counts[item.era_id, item.era_key] = counts.get((item.era_id, item.era_key), 0) + 1
    return [ScoredEra(int(era_id), key, n_items) for (era_id, key), n_items in counts.items()]


def scored_items(resolution: Resolution) -> list[ScoredItem]:
    """The member-directed action items of a resolution that belong to an era: what the scores are over."""
    rows = (
        ActionItem.objects.filter(resolution=resolution, addressee=ActionItem.Addressee.MEMBERS, era__isnull=False)
        .order_by("era__order", "order", "pk")
        .values_list("pk", "era_id", "code", "era__key")
    )
    return [ScoredItem(*row) for row in rows]


def evidence_ctes(
    methodology: Methodology, items: Sequence[ScoredItem], adopted_year: int, members: MemberFilter, *, details: bool
) -> tuple[str, list[Any]]:
    """The counted evidence and each (member, item)'s best strength, with the references behind it if asked.

    The plan this is written for: the members' plans in scope (by the member index), their commitments
    (by the plan index), and their confirmed alignments (an index-only probe of the partial index of
    confirmed ones). With the details, the evidence is sorted once, references last, so that each item's
    reference lists come out in order without a sort per item: an aggregate over a sorted subquery with
    no join at its level takes the rows in that order.
    """
    m = methodology
    ambition = (
        f"COALESCE({_grade_case('c.potential_impact', m.potential_impact)}, "
        f"{_grade_case('c.potential_for_results', m.potential_for_results)})"
    )
    delivery = (
        f"COALESCE({_grade_case('c.completion_end_of_term', m.completion)}, "
        f"{_grade_case('c.completion_midterm', m.completion)})"
    )
    refs = (
        f", {_json_text_array_agg('commitment_ref')} AS commitment_refs, "
        f"{_json_text_array_agg('process_ref')} AS process_refs"
        if details
        else ""
    )
    sorted_evidence = (
        "(SELECT * FROM evidence ORDER BY member_id, item_id, commitment_ref, process_ref) sorted_evidence"
        if details
        else "evidence"
    )
    if not items:
        raise ValueError("A resolution without member-directed items in an era has no scores.")
    item_ids = ", ".join("%s" for _ in items)
    sql = f"""
WITH graded AS (
    SELECT c.member_id AS member_id, a.action_item_id AS item_id, c.ogp_id AS ref,
           {ambition} AS ambition, {delivery} AS delivery
    FROM {ActionPlan._meta.db_table} p
    JOIN {Commitment._meta.db_table} c ON c.action_plan_id = p.id
    JOIN {Alignment._meta.db_table} a ON a.commitment_id = c.id
    WHERE a.status = '{ReviewStatus.CONFIRMED}' AND p.end_year >= %s AND {members.on("p.member_id")}
      AND a.action_item_id IN ({item_ids})
),
evidence AS (
    SELECT member_id, item_id, ref AS commitment_ref, NULL AS process_ref,
           {m.base!r} + {m.ambition_weight!r} * COALESCE(ambition, {m.unassessed!r})
                      + {m.delivery_weight!r} * COALESCE(delivery, {m.unassessed!r}) AS q,
           CASE WHEN ambition IS NULL OR delivery IS NULL THEN 1 ELSE 0 END AS unassessed
    FROM graded
    UNION ALL
    SELECT e.member_id, e.action_item_id, NULL, e.id, {m.process_evidence!r}, 0
    FROM {ProcessEvidence._meta.db_table} e
    LEFT JOIN {ActionPlan._meta.db_table} p ON p.id = e.action_plan_id
    WHERE e.status = '{ReviewStatus.CONFIRMED}' AND (e.action_plan_id IS NULL OR p.end_year >= %s)
      AND {members.on("e.member_id")} AND e.action_item_id IN ({item_ids})
),
per_item AS (
    SELECT member_id, item_id, MAX(q) AS strength, COUNT(*) AS n_evidence, SUM(unassessed) AS n_unassessed{refs}
    FROM {sorted_evidence} GROUP BY member_id, item_id
)"""
    ids = [item.item_id for item in items]
    return sql, [adopted_year, *members.params, *ids, adopted_year, *members.params, *ids]


def fresh_scores_sql(
    methodology: Methodology, resolution: Resolution, items: Sequence[ScoredItem], members: MemberFilter
) -> tuple[str, list[Any]]:
    """Every score of these members as it should be: CTEs that end in `fresh`.

    Era value = 100 x mean strength over the era's member-directed items; coverage = share of those items
    with strength > 0; uncertainty = share of the counted evidence with an unassessed component.
    Overall = mean of the era values; its coverage and uncertainty pool the eras' items and evidence.
    An era's components list the items with counted evidence; an item left out has strength 0.

    One grouping after the evidence's: each member's items become one row holding every era's sums side
    by side (`member_eras`), which unfolds into a row per era and the overall row (`slots`). A grouping
    by era and another by member for the overall scores cost about a tenth more.
    """
    ctes, params = evidence_ctes(methodology, items, resolution.adopted_on.year, members, details=True)
    eras = _scored_eras(items)
    item_json = _json_text_object(
        {
            "strength": _round("p.strength", 4),
            "evidence": "p.n_evidence",
            "unassessed": "p.n_unassessed",
            "commitments": "COALESCE(p.commitment_refs, '[]')",
            "process_evidence": "COALESCE(p.process_refs, '[]')",
        }
    )
    # Items are told apart by their ids, known here: no join, so the evidence's order by member holds.
    code = "CASE p.item_id " + " ".join("WHEN %s THEN %s" for _ in items) + " END"
    code_params = [value for item in items for value in (item.item_id, item.code)]
    sums, sums_params = [], []
    for n, era in enumerate(eras, start=1):
        in_era = "p.item_id IN (" + ", ".join(str(item.item_id) for item in items if item.era_id == era.era_id) + ")"
        sums_params += code_params
        sums += [
            f"SUM(p.strength) FILTER (WHERE {in_era}) AS strength_{n}",
            f"COUNT(*) FILTER (WHERE {in_era} AND p.strength > 0) AS covered_{n}",
            f"SUM(p.n_evidence) FILTER (WHERE {in_era}) AS evidence_{n}",
            f"SUM(p.n_unassessed) FILTER (WHERE {in_era}) AS unassessed_{n}",
            f"{_json_text_object_agg(code, item_json, in_era)} AS items_{n}",
        ]
    # Each era's figures in a member's row; zero where the member has no counted evidence in the era.
    slots = range(1, len(eras) + 1)
    raw = [f"(100.0 * COALESCE(me.strength_{n}, 0) / {era.n_items})" for n, era in zip(slots, eras, strict=True)]
    covered = [f"COALESCE(me.covered_{n}, 0)" for n in slots]
    evidence = [f"COALESCE(me.evidence_{n}, 0)" for n in slots]
    unassessed = [f"COALESCE(me.unassessed_{n}, 0)" for n in slots]
    eras_json, eras_params = _json_text_object_of(
        [(era.key, _round(value, 2)) for era, value in zip(eras, raw, strict=True)]
    )
    components = [_json_text_object({"items": f"COALESCE(me.items_{n}, '{{}}')"}) for n in slots]

    def by_slot(per_era: Sequence[Any], overall: str) -> str:
        """Era n's expression in slot n, the overall one in the last slot."""
        branches = " ".join(f"WHEN {n} THEN {expression}" for n, expression in zip(slots, per_era, strict=True))
        return f"CASE sl.slot {branches} ELSE {overall} END"

    sql = f"""{ctes},
member_eras AS (
    SELECT p.member_id, {", ".join(sums)}
    FROM per_item p
    GROUP BY p.member_id
),
slots (slot) AS (VALUES {", ".join(f"({n})" for n in range(1, len(eras) + 2))}),
era_rows AS (
    SELECT m.id AS member_id, {by_slot([era.era_id for era in eras], "NULL")} AS era_id,
           {by_slot(raw, f"({' + '.join(raw)}) / {len(eras)}")} AS raw_value,
           {by_slot(covered, " + ".join(covered))} AS covered,
           {by_slot([era.n_items for era in eras], str(len(items)))} AS n_items,
           {by_slot(evidence, " + ".join(evidence))} AS n_evidence,
           {by_slot(unassessed, " + ".join(unassessed))} AS n_unassessed,
           {by_slot(components, _json_text_object({"eras": eras_json}))} AS components
    FROM {Member._meta.db_table} m
    CROSS JOIN slots sl
    LEFT JOIN member_eras me ON me.member_id = m.id
    WHERE {members.on("m.id")}
),
fresh AS (
    SELECT member_id, era_id, {_round("raw_value", 2)} AS value,
           {_round("1.0 * covered / n_items", 4)} AS coverage,
           {_round("CASE WHEN n_evidence > 0 THEN 1.0 * n_unassessed / n_evidence ELSE 0 END", 4)} AS uncertainty,
           n_evidence AS evidence_count, {_stored_json("components")} AS components
    FROM era_rows
)"""
    return sql, [*params, *sums_params, *eras_params, *members.params]


def changed_scores_sql(
    methodology: Methodology, resolution: Resolution, items: Sequence[ScoredItem], members: MemberFilter
) -> tuple[str, list[Any]]:
    """The scores of these members as they should be, keeping only those that differ from the stored ones."""
    ctes, params = fresh_scores_sql(methodology, resolution, items, members)
    sql = f"""{ctes}
SELECT s.id AS previous_id, f.member_id, f.era_id, f.value, f.coverage, f.uncertainty, f.evidence_count,
       f.components
FROM fresh f
LEFT JOIN (
    SELECT * FROM {Score._meta.db_table}
    WHERE {members.on("member_id")} AND resolution_id = %s AND methodology_version = %s
) s ON s.member_id = f.member_id AND {_same("s.era_id", "f.era_id")}
WHERE s.id IS NULL OR s.value <> f.value OR s.coverage <> f.coverage OR s.uncertainty <> f.uncertainty
   OR s.evidence_count <> f.evidence_count OR NOT {_same_json("s.components", "f.components")}"""
    return sql, [*params, *members.params, resolution.pk, methodology.version]


def bare_aggregate(*, resolution: Resolution, version: str | None = None) -> tuple[int, float]:
    """The floor a full recompute is measured against: the same evidence and best strengths for all members
    in one statement, with no details, no comparison and no writes. Returns (member-item pairs, sum of strengths).
    """
    items = scored_items(resolution)
    ctes, params = evidence_ctes(
        get_methodology(version), items, resolution.adopted_on.year, ALL_MEMBERS, details=False
    )
    with connection.cursor() as cursor:
        cursor.execute(ctes + " SELECT COUNT(*), SUM(strength) FROM per_item", params)
        pairs, total = cursor.fetchone()
    return int(pairs), float(total or 0)
