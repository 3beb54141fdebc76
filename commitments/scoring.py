"""Alignment scores: methodology v1, computed set-based in the database for a chunk of members at a time.

The formula is documented in docs/methodology.md; the weights live only in `METHODOLOGIES` below.
"""

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Member,
    PendingRecompute,
    ProcessEvidence,
    RecomputeRun,
    ReviewStatus,
    Score,
    ScoreFields,
    ScoreSnapshot,
)
from resolutions.models import ActionItem, Era, Resolution

Grades = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Methodology:
    """The weights of one methodology version; a change of any of them is a new version.

    q(commitment) = base + ambition_weight * ambition + delivery_weight * delivery, where ambition comes
    from the potential impact grade, else the potential for results grade, and delivery from completion at
    end of term, else at mid-term. A component with no grade in either source counts `unassessed`.
    A confirmed process evidence counts `process_evidence`.
    """

    version: str
    base: float
    ambition_weight: float
    delivery_weight: float
    unassessed: float
    process_evidence: float
    potential_impact: Grades
    potential_for_results: Grades
    completion: Grades
    notes: str = field(default="", compare=False)


METHODOLOGY_V1 = Methodology(
    version="v1",
    base=0.5,
    ambition_weight=0.25,
    delivery_weight=0.25,
    unassessed=0.5,
    process_evidence=1.0,
    potential_impact=(("none", 0.0), ("minor", 1 / 3), ("moderate", 2 / 3), ("transformative", 1.0)),
    potential_for_results=(("unclear", 0.0), ("modest", 0.5), ("substantial", 1.0)),
    completion=(("not_started", 0.0), ("limited", 1 / 3), ("substantial", 2 / 3), ("complete", 1.0)),
    notes="DESIGN.md, Alignment scores (methodology v1).",
)

# Old versions stay here so their scores stay readable and reproducible; the last one is current.
METHODOLOGIES: dict[str, Methodology] = {m.version: m for m in (METHODOLOGY_V1,)}
CURRENT_VERSION = METHODOLOGY_V1.version

COALESCE_KEY = "commitments:scores:pending-enqueued"


def get_methodology(version: str | None = None) -> Methodology:
    try:
        return METHODOLOGIES[version or CURRENT_VERSION]
    except KeyError:
        raise ValueError(f"Unknown methodology version {version!r}; known: {', '.join(METHODOLOGIES)}") from None


# --- SQL --------------------------------------------------------------------------------------------------
# One vocabulary, two dialects: PostgreSQL in production, SQLite for the embedded default.


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# JSON is built as text and stored as that text (`JSONTextField`): PostgreSQL's JSONB constructors
# re-encode every nested level, which cost more than all the arithmetic of a score, and parsing the text
# into JSONB cost a tenth of a full recompute. Values are SQL expressions that are either numbers or JSON
# text; keys are constants or JSON-escaped.


def _json_text_object(fields: dict[str, str]) -> str:
    """A JSON object, as text, from constant keys and values that are numbers or JSON text."""
    assert all(key.isidentifier() for key in fields), fields  # keys are constants of this module, never input
    if _postgres():
        parts = " || ', ' || ".join(f"'{json.dumps(key)}: ' || CAST({value} AS TEXT)" for key, value in fields.items())
        return f"('{{' || {parts} || '}}')"
    return "JSON_OBJECT(" + ", ".join(f"'{key}', JSON({value})" for key, value in fields.items()) + ")"


def _json_text_object_of(pairs: Sequence[tuple[str, str]]) -> tuple[str, list[str]]:
    """A JSON object, as text, with keys that are data, passed as parameters, and values as above."""
    if _postgres():
        parts = " || ', ' || ".join(f"%s || CAST({value} AS TEXT)" for _, value in pairs)
        return f"('{{' || {parts} || '}}')", [f"{json.dumps(key)}: " for key, _ in pairs]
    return "JSON_OBJECT(" + ", ".join(f"%s, JSON({value})" for _, value in pairs) + ")", [key for key, _ in pairs]


