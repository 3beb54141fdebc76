"""Import runs: the history of imports the admin shows, and what the command and the task both call."""

import datetime
import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from commitments.events import import_landed
from commitments.followup import request_import
from commitments.importer.apply import import_ogp
from commitments.importer.report import ImportReport, Problem, file_sha256
from commitments.models import ImportRun

logger = logging.getLogger(__name__)


def create_run(
    *, path: Path, file_name: str, dry_run: bool, uploaded_by_id: int | None = None, stored_name: str = ""
) -> ImportRun:
    run = ImportRun(
        file=stored_name,
        file_name=file_name[:255],
        sha256=file_sha256(path),
        size=path.stat().st_size,
        uploaded_by_id=uploaded_by_id,
        dry_run=dry_run,
    )
    run.full_clean()
    run.save()
    return run


def preview_upload(*, upload: Any, uploaded_by_id: int | None) -> ImportRun:
    """Store an uploaded file under a generated name (the original name is kept as data, so any name
    fits) and start its dry run; every door that takes an upload (admin, API) calls this."""
    name = Path(upload.name or "upload").name or "upload"
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in {".csv", ".xlsx"} else ""
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", upload)
    with transaction.atomic():
        run = create_run(
            path=Path(default_storage.path(stored)),
            file_name=name,
            dry_run=True,
            uploaded_by_id=uploaded_by_id,
            stored_name=stored,
        )
        request_import(run=run)
    return run


def is_confirmable(run: ImportRun) -> bool:
    """Only a dry run that succeeded, with its file still kept, can be imported for real."""
    return run.dry_run and run.status == ImportRun.Status.SUCCEEDED and bool(run.file)


def confirm_preview(*, preview: ImportRun, confirmed_by_id: int | None) -> ImportRun:
    """Import the file of a successful dry run: a new run over the same stored file, started on commit;
    every door that confirms (admin, API) calls this."""
    with transaction.atomic():
        run = create_run(
            path=Path(preview.file.path),
            file_name=preview.file_name,
            dry_run=False,
            uploaded_by_id=confirmed_by_id,
            stored_name=preview.file.name or "",
        )
        request_import(run=run)
    return run


def claim_run(*, run_id: int, stale_after: datetime.timedelta) -> ImportRun | None:
    """Mark a pending run as running, once; a run left running longer than `stale_after` may be retried."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        stale = run.status == ImportRun.Status.RUNNING and (
            run.started_at is None or run.started_at < timezone.now() - stale_after
        )
        if run.status != ImportRun.Status.PENDING and not stale:
            return None
        run.status = ImportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.rows_done = 0
        run.save(update_fields=["status", "started_at", "rows_done"])
    return run


def progress_key(run_id: int) -> str:
    return f"import-run-progress:{run_id}"


def run_progress(*, run: ImportRun) -> dict[str, Any]:
    """Where a run is: the cache while it runs, the row once it has finished."""
    if run.is_finished:
        return {"phase": "finished", "done": run.rows_done, "total": run.rows_total}
    return cache.get(progress_key(run.pk)) or {"phase": run.status, "done": 0, "total": None}


def execute_run(*, run: ImportRun, path: Path) -> ImportReport:
    """Run an import recorded as `run`, keeping its progress and its report on the row.

    The run's outcome is saved in the import's own transaction: a worker lost after the import committed
    cannot leave the run shown as running (and the sweep importing it again) over data already written.
    """

    def progress(phase: str, done: int, total: int | None) -> None:
        # The write pass runs inside the import transaction: progress goes to the cache, where others see it.
        try:
            cache.set(progress_key(run.pk), {"phase": phase, "done": done, "total": total}, timeout=3600)
        except Exception as exc:  # progress is a courtesy: an unreachable cache never stops an import
            logger.warning("Import %s: progress not recorded: %s", run.pk, exc)

    if run.status != ImportRun.Status.RUNNING:
        run.status = ImportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    try:
        with transaction.atomic():
            report = import_ogp(path=path, dry_run=run.dry_run, file_name=run.file_name, progress=progress)
            run.status = ImportRun.Status.SUCCEEDED if report.ok else ImportRun.Status.REJECTED
            run.rows_total = report.rows
            run.rows_done = report.rows
            run.created = report.commitments.created
            run.updated = report.commitments.updated
            run.unchanged = report.commitments.unchanged
            run.report = report.as_dict()
            run.finished_at = timezone.now()
            run.save()
            if not run.dry_run and report.ok:
                import_landed.send(sender=ImportRun, run=run)
    except Exception as exc:
        run.status = ImportRun.Status.FAILED
        stopped = Problem(None, "", "", gettext_noop("The import stopped: %(error)s"), {"error": str(exc)})
        run.report = {"problems": [stopped.as_dict()]}
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "report", "finished_at"])
        raise
    return report


def delete_expired_uploads(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploaded files of runs finished more than OGP_IMPORT_UPLOAD_RETENTION_DAYS ago.

    Each run keeps its row and its report; only the file goes, and a run whose preview still waits for
    a confirm loses the file with the rest (it can no longer be confirmed). Returns the number of files deleted.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=int(settings.OGP_IMPORT_UPLOAD_RETENTION_DAYS))
    deleted = 0
    expired = ImportRun.objects.filter(finished_at__lt=cutoff).exclude(file="")
    for name in sorted(set(expired.values_list("file", flat=True))):
        default_storage.delete(name)
        deleted += 1
    expired.update(file="")
    return deleted
