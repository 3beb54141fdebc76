"""Computing one chunk of members' scores: the database computes them, and only what changed is written."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from commitments.events import scores_changed
from commitments.models import Member, Score, ScoreSnapshot
from commitments.scoring.methodology import Methodology, get_methodology
from commitments.scoring.sql import (
    MemberFilter,
    ScoredItem,
    changed_scores_sql,
    fresh_scores_sql,
    is_postgres,
    scored_items,
)
from resolutions.models import ActionItem, Resolution

SCORE_COLUMNS = "member_id, resolution_id, era_id, methodology_version, value, coverage, uncertainty, "
SCORE_COLUMNS += "evidence_count, components, computed_at"
CHANGES_TABLE = "score_changes"
CHANGED_COLUMNS = ("value", "coverage", "uncertainty", "evidence_count", "components")


@dataclass
class ChunkOutcome:
    members: int = 0
    scores_written: int = 0
    snapshots_written: int = 0
    changed_member_ids: set[int] = field(default_factory=set)


def _insert_scores_sql(source: str, *, ctes: str = "") -> str:
    """New scores from `source` (member_id, era_id and the changed columns); parameters after those of the
    CTEs: resolution, version, computation time."""
    return (
        f"INSERT INTO {Score._meta.db_table} ({SCORE_COLUMNS}) {ctes} "
        f"SELECT member_id, %s, era_id, %s, {', '.join(CHANGED_COLUMNS)}, %s FROM {source}"
    )


def _write_changes(cursor: Any, resolution: Resolution, version: str, computed_at: Any) -> tuple[int, int, set[int]]:
    """Apply the changed scores: a replaced value goes to the history first, then the score takes the new one.

    Unchanged scores are not touched, and a statement with nothing to do is not run. Returns (scores
    written, snapshots written, the members whose scores changed).
    """
    score, snapshot = Score._meta.db_table, ScoreSnapshot._meta.db_table
    cursor.execute(f"SELECT member_id, COUNT(*), COUNT(previous_id) FROM {CHANGES_TABLE} GROUP BY member_id")
    per_member = cursor.fetchall()
    changed = sum(row[1] for row in per_member)
    replaced = sum(row[2] for row in per_member)
    if replaced:
        if is_postgres():
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
    return int(changed), int(replaced), {int(row[0]) for row in per_member}


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
    ctes, params = fresh_scores_sql(methodology, resolution, items, members)
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
            if is_postgres():
                # A chunk is already one of many running at once: no parallel workers, and no JIT, whose
                # compilation costs more than it saves on a chunk's few thousand members.
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                cursor.execute("SET LOCAL jit = off")
            for resolution in _scored_resolutions():
                items = scored_items(resolution)
                if not _has_scores(cursor, resolution, methodology.version, member_filter):
                    written = _insert_all(cursor, methodology, resolution, items, member_filter, computed_at)
                    outcome.scores_written += written
                    if written:
                        outcome.changed_member_ids.update(ids)
                    continue
                sql, params = changed_scores_sql(methodology, resolution, items, member_filter)
                cursor.execute(f"DROP TABLE IF EXISTS {CHANGES_TABLE}")
                cursor.execute(f"CREATE TEMPORARY TABLE {CHANGES_TABLE} AS {sql}", params)
                scores, snapshots, changed = _write_changes(cursor, resolution, methodology.version, computed_at)
                cursor.execute(f"DROP TABLE {CHANGES_TABLE}")
                outcome.scores_written += scores
                outcome.snapshots_written += snapshots
                outcome.changed_member_ids |= changed
        if outcome.changed_member_ids:
            scores_changed.send(
                sender=Score,
                member_ids=sorted(outcome.changed_member_ids),
                methodology_version=methodology.version,
            )
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