def _json_text_object_agg(key: str, value: str, where: str) -> str:
    """An aggregate JSON object, as text, of the (text key, JSON text or number value) pairs of the rows
    where `where` holds; NULL or an empty object if there are none."""
    if _postgres():
        pair = f"CAST(TO_JSON({key}) AS TEXT) || ': ' || CAST({value} AS TEXT)"
        return f"'{{' || STRING_AGG({pair}, ', ') FILTER (WHERE {where}) || '}}'"
    return f"JSON_GROUP_OBJECT({key}, JSON({value})) FILTER (WHERE {where})"


def _json_text_array_agg(expression: str) -> str:
    """An aggregate JSON array, as text, of the non-null values in the order they come in; NULL if none."""
    if _postgres():
        return f"CAST(JSON_AGG({expression}) FILTER (WHERE {expression} IS NOT NULL) AS TEXT)"
    return f"JSON_GROUP_ARRAY({expression}) FILTER (WHERE {expression} IS NOT NULL)"


def _stored_json(text: str) -> str:
    """JSON text checked and typed as the value stored in a `JSONTextField`."""
    return f"CAST({text} AS JSON)" if _postgres() else f"JSON({text})"


def _same_json(left: str, right: str) -> str:
    """Whether two stored JSON documents say the same: as text first, which is all it takes when the
    documents were written by the same code; as JSONB only when the texts differ (written by another
    version of this code, say, or converted from JSONB), so that a new spelling alone changes no score.
    SQLite has no JSONB: there the same keys in the same order, spaced otherwise, are the same."""
    if _postgres():
        return f"(CAST({left} AS TEXT) = CAST({right} AS TEXT) OR CAST({left} AS JSONB) = CAST({right} AS JSONB))"
    return f"({left} = {right} OR JSON({left}) = JSON({right}))"


def _round(expression: str, places: int) -> str:
    return f"ROUND(CAST({expression} AS NUMERIC), {places})" if _postgres() else f"ROUND({expression}, {places})"


def _same(left: str, right: str) -> str:
    return f"{left} IS NOT DISTINCT FROM {right}" if _postgres() else f"{left} IS {right}"


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


def _scored_items(resolution: Resolution) -> list[ScoredItem]:
    """The member-directed action items of a resolution that belong to an era: what the scores are over."""
    rows = (
        ActionItem.objects.filter(resolution=resolution, addressee=ActionItem.Addressee.MEMBERS, era__isnull=False)
        .order_by("era__order", "order", "pk")
        .values_list("pk", "era_id", "code", "era__key")
    )
    return [ScoredItem(*row) for row in rows]


