import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from commitments.import_runs import create_run
from commitments.models import Commitment, ImportRun
from commitments.tasks import import_ogp_file

SAMPLE = Path(__file__).parent / "data" / "ogp_export_sample.csv"


def stored_run(dry_run: bool) -> ImportRun:
    with SAMPLE.open("rb") as handle:
        name = default_storage.save(f"imports/test-{uuid.uuid4().hex}/{SAMPLE.name}", handle)
    return create_run(path=SAMPLE, file_name=SAMPLE.name, dry_run=dry_run, stored_name=name)


@pytest.mark.django_db
def test_running_the_task_twice_on_one_run_imports_once(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    run = stored_run(dry_run=False)

    assert import_ogp_file.delay(run.pk).get() == "ok"
    first = ImportRun.objects.get(pk=run.pk)
    assert import_ogp_file.delay(run.pk).get() == "already claimed"

    again = ImportRun.objects.get(pk=run.pk)
    assert (again.status, again.created, again.finished_at) == ("succeeded", 7, first.finished_at)
    assert Commitment.objects.count() == 7


@pytest.mark.django_db
def test_a_run_left_running_by_a_lost_worker_is_taken_up_again(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    run = stored_run(dry_run=True)
    ImportRun.objects.filter(pk=run.pk).update(status="running", started_at=None)

    assert import_ogp_file.delay(run.pk).get() == "ok"
    assert ImportRun.objects.get(pk=run.pk).status == "succeeded"


@pytest.mark.celery_worker
def test_the_import_task_runs_in_a_real_worker(celery_worker_process: Any, transactional_db: None) -> None:
    run = stored_run(dry_run=False)
    try:
        assert import_ogp_file.delay(run.pk).get(timeout=60) == "ok"
    finally:
        default_storage.delete(run.file.name or "")

    run.refresh_from_db()
    assert (run.status, run.created, run.rows_total) == ("succeeded", 7, 7)
    assert Commitment.objects.count() == 7
