import datetime
from collections.abc import Iterable
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import transaction

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