def _evidence_ctes(
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


def _fresh_scores_sql(
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
    ctes, params = _evidence_ctes(methodology, items, resolution.adopted_on.year, members, details=True)
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


def _changed_scores_sql(
    methodology: Methodology, resolution: Resolution, items: Sequence[ScoredItem], members: MemberFilter
) -> tuple[str, list[Any]]:
    """The scores of these members as they should be, keeping only those that differ from the stored ones."""
    ctes, params = _fresh_scores_sql(methodology, resolution, items, members)
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
    items = _scored_items(resolution)
    ctes, params = _evidence_ctes(
        get_methodology(version), items, resolution.adopted_on.year, ALL_MEMBERS, details=False
    )
    with connection.cursor() as cursor:
        cursor.execute(ctes + " SELECT COUNT(*), SUM(strength) FROM per_item", params)
        pairs, total = cursor.fetchone()
    return int(pairs), float(total or 0)


# --- Computing one chunk --------------------------------------------------------------------------------

SCORE_COLUMNS = "member_id, resolution_id, era_id, methodology_version, value, coverage, uncertainty, "
SCORE_COLUMNS += "evidence_count, components, computed_at"
CHANGES_TABLE = "score_changes"
CHANGED_COLUMNS = ("value", "coverage", "uncertainty", "evidence_count", "components")


@dataclass
class ChunkOutcome:
    members: int = 0
    scores_written: int = 0
    snapshots_written: int = 0


def _insert_scores_sql(source: str, *, ctes: str = "") -> str:
    """New scores from `source` (member_id, era_id and the changed columns); parameters after those of the
    CTEs: resolution, version, computation time."""
    return (
        f"INSERT INTO {Score._meta.db_table} ({SCORE_COLUMNS}) {ctes} "
        f"SELECT member_id, %s, era_id, %s, {', '.join(CHANGED_COLUMNS)}, %s FROM {source}"
    )


def _write_changes(cursor: Any, resolution: Resolution, version: str, computed_at: Any) -> tuple[int, int]:
    """Apply the changed scores: a replaced value goes to the history first, then the score takes the new one.

    Unchanged scores are not touched, and a statement with nothing to do is not run. Returns (scores
    written, snapshots written).
    """
    score, snapshot = Score._meta.db_table, ScoreSnapshot._meta.db_table
    cursor.execute(f"SELECT COUNT(*), COUNT(previous_id) FROM {CHANGES_TABLE}")
    changed, replaced = cursor.fetchone()
    if replaced:
        if _postgres():
            # A temporary table has no statistics until analysed: without them the planner joins the
            # whole score table to update the four scores of one edited member.
            cursor.execute(f"ANALYZE {CHANGES_TABLE}")
        cursor.execute(
            f"INSERT INTO {snapshot} ({SCORE_COLUMNS}, superseded_at) SELECT {SCORE_COLUMNS}, %s FROM {score} "
            f"WHERE id IN (SELECT previous_id FROM {CHANGES_TABLE} WHERE previous_id IS NOT NULL)",
            [computed_at],
        )
        assignments = ", ".join(f"{column} = ch.{column}" for column in CHANGED_COLUMNS)
        cursor.execute(
            f"UPDATE {score} SET {assignments}, computed_at = %s FROM {CHANGES_TABLE} ch "
            f"WHERE {score}.id = ch.previous_id",
            [computed_at],
        )
    if changed > replaced:
        cursor.execute(
            _insert_scores_sql(f"{CHANGES_TABLE} WHERE previous_id IS NULL"), [resolution.pk, version, computed_at]
        )
    return int(changed), int(replaced)


def _has_scores(cursor: Any, resolution: Resolution, version: str, members: MemberFilter) -> bool:
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {Score._meta.db_table} WHERE {members.on('member_id')} "
        "AND resolution_id = %s AND methodology_version = %s)",
        [*members.params, resolution.pk, version],
    )
    return bool(cursor.fetchone()[0])


def _insert_all(
    cursor: Any,
    methodology: Methodology,
    resolution: Resolution,
    items: Sequence[ScoredItem],
    members: MemberFilter,
    computed_at: Any,
) -> int:
    """A chunk's first computation: nothing stored to compare with or replace, so every score goes straight in."""
    ctes, params = _fresh_scores_sql(methodology, resolution, items, members)
    cursor.execute(_insert_scores_sql("fresh", ctes=ctes), [*params, resolution.pk, methodology.version, computed_at])
    return int(cursor.rowcount)


def _scored_resolutions() -> list[Resolution]:
    return list(
        Resolution.objects.filter(
            action_items__addressee=ActionItem.Addressee.MEMBERS, action_items__era__isnull=False
        ).distinct()
    )


def _recompute(members: QuerySet[Member], member_filter: MemberFilter, version: str | None) -> ChunkOutcome:
    methodology = get_methodology(version)
    computed_at = connection.ops.adapt_datetimefield_value(timezone.now())
    outcome = ChunkOutcome()
    with transaction.atomic():
        ids = list(members.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
        outcome.members = len(ids)
        if not ids:
            return outcome
        with connection.cursor() as cursor:
            if _postgres():
                # A chunk is already one of many running at once: no parallel workers, and no JIT, whose
                # compilation costs more than it saves on a chunk's few thousand members.
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                cursor.execute("SET LOCAL jit = off")
            for resolution in _scored_resolutions():
                items = _scored_items(resolution)
                if not _has_scores(cursor, resolution, methodology.version, member_filter):
                    outcome.scores_written += _insert_all(
                        cursor, methodology, resolution, items, member_filter, computed_at
                    )
                    continue
                sql, params = _changed_scores_sql(methodology, resolution, items, member_filter)
                cursor.execute(f"DROP TABLE IF EXISTS {CHANGES_TABLE}")
                cursor.execute(f"CREATE TEMPORARY TABLE {CHANGES_TABLE} AS {sql}", params)
                scores, snapshots = _write_changes(cursor, resolution, methodology.version, computed_at)
                cursor.execute(f"DROP TABLE {CHANGES_TABLE}")
                outcome.scores_written += scores
                outcome.snapshots_written += snapshots
    return outcome


def recompute_members(*, member_ids: Iterable[int], version: str | None = None) -> ChunkOutcome:
    """Recompute the scores of these members for one methodology version, in one transaction.

    The members' rows are locked first, so two recomputes of the same member never interleave; the
    database computes every score, and writes a score row and a snapshot only where something changed.
    """
    ids = sorted({int(pk) for pk in member_ids})
    return _recompute(Member.objects.filter(pk__in=ids), MemberFilter.ids(ids), version)


def recompute_member_range(*, first_id: int, next_first_id: int | None, version: str | None = None) -> ChunkOutcome:
    members = Member.objects.filter(pk__gte=first_id)
    if next_first_id is not None:
        members = members.filter(pk__lt=next_first_id)
    return _recompute(members, MemberFilter.id_range(first_id, next_first_id), version)


# --- Incremental recomputes, coalesced ------------------------------------------------------------------


def _coalesce_key() -> str:
    from ogp_tracker.celery import app

    return f"{COALESCE_KEY}:{app.conf.task_default_queue}"


def _enqueue_pending_drain() -> None:
    from commitments.tasks import recompute_pending_scores

    # Only the first edit of a burst enqueues; the task clears the key before it reads the pending rows.
    if cache.add(_coalesce_key(), "1", timeout=settings.SCORES_COALESCE_KEY_TIMEOUT):
        recompute_pending_scores.apply_async(countdown=settings.SCORES_COALESCE_SECONDS)


def request_member_recompute(member_ids: Iterable[int]) -> None:
    """Mark members whose scores must be recomputed, and enqueue one recompute when the transaction commits.

    The hook for every change that touches scores: commitments, IRM assessments, alignments, evidence.
    A burst of calls, in one transaction or in many quick ones, makes one recompute per member.
    """
    ids = sorted({int(pk) for pk in member_ids})
    if not ids:
        return
    now = timezone.now()
    PendingRecompute.objects.bulk_create(
        [PendingRecompute(member_id=pk, requested_at=now) for pk in ids],
        update_conflicts=True,
        unique_fields=["member"],
        update_fields=["requested_at"],
    )
    transaction.on_commit(_enqueue_pending_drain)


def forget_pending_drain() -> None:
    """Called by the drain task as it starts, so edits made from now on enqueue another drain."""
    cache.delete(_coalesce_key())


def live_versions() -> list[str]:
    """The methodology versions whose scores are kept up to date: the current one, and every older version
    still registered in `METHODOLOGIES` that has scores, so that old versions stay readable and right."""
    stored = set(Score.objects.order_by().values_list("methodology_version", flat=True).distinct())
    return [version for version in METHODOLOGIES if version == CURRENT_VERSION or version in stored]


def drain_pending_recomputes(*, version: str | None = None, chunk_size: int | None = None) -> RecomputeRun | None:
    """Recompute every member marked pending, a chunk per transaction; safe to run twice or to lose halfway.

    Without `version`, each chunk is recomputed for every live version (`live_versions`), in the same
    transaction. A chunk's pending rows are locked while it is computed and deleted in the same
    transaction, so a crash leaves them pending, and an edit landing meanwhile waits for the lock and
    marks the member again.
    """
    versions = [get_methodology(version).version] if version else live_versions()
    size = chunk_size or settings.SCORES_CHUNK_SIZE
    fail_lost_drains()
    pending = PendingRecompute.objects.count()
    if not pending:
        return None
    run = RecomputeRun.objects.create(
        kind=RecomputeRun.Kind.MEMBERS,
        methodology_version=", ".join(versions)[: RecomputeRun._meta.get_field("methodology_version").max_length],
        status=RecomputeRun.Status.RUNNING,
        chunk_size=size,
        members_total=pending,
        started_at=timezone.now(),
    )
    try:
        _drain(run, versions, size)
    except Exception as exc:
        record_run_failure(run_id=run.pk, error=repr(exc))
        raise
    run.refresh_from_db()
    run.status = RecomputeRun.Status.DONE
    run.members_total = max(run.members_total, run.members_done)
    run.finished_at = timezone.now()
    run.error = ""
    run.save(update_fields=["status", "members_total", "finished_at", "error"])
    return run


LOST_DRAIN = "Its worker was lost: still running after the task time limit. Its members stayed pending."


def fail_lost_drains() -> int:
    """Show as failed the recomputes after edits still shown running past the task time limit, which would
    have stopped them: their worker was lost (killed, or its machine stopped). What they had not finished
    is still pending, and the drain calling this recomputes it. Returns how many were marked."""
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    now = timezone.now()
    return RecomputeRun.objects.filter(
        kind=RecomputeRun.Kind.MEMBERS, status=RecomputeRun.Status.RUNNING, started_at__lt=now - limit
    ).update(status=RecomputeRun.Status.FAILED, finished_at=now, error=LOST_DRAIN)


def _drain(run: RecomputeRun, versions: list[str], size: int) -> None:
    while True:
        with transaction.atomic():
            rows = list(
                PendingRecompute.objects.select_for_update(skip_locked=True)
                .order_by("member_id")
                .values_list("pk", "member_id")[:size]
            )
            if not rows:
                break
            written = 0
            for version in versions:
                outcome = recompute_members(member_ids=[member_id for _, member_id in rows], version=version)
                written += outcome.scores_written
            PendingRecompute.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
            RecomputeRun.objects.filter(pk=run.pk).update(
                members_done=F("members_done") + len(rows), scores_written=F("scores_written") + written
            )


# --- Full recompute, in chunks ----------------------------------------------------------------------------


def start_full_recompute(
    *, version: str | None = None, requested_by_id: int | None = None, chunk_size: int | None = None
) -> RecomputeRun:
    """Record a full recompute and enqueue its planning once the transaction commits."""
    from commitments.tasks import plan_score_recompute

    run = RecomputeRun(
        kind=RecomputeRun.Kind.FULL,
        methodology_version=get_methodology(version).version,
        chunk_size=chunk_size or settings.SCORES_CHUNK_SIZE,
        requested_by_id=requested_by_id,
    )
    run.full_clean()
    run.save()
    transaction.on_commit(lambda: plan_score_recompute.delay(run.pk))
    return run


def plan_full_recompute(*, run_id: int) -> list[tuple[int, int, int | None]]:
    """Split all members into chunks of consecutive ids: (index, first id, next chunk's first id or None).

    Only the chunk boundaries are read, so planning takes the same memory for any number of members.
    Planning again returns the same chunks and leaves the run's progress alone.
    """
    with transaction.atomic():
        run = RecomputeRun.objects.select_for_update().get(pk=run_id)
        table = Member._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM {table}) ranked "
                "WHERE (rn - 1) %% %s = 0 ORDER BY id",
                [run.chunk_size],
            )
            starts = [row[0] for row in cursor.fetchall()]
        chunks = [
            (index, start, starts[index + 1] if index + 1 < len(starts) else None) for index, start in enumerate(starts)
        ]
        if run.chunks_total is None:
            run.chunks_total = len(chunks)
            run.members_total = Member.objects.count()
            run.status = RecomputeRun.Status.DONE if not chunks else RecomputeRun.Status.RUNNING
            run.started_at = timezone.now()
            if not chunks:
                run.finished_at = run.started_at
            run.save(update_fields=["chunks_total", "members_total", "status", "started_at", "finished_at"])
    return chunks


