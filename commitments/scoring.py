"""Alignment scores: methodology v1, computed set-based in the database for a chunk of members at a time.

The formula is documented in docs/methodology.md; the weights live only in `METHODOLOGIES` below.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
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

TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")
COALESCE_KEY = "commitments:scores:pending-enqueued"


def get_methodology(version: str | None = None) -> Methodology:
    try:
        return METHODOLOGIES[version or CURRENT_VERSION]
    except KeyError:
        raise ValueError(f"Unknown methodology version {version!r}; known: {', '.join(METHODOLOGIES)}") from None


# --- SQL --------------------------------------------------------------------------------------------------


def _grade_case(column: str, grades: Grades) -> str:
    """A CASE giving the grade of a column, NULL when the column holds no grade (ND, NR, NA, withdrawn...)."""
    branches = []
    for code, value in grades:
        assert code.replace("_", "").isalnum(), code  # codes are constants of the methodology, never input
        branches.append(f"WHEN '{code}' THEN {float(value)!r}")
    return f"CASE {column} {' '.join(branches)} ELSE NULL END"


def _string_agg(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"STRING_AGG({expression}, ',')"
    return f"GROUP_CONCAT({expression}, ',')"


def _scoring_sql(methodology: Methodology, member_count: int) -> str:
    """One statement: evidence → best strength per (member, item) → era totals by window, all in the database."""
    m = methodology
    members = ", ".join(["%s"] * member_count)
    ambition = (
        f"COALESCE({_grade_case('c.potential_impact', m.potential_impact)}, "
        f"{_grade_case('c.potential_for_results', m.potential_for_results)})"
    )
    delivery = (
        f"COALESCE({_grade_case('c.completion_end_of_term', m.completion)}, "
        f"{_grade_case('c.completion_midterm', m.completion)})"
    )
    return f"""
WITH items AS (
    SELECT ai.id AS item_id, ai.era_id AS era_id
    FROM {ActionItem._meta.db_table} ai
    WHERE ai.resolution_id = %s AND ai.addressee = '{ActionItem.Addressee.MEMBERS}' AND ai.era_id IS NOT NULL
),
era_items AS (
    SELECT era_id, COUNT(*) AS n_items FROM items GROUP BY era_id
),
graded AS (
    SELECT c.member_id AS member_id, a.action_item_id AS item_id, c.ogp_id AS ref,
           {ambition} AS ambition, {delivery} AS delivery
    FROM {Alignment._meta.db_table} a
    JOIN {Commitment._meta.db_table} c ON c.id = a.commitment_id
    JOIN {ActionPlan._meta.db_table} p ON p.id = c.action_plan_id
    WHERE a.status = '{ReviewStatus.CONFIRMED}' AND p.end_year >= %s AND c.member_id IN ({members})
      AND a.action_item_id IN (SELECT item_id FROM items)
),
evidence AS (
    SELECT member_id, item_id, ref AS commitment_ref, NULL AS process_ref,
           {m.base!r} + {m.ambition_weight!r} * COALESCE(ambition, {m.unassessed!r})
                      + {m.delivery_weight!r} * COALESCE(delivery, {m.unassessed!r}) AS q,
           CASE WHEN ambition IS NULL OR delivery IS NULL THEN 1 ELSE 0 END AS unassessed
    FROM graded
    UNION ALL
    SELECT e.member_id, e.action_item_id, NULL, CAST(e.id AS VARCHAR(20)), {m.process_evidence!r}, 0
    FROM {ProcessEvidence._meta.db_table} e
    LEFT JOIN {ActionPlan._meta.db_table} p ON p.id = e.action_plan_id
    WHERE e.status = '{ReviewStatus.CONFIRMED}' AND (e.action_plan_id IS NULL OR p.end_year >= %s)
      AND e.member_id IN ({members}) AND e.action_item_id IN (SELECT item_id FROM items)
),
per_item AS (
    SELECT member_id, item_id, MAX(q) AS strength, COUNT(*) AS n_evidence, SUM(unassessed) AS n_unassessed,
           {_string_agg("commitment_ref")} AS commitment_refs, {_string_agg("process_ref")} AS process_refs
    FROM evidence GROUP BY member_id, item_id
)
SELECT pi.member_id, i.era_id, pi.item_id, pi.strength, pi.n_evidence, pi.n_unassessed,
       pi.commitment_refs, pi.process_refs,
       100.0 * SUM(pi.strength) OVER w / ei.n_items AS era_value,
       SUM(CASE WHEN pi.strength > 0 THEN 1 ELSE 0 END) OVER w AS era_covered,
       SUM(pi.n_evidence) OVER w AS era_evidence,
       SUM(pi.n_unassessed) OVER w AS era_unassessed
