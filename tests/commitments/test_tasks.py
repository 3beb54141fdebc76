import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from commitments.import_runs import create_run
from commitments.models import Alignment, Commitment, ImportRun
from commitments.tasks import import_ogp_file, request_suggestions, retrain_suggestion_model, suggest_alignments_for
from tests.factories import make_commitment

TEXT = "Adopt a personal data protection law with an independent authority."


@pytest.mark.django_db
def test_requesting_suggestions_runs_them_after_commit(call_to_action, django_capture_on_commit_callbacks):
    commitment = make_commitment(full_text=TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        request_suggestions([commitment.pk, commitment.pk])
    assert Alignment.objects.filter(commitment=commitment).count() == 1


@pytest.mark.django_db
def test_retraining_without_enough_decisions_trains_nothing(call_to_action):
    assert retrain_suggestion_model.delay().get() == "no model trained"


@pytest.mark.django_db
def test_the_command_suggests_for_one_member(call_to_action, capsys):
    commitment = make_commitment(full_text=TEXT)
    call_command("suggest_alignments", "--member", commitment.member.code)
    assert "1 commitments: 1 suggested" in capsys.readouterr().out


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_suggests_alignments(celery_worker_process, transactional_db):
    from resolutions.frameworks import load_frameworks

    load_frameworks()
    commitment = make_commitment(full_text=TEXT)
    result = suggest_alignments_for.delay([commitment.pk]).get(timeout=60)
    assert result.startswith("1 commitments: 1 suggested")
    assert Alignment.objects.filter(commitment=commitment).exists()


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
