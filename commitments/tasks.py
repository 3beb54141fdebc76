"""Thin Celery tasks: each takes primary keys, calls one domain function, and is safe to run twice.

Work is requested by domain functions as durable markers (`commitments.followup`); `enqueue_requested_work`
below turns each request into a task once the write commits, and `sweep_follow_up_work`, on a schedule,
enqueues again whatever a lost enqueue or a lost worker left behind. Periodic work is scheduled in one
place, `CELERY_BEAT_SCHEDULE` in the settings.
"""

import datetime
from pathlib import Path
from typing import Any

from celery import group, shared_task
from django.conf import settings
from django.dispatch import receiver

from commitments import followup
from commitments.importer.runs import claim_run, delete_expired_uploads, execute_run
from commitments.scoring import runs
from commitments.suggestions.model import train_suggestion_models, untagged_commitments
from commitments.suggestions.suggest import CHUNK_SIZE, pending_chunks, suggest_marked
from ogp_tracker.celery import CoalescedTask


@shared_task(name="commitments.suggest_pending_alignments", bind=True, base=CoalescedTask)
def suggest_pending_alignments(self: Any, chunk_size: int = CHUNK_SIZE) -> int:
    """Split the commitments marked pending into chunks and fan out a chunk task each; enqueued once per burst.

    The markers stay until their chunk has committed, so a lost chunk is planned again by the sweep; a chunk
    planned twice does its work once (`suggest_marked`). Returns the number of chunks.
    """
    self.forget_coalesced()
    chunks = pending_chunks(chunk_size=chunk_size)
    if chunks:
        group(suggest_alignment_chunk.s(chunk) for chunk in chunks).apply_async()
    return len(chunks)


@shared_task(name="commitments.suggest_alignment_chunk")
def suggest_alignment_chunk(commitment_ids: list[int]) -> str:
    """Suggest for one chunk of marked commitments, in one transaction that deletes their markers."""
    return str(suggest_marked(commitment_ids))


# Training reads every tagged commitment's text; it may take longer than the usual task limits.
@shared_task(name="commitments.retrain_suggestion_model", soft_time_limit=3300, time_limit=3600)
def retrain_suggestion_model() -> str:
    """Retrain on tags and reviewers' decisions; when a model was stored, the commitments without tags (the
    only ones a model suggests for) are suggested for again."""
    report = train_suggestion_models()
    if not report.trained:
        return "no model trained"
    ids = untagged_commitments().order_by("pk").values_list("pk", flat=True)
    return f"{followup.request_suggestions(ids)} commitments marked for suggestions"


@shared_task(acks_late=True, name="commitments.import_ogp_file")
def import_ogp_file(import_run_id: int) -> str:
    """Run a recorded import once; a second delivery of a run that is running or finished does nothing,
    unless its claim is older than the task time limit: then its worker was lost, and this one takes over."""
    stale_after = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    run = claim_run(run_id=import_run_id, stale_after=stale_after)
    if run is None:
        return "already claimed"
    report = execute_run(run=run, path=Path(run.file.path))
    return "ok" if report.ok else "rejected"


@shared_task(name="commitments.delete_expired_import_uploads")
def delete_expired_import_uploads() -> int:
    """Scheduled: uploaded import files past their retention period are deleted; the runs keep their reports."""
    return delete_expired_uploads()


@shared_task(name="commitments.recompute_pending_scores", bind=True, base=CoalescedTask)
def recompute_pending_scores(self: Any) -> dict[str, int]:
    """Recompute every member marked by `followup.request_recompute`; enqueued once per burst of edits."""
    self.forget_coalesced()
    run = runs.drain_pending_recomputes()
    return {"run": run.pk if run else 0, "members": run.members_done if run else 0}


@shared_task(name="commitments.recompute_all_scores")
def recompute_all_scores(version: str | None = None) -> int:
    """The scheduled full recompute: record a run; its planning is enqueued once the run is committed."""
    return followup.request_full_recompute(version=version).pk


@shared_task(name="commitments.ensure_current_methodology_scored")
def ensure_current_methodology_scored() -> int:
    """Scheduled: a newly deployed methodology version gets its full recompute without anyone asking."""
    run = runs.ensure_current_methodology_scored()
    return run.pk if run else 0


@shared_task(name="commitments.plan_score_recompute")
def plan_score_recompute(run_id: int) -> int:
    """Split a full recompute into chunks and fan out the chunks not done yet."""
    chunks = runs.plan_full_recompute(run_id=run_id)
    if chunks:
        group(recompute_score_chunk.s(run_id, *chunk) for chunk in chunks).apply_async()
    return len(chunks)


@shared_task(name="commitments.recompute_score_chunk", bind=True, max_retries=3, default_retry_delay=10)
def recompute_score_chunk(self: Any, run_id: int, index: int, first_id: int, next_first_id: int | None) -> int:
    try:
        outcome = runs.recompute_chunk(run_id=run_id, index=index, first_id=first_id, next_first_id=next_first_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            runs.record_run_failure(run_id=run_id, error=f"chunk {index}: {exc!r}")
            raise
        raise self.retry(exc=exc) from exc
    return outcome.members


@shared_task(name="commitments.sweep_follow_up_work")
def sweep_follow_up_work() -> dict[str, Any]:
    """Scheduled: enqueue again every marker and run that a lost enqueue or a lost worker left behind."""
    runs.fail_lost_drains()
    work = followup.take_overdue_work()
    if work.recomputes:
        recompute_pending_scores.delay()
    if work.suggestions:
        suggest_pending_alignments.delay()
    for run_id in work.full_recomputes:
        plan_score_recompute.delay(run_id)
    for run_id in work.imports:
        import_ogp_file.delay(run_id)
    return {
        "recomputes": work.recomputes,
        "suggestions": work.suggestions,
        "full_recomputes": work.full_recomputes,
        "imports": work.imports,
        "given_up": work.failed,
    }


ENQUEUE = {
    followup.RECOMPUTE: lambda run_id: recompute_pending_scores.delay(),
    followup.SUGGESTIONS: lambda run_id: suggest_pending_alignments.delay(),
    followup.FULL_RECOMPUTE: lambda run_id: plan_score_recompute.delay(run_id),
    followup.IMPORT: lambda run_id: import_ogp_file.delay(run_id),
}


@receiver(followup.work_requested, dispatch_uid="commitments.tasks.enqueue_requested_work")
def enqueue_requested_work(sender: object, *, kind: str, run_id: int | None = None, **kwargs: Any) -> None:
    """Enqueue the task for a marker just recorded; the task class waits for the transaction to commit."""
    ENQUEUE[kind](run_id)