FROM per_item pi
JOIN items i ON i.item_id = pi.item_id
JOIN era_items ei ON ei.era_id = i.era_id
WINDOW w AS (PARTITION BY pi.member_id, i.era_id)
"""


# --- Computing one chunk --------------------------------------------------------------------------------


@dataclass
class EraResult:
    value: float = 0.0
    covered: int = 0
    evidence: int = 0
    unassessed: int = 0
    items: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoredTarget:
    """The items of one resolution that scores are computed over, loaded once per chunk."""

    resolution: Resolution
    eras: list[Era]
    items_by_era: dict[int, list[ActionItem]]


def _targets() -> list[ScoredTarget]:
    items = list(
        ActionItem.objects.filter(addressee=ActionItem.Addressee.MEMBERS, era__isnull=False)
        .select_related("era", "resolution")
        .order_by("resolution_id", "era__order", "order")
    )
    targets: dict[int, ScoredTarget] = {}
    for item in items:
        assert item.era is not None
        target = targets.setdefault(item.resolution_id, ScoredTarget(item.resolution, [], {}))
        if item.era_id not in target.items_by_era:
            target.eras.append(item.era)
            target.items_by_era[item.era.pk] = []
        target.items_by_era[item.era.pk].append(item)
    return list(targets.values())


def _decimal(value: float, places: Decimal) -> Decimal:
    return Decimal(repr(float(value))).quantize(places, rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _era_results(
    target: ScoredTarget, member_ids: Sequence[int], methodology: Methodology
) -> dict[tuple[int, int], EraResult]:
    adoption_year = target.resolution.adopted_on.year
    codes = {item.pk: item.code for items in target.items_by_era.values() for item in items}
    results: dict[tuple[int, int], EraResult] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            _scoring_sql(methodology, len(member_ids)),
            [target.resolution.pk, adoption_year, *member_ids, adoption_year, *member_ids],
        )
        for row in cursor.fetchall():
            member_id, era_id, item_id, strength, n_evidence, n_unassessed, c_refs, p_refs = row[:8]
            era_value, era_covered, era_evidence, era_unassessed = row[8:]
            result = results.get((member_id, era_id))
            if result is None:
                result = results[(member_id, era_id)] = EraResult(
                    float(era_value), int(era_covered), int(era_evidence), int(era_unassessed)
                )
            result.items[codes[item_id]] = {
                "strength": round(float(strength), 4),
                "evidence": int(n_evidence),
                "unassessed": int(n_unassessed),
                "commitments": sorted(c_refs.split(",")) if c_refs else [],
                "process_evidence": sorted((int(pk) for pk in p_refs.split(",")), key=int) if p_refs else [],
            }
    return results


def _components(target: ScoredTarget, era: Era, result: EraResult) -> dict[str, Any]:
    empty = {"strength": 0.0, "evidence": 0, "unassessed": 0, "commitments": [], "process_evidence": []}
    return {
        "items": {item.code: result.items.get(item.code, empty) for item in target.items_by_era[era.pk]},
    }


def _score_values(target_fields: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("value", "coverage", "uncertainty", "evidence_count", "components")
    return tuple(target_fields[key] for key in keys)


@dataclass
class ChunkOutcome:
    members: int = 0
    scores_written: int = 0
    snapshots_written: int = 0


def _build_member_scores(
    target: ScoredTarget, member_id: int, results: dict[tuple[int, int], EraResult], version: str
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    era_values: list[float] = []
    covered = total_items = evidence = unassessed = 0
    for era in target.eras:
        result = results.get((member_id, era.pk), EraResult())
        n_items = len(target.items_by_era[era.pk])
        era_values.append(result.value)
        covered += result.covered
        total_items += n_items
        evidence += result.evidence
        unassessed += result.unassessed
        rows.append(
            {
                "member_id": member_id,
                "resolution_id": target.resolution.pk,
                "era_id": era.pk,
                "methodology_version": version,
                "value": _decimal(result.value, TWO_PLACES),
                "coverage": _decimal(_share(result.covered, n_items), FOUR_PLACES),
                "uncertainty": _decimal(_share(result.unassessed, result.evidence), FOUR_PLACES),
                "evidence_count": result.evidence,
                "components": _components(target, era, result),
            }
        )
    rows.append(
        {
            "member_id": member_id,
            "resolution_id": target.resolution.pk,
            "era_id": None,
            "methodology_version": version,
            "value": _decimal(sum(era_values) / len(era_values), TWO_PLACES),
            "coverage": _decimal(_share(covered, total_items), FOUR_PLACES),
            "uncertainty": _decimal(_share(unassessed, evidence), FOUR_PLACES),
            "evidence_count": evidence,
            "components": {
                "eras": {
                    era.key: float(_decimal(v, TWO_PLACES)) for era, v in zip(target.eras, era_values, strict=True)
                }
            },
        }
    )
    return rows


def recompute_members(*, member_ids: Iterable[int], version: str | None = None) -> ChunkOutcome:
    """Recompute the scores of these members for one methodology version, in one transaction.

    The members' rows are locked first, so two recomputes of the same member never interleave; a score
    row is written only when what it says changed, and each change also writes one snapshot.
    """
    methodology = get_methodology(version)
    now = timezone.now()
    outcome = ChunkOutcome()
    with transaction.atomic():
        ids = list(
            Member.objects.select_for_update(no_key=True)
            .filter(pk__in=sorted(set(member_ids)))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        outcome.members = len(ids)
        if not ids:
            return outcome
        for target in _targets():
            results = _era_results(target, ids, methodology)
            existing = {
                (score.member_id, score.era_id): score
                for score in Score.objects.filter(
                    member_id__in=ids, resolution=target.resolution, methodology_version=methodology.version
                )
            }
            to_create: list[Score] = []
            to_update: list[Score] = []
            snapshots: list[ScoreSnapshot] = []
            for member_id in ids:
                for row in _build_member_scores(target, member_id, results, methodology.version):
                    current = existing.get((member_id, row["era_id"]))
                    if current is not None and _score_values(vars(current)) == _score_values(row):
                        continue
                    if current is None:
                        to_create.append(Score(**row, computed_at=now))
                    else:
                        for name, value in row.items():
                            setattr(current, name, value)
                        current.computed_at = now
                        to_update.append(current)
                    snapshots.append(ScoreSnapshot(**row, computed_at=now))
            Score.objects.bulk_create(to_create, batch_size=1000)
            Score.objects.bulk_update(
                to_update,
                ["value", "coverage", "uncertainty", "evidence_count", "components", "computed_at"],
                batch_size=500,
            )
            ScoreSnapshot.objects.bulk_create(snapshots, batch_size=1000)
            outcome.scores_written += len(to_create) + len(to_update)
            outcome.snapshots_written += len(snapshots)
    return outcome


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


def drain_pending_recomputes(*, version: str | None = None, chunk_size: int | None = None) -> RecomputeRun | None:
    """Recompute every member marked pending, a chunk per transaction; safe to run twice or to lose halfway.

    A chunk's pending rows are locked while it is computed and deleted in the same transaction, so a crash
    leaves them pending, and an edit landing meanwhile waits for the lock and marks the member again.
    """
    methodology = get_methodology(version)
    size = chunk_size or settings.SCORES_CHUNK_SIZE
    pending = PendingRecompute.objects.count()
    if not pending:
        return None
    run = RecomputeRun.objects.create(
        kind=RecomputeRun.Kind.MEMBERS,
        methodology_version=methodology.version,
        status=RecomputeRun.Status.RUNNING,
        chunk_size=size,
        members_total=pending,
        started_at=timezone.now(),
    )
    while True:
        with transaction.atomic():
            rows = list(
                PendingRecompute.objects.select_for_update(skip_locked=True)
                .order_by("member_id")
                .values_list("pk", "member_id")[:size]
            )
            if not rows:
                break
            outcome = recompute_members(member_ids=[member_id for _, member_id in rows], version=methodology.version)
            PendingRecompute.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
            RecomputeRun.objects.filter(pk=run.pk).update(
                members_done=F("members_done") + len(rows), scores_written=F("scores_written") + outcome.scores_written
            )
    run.refresh_from_db()
    run.status = RecomputeRun.Status.DONE
    run.members_total = max(run.members_total, run.members_done)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "members_total", "finished_at"])
    return run


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
    members = Member.objects.filter(pk__gte=first_id)
    if next_first_id is not None:
        members = members.filter(pk__lt=next_first_id)
    with transaction.atomic():
        outcome = recompute_members(member_ids=members.values_list("pk", flat=True), version=run.methodology_version)
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


def latest_scores(*, member: Member, version: str | None = None) -> "list[Score]":
    return list(
        Score.objects.filter(member=member, methodology_version=get_methodology(version).version)
        .select_related("era", "resolution")
        .order_by("resolution_id", "era__order")
    )


def score_history(*, member: Member, era: Era | None, version: str | None = None) -> "list[ScoreSnapshot]":
    return list(
        ScoreSnapshot.objects.filter(
            member=member, era=era, methodology_version=get_methodology(version).version
        ).order_by("computed_at", "pk")
    )