def recompute_chunk(*, run_id: int, index: int, first_id: int, next_first_id: int | None) -> ChunkOutcome:
    """Recompute one chunk of a full run and record its progress once, however often it runs."""
    run = RecomputeRun.objects.get(pk=run_id)
    with transaction.atomic():
        outcome = recompute_member_range(
            first_id=first_id, next_first_id=next_first_id, version=run.methodology_version
        )
        run = RecomputeRun.objects.select_for_update().get(pk=run_id)
        if index not in run.chunks_done:
            run.chunks_done = sorted([*run.chunks_done, index])
            run.members_done += outcome.members
            run.scores_written += outcome.scores_written
            if run.chunks_total is not None and len(run.chunks_done) >= run.chunks_total:
                run.status = RecomputeRun.Status.DONE
                run.finished_at = timezone.now()
            run.save(update_fields=["chunks_done", "members_done", "scores_written", "status", "finished_at"])
    return outcome


def record_run_failure(*, run_id: int, error: str) -> None:
    RecomputeRun.objects.filter(pk=run_id).exclude(status=RecomputeRun.Status.DONE).update(
        status=RecomputeRun.Status.FAILED, error=error[:4000]
    )


def run_full_recompute_in_process(
    *, version: str | None = None, chunk_size: int | None = None, requested_by_id: int | None = None
) -> RecomputeRun:
    """The same chunks as the Celery fan-out, run one after the other here (management command, benchmark)."""
    run = RecomputeRun.objects.create(
        kind=RecomputeRun.Kind.FULL,
        methodology_version=get_methodology(version).version,
        chunk_size=chunk_size or settings.SCORES_CHUNK_SIZE,
        requested_by_id=requested_by_id,
    )
    for index, first_id, next_first_id in plan_full_recompute(run_id=run.pk):
        recompute_chunk(run_id=run.pk, index=index, first_id=first_id, next_first_id=next_first_id)
    run.refresh_from_db()
    return run


