"""Thin Celery tasks: each takes primary keys, calls one domain function, and is safe to run twice."""

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from celery import group, shared_task
from django.conf import settings
from django.db import transaction

from commitments import scoring
from commitments.import_runs import claim_run, execute_run
from commitments.suggestions import suggest_alignments, train_suggestion_models


@shared_task(name="commitments.tasks.suggest_alignments_for")
def suggest_alignments_for(commitment_ids: list[int] | None = None) -> str:
    """Suggest for these commitments, or for all when none are given."""
    return str(suggest_alignments(commitment_ids=commitment_ids))


@shared_task(name="commitments.tasks.retrain_suggestion_model")
def retrain_suggestion_model() -> str:
    """Retrain on reviewers' decisions; refresh every suggestion when a model changed."""
    report = train_suggestion_models()
    if not report.trained:
        return "no model trained"
    return str(suggest_alignments())


def request_suggestions(commitment_ids: Iterable[int] | None = None) -> None:
    """Enqueue suggestions once the current transaction commits: after an import or a change of text."""
    ids = None if commitment_ids is None else sorted(set(commitment_ids))
    if ids == []:
        return
    transaction.on_commit(lambda: suggest_alignments_for.delay(ids))


@shared_task(acks_late=True, name="commitments.import_ogp_file")
def import_ogp_file(import_run_id: int) -> str:
    """Run a recorded import once; a second delivery of the same run does nothing."""
    stale_after = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    run = claim_run(run_id=import_run_id, stale_after=stale_after)
    if run is None:
        return "already claimed"
    report = execute_run(run=run, path=Path(run.file.path))
    return "ok" if report.ok else "rejected"


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
