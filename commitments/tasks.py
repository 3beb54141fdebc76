import datetime
from pathlib import Path

from celery import shared_task
from django.conf import settings

from commitments.import_runs import claim_run, execute_run


@shared_task(acks_late=True, name="commitments.import_ogp_file")
def import_ogp_file(import_run_id: int) -> str:
    """Run a recorded import once; a second delivery of the same run does nothing."""
    stale_after = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    run = claim_run(run_id=import_run_id, stale_after=stale_after)
    if run is None:
        return "already claimed"
    report = execute_run(run=run, path=Path(run.file.path))
    return "ok" if report.ok else "rejected"