def ensure_current_methodology_scored() -> RecomputeRun | None:
    """Start the first full recompute of the current methodology version, once, after it is deployed."""
    started = RecomputeRun.objects.filter(kind=RecomputeRun.Kind.FULL, methodology_version=CURRENT_VERSION).exclude(
        status=RecomputeRun.Status.FAILED
    )
    if started.exists():
        return None
    return start_full_recompute(version=CURRENT_VERSION)


def member_scores(*, member: Member, version: str | None = None) -> QuerySet[Score]:
    """A member's current scores for one methodology version, eras in order, overall last."""
    return (
        Score.objects.filter(member=member, methodology_version=get_methodology(version).version)
        .select_related("era", "resolution")
        .order_by("resolution_id", F("era__order").asc(nulls_last=True))
    )


def score_history(
    *, member: Member, era: Era | None, resolution: Resolution | None = None, version: str | None = None
) -> list[ScoreFields]:
    """Every value a member's era (or overall, with `era=None`) score has had, oldest first, ending with the
    current one: the replaced values from the snapshots, then the score itself."""
    version = get_methodology(version).version
    snapshots = ScoreSnapshot.objects.filter(member=member, era=era, methodology_version=version)
    current = Score.objects.filter(member=member, era=era, methodology_version=version)
    if resolution is not None:
        snapshots, current = snapshots.filter(resolution=resolution), current.filter(resolution=resolution)
    return [*snapshots.order_by("computed_at", "pk"), *current.order_by("resolution_id")]
