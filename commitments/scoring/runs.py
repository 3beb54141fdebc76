"""Recompute runs: members marked pending after edits, drained in chunks; full recomputes fanned out in chunks.

Every function here is safe to run twice or to lose halfway; none of them enqueues work (see
`commitments.followup` and `commitments.tasks`).
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from commitments.followup import request_full_recompute
from commitments.models import Member, PendingRecompute, RecomputeRun, Score
from commitments.scoring.compute import ChunkOutcome, recompute_member_range, recompute_members
from commitments.scoring.methodology import CURRENT_VERSION, METHODOLOGIES, get_methodology


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


def plan_full_recompute(*, run_id: int) -> list[tuple[int, int, int | None]]:
    """Split all members into chunks of consecutive ids: (index, first id, next chunk's first id or None).

    Only the chunk boundaries are read, so planning takes the same memory for any number of members.
    Planning again (a redelivered task, or the sweep after a lost worker) returns the same chunks less
    those already done, and leaves the run's progress alone.
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
    return [chunk for chunk in chunks if chunk[0] not in run.chunks_done]


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
    return request_full_recompute(version=CURRENT_VERSION)
