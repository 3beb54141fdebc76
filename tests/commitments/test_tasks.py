"""Scores recomputed by real Celery workers over Redis: coalescing, idempotence, and a worker killed halfway."""

import datetime
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from commitments.followup import request_full_recompute, request_recompute, request_suggestions
from commitments.importer.runs import create_run
from commitments.models import (
    Alignment,
    Commitment,
    ImportRun,
    Member,
    PendingRecompute,
    RecomputeRun,
    ReviewStatus,
    Score,
    ScoreSnapshot,
)
from commitments.scoring.compute import recompute_members
from commitments.seeds import load_member_groups
from commitments.tasks import import_ogp_file, recompute_score_chunk, retrain_suggestion_model
from ogp_tracker.celery import app as celery_app
from resolutions.frameworks import load_frameworks
from resolutions.models import ActionItem
from tests.conftest import ROOT, _test_database_url, wait_until_worker_is_idle
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

TEXT = "Adopt a personal data protection law with an independent authority."


@pytest.mark.django_db
def test_requesting_suggestions_runs_them_after_commit(call_to_action, django_capture_on_commit_callbacks):
    commitment = make_commitment(full_text=TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        request_suggestions([commitment.pk, commitment.pk])
    assert Alignment.objects.filter(commitment=commitment).count() == 1


@pytest.mark.django_db
def test_retraining_without_enough_decisions_trains_nothing(call_to_action):
    assert retrain_suggestion_model() == "no model trained"


@pytest.mark.django_db
def test_the_command_suggests_for_one_member(call_to_action, capsys):
    commitment = make_commitment(full_text=TEXT)
    call_command("suggest_alignments", "--member", commitment.member.code)
    assert "1 commitments: 1 suggested" in capsys.readouterr().out


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_suggests_alignments(celery_worker_process, transactional_db):
    load_frameworks()
    commitment = make_commitment(full_text=TEXT)
    with transaction.atomic():
        request_suggestions([commitment.pk])
    wait_for(lambda: Alignment.objects.filter(commitment=commitment).exists())


SAMPLE = Path(__file__).parent / "data" / "ogp_export_sample.csv"


def stored_run(dry_run: bool) -> ImportRun:
    with SAMPLE.open("rb") as handle:
        name = default_storage.save(f"imports/test-{uuid.uuid4().hex}/{SAMPLE.name}", handle)
    return create_run(path=SAMPLE, file_name=SAMPLE.name, dry_run=dry_run, stored_name=name)


@pytest.mark.django_db
def test_running_the_task_twice_on_one_run_imports_once(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    run = stored_run(dry_run=False)

    assert import_ogp_file(run.pk) == "ok"
    first = ImportRun.objects.get(pk=run.pk)
    assert import_ogp_file(run.pk) == "already claimed"

    again = ImportRun.objects.get(pk=run.pk)
    assert (again.status, again.created, again.finished_at) == ("succeeded", 7, first.finished_at)
    assert Commitment.objects.count() == 7


@pytest.mark.django_db
def test_a_run_left_running_by_a_lost_worker_is_taken_up_again_once_its_claim_is_stale(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    run = stored_run(dry_run=True)
    # What a worker killed mid-import leaves behind: the run claimed, running since it started.
    just_now = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(status="running", started_at=just_now)
    assert import_ogp_file(run.pk) == "already claimed"  # its worker may still be at it

    long_ago = just_now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    ImportRun.objects.filter(pk=run.pk).update(started_at=long_ago)
    assert import_ogp_file(run.pk) == "ok"
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


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the worker")
        time.sleep(0.2)


def scored_members(count: int) -> list[Member]:
    load_frameworks()
    load_member_groups()
    items = list(ActionItem.objects.filter(addressee="members").order_by("code"))
    members = []
    for n in range(count):
        member = make_member()
        plan = make_action_plan(member)
        for item in items[: n + 1]:
            commitment = make_commitment(plan, potential_impact="moderate", completion_end_of_term="complete")
            make_alignment(commitment, item, ReviewStatus.CONFIRMED)
        members.append(member)
    return members


def run_is_finished(run: RecomputeRun) -> Callable[[], bool]:
    return lambda: RecomputeRun.objects.get(pk=run.pk).status in {"done", "failed"}


def stored_scores_are_fresh(members: list[Member] | None = None) -> bool:
    """A fresh in-process computation finds nothing to change."""
    ids = [member.pk for member in members] if members else Member.objects.values_list("pk", flat=True)
    return recompute_members(member_ids=ids).scores_written == 0


@pytest.mark.celery_worker
def test_a_full_recompute_over_a_real_worker_can_run_twice_without_duplicates(celery_worker_process, transactional_db):
    members = scored_members(4)
    total = Member.objects.count()

    with transaction.atomic():
        first = request_full_recompute(chunk_size=3)
    wait_for(run_is_finished(first))
    with transaction.atomic():
        second = request_full_recompute(chunk_size=3)
    wait_for(run_is_finished(second))
    # The same chunk delivered twice counts once.
    recompute_score_chunk.delay(first.pk, 0, Member.objects.order_by("pk")[0].pk, None).get(timeout=60)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.members_done, first.chunks_total) == ("done", total, 3)
    assert (second.status, second.scores_written) == ("done", 0)
    assert first.chunks_done == [0, 1, 2]
    assert Score.objects.count() == total * 4
    assert not ScoreSnapshot.objects.exists()  # nothing was ever replaced: no duplicate, no history
    assert Score.objects.get(member=members[3], era__isnull=True).value > Decimal("0")
    assert stored_scores_are_fresh()


@pytest.mark.celery_worker
def test_a_burst_of_quick_edits_makes_one_recompute_on_a_real_worker(celery_worker_process, transactional_db):
    member = scored_members(1)[0]
    commitment = Commitment.objects.filter(member=member)[0]

    for grade in ["none", "minor", "moderate", "transformative", "minor"]:
        with transaction.atomic():
            Commitment.objects.filter(pk=commitment.pk).update(potential_impact=grade)
            request_recompute([member.pk])
    wait_for(lambda: RecomputeRun.objects.filter(status="done").exists() and not PendingRecompute.objects.exists())
    wait_until_worker_is_idle()  # nothing active, reserved or waiting for its countdown: no second recompute

    runs = list(RecomputeRun.objects.values_list("kind", "members_total", "members_done"))
    assert runs == [("members", 1, 1)]
    assert (
        Score.objects.get(member=member, era__key="civic-space").components["items"]["cta2019-civic-space-1"][
            "strength"
        ]
        == 0.8333
    )  # the last grade, minor: 0.5 + 0.25 × 1/3 + 0.25 × 1 (complete)
    assert stored_scores_are_fresh([member])


def pool_children(worker: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def waiting_for_a_lock(database_url: str) -> Callable[[], bool]:
    name = connection.settings_dict["NAME"]

    def check() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [name]
            )
            return bool(cursor.fetchone()[0])

    return check


@pytest.mark.celery_worker
def test_killing_a_worker_halfway_through_a_chunk_leaves_correct_scores_and_no_duplicates(own_celery_worker):
    scored_members(5)
    total = Member.objects.count()
    last_member = Member.objects.order_by("-pk")[0]
    database_url = _test_database_url()
    blocker = psycopg2.connect(database_url)
    try:
        # Hold the last member's row so the chunk holding it stops halfway, its transaction open.
        with blocker.cursor() as cursor:
            cursor.execute("SELECT id FROM commitments_member WHERE id = %s FOR UPDATE", [last_member.pk])
        with transaction.atomic():
            run = request_full_recompute(chunk_size=4)
        wait_for(waiting_for_a_lock(database_url))
        (child,) = pool_children(own_celery_worker)
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: pool_children(own_celery_worker) not in ([], [child]))
    finally:
        blocker.rollback()
        blocker.close()

    wait_for(run_is_finished(run))
    run.refresh_from_db()
    assert (run.status, run.members_done, run.members_total) == ("done", total, total)
    assert run.chunks_done == list(range(run.chunks_total or 0))
    assert Score.objects.count() == total * 4
    assert not ScoreSnapshot.objects.exists()  # nothing was ever replaced: no duplicate, no history
    assert stored_scores_are_fresh()
    log = ROOT / "var" / f"celery-worker-{celery_app.conf.task_default_queue}.log"
    assert "SIGKILL" in log.read_text()
