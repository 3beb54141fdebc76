"""Thin Celery tasks over commitments.scoring; each takes primary keys and is safe to run twice."""

from typing import Any

from celery import group, shared_task

from commitments import scoring


@shared_task(name="commitments.recompute_pending_scores")
def recompute_pending_scores() -> dict[str, int]:
    """Recompute every member marked by `request_member_recompute`; enqueued once per burst of edits."""
    scoring.forget_pending_drain()
    run = scoring.drain_pending_recomputes()
    return {"run": run.pk if run else 0, "members": run.members_done if run else 0}


@shared_task(name="commitments.recompute_all_scores")
def recompute_all_scores(version: str | None = None) -> int:
    """The scheduled full recompute: record a run, then fan its chunks out across workers."""
    run = scoring.start_full_recompute(version=version)
    return run.pk


@shared_task(name="commitments.ensure_current_methodology_scored")
def ensure_current_methodology_scored() -> int:
    """Scheduled: a newly deployed methodology version gets its full recompute without anyone asking."""
    run = scoring.ensure_current_methodology_scored()
    return run.pk if run else 0


@shared_task(name="commitments.plan_score_recompute")
def plan_score_recompute(run_id: int) -> int:
    chunks = scoring.plan_full_recompute(run_id=run_id)
    group(recompute_score_chunk.s(run_id, *chunk) for chunk in chunks).apply_async()
    return len(chunks)


@shared_task(name="commitments.recompute_score_chunk", bind=True, max_retries=3, default_retry_delay=10)
def recompute_score_chunk(self: Any, run_id: int, index: int, first_id: int, next_first_id: int | None) -> int:
    try:
        outcome = scoring.recompute_chunk(run_id=run_id, index=index, first_id=first_id, next_first_id=next_first_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            scoring.record_run_failure(run_id=run_id, error=f"chunk {index}: {exc!r}")
            raise
        raise self.retry(exc=exc) from exc
    return outcome.members
