"""Follow-up work: recorded with the write, enqueued once it commits, once per burst, and never lost."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from commitments.followup import request_full_recompute, request_recompute, request_suggestions, take_overdue_work
from commitments.models import (
    Alignment,
    ImportRun,
    PendingRecompute,
    PendingSuggestion,
    RecomputeRun,
    ReviewStatus,
    Score,
)
from commitments.tasks import recompute_pending_scores, sweep_follow_up_work
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

LONG_AGO = datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_work_is_published_only_once_the_write_commits_and_never_for_a_write_rolled_back(
    broker_queue, django_capture_on_commit_callbacks
):
    member = make_member()
    with django_capture_on_commit_callbacks(execute=True):
        request_recompute([member.pk])
        assert broker_queue.length() == 0  # the write has not committed: no worker may look for it yet
    assert broker_queue.task_names() == ["commitments.recompute_pending_scores"]

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        request_suggestions([make_commitment().pk])
        raise RuntimeError("the write fails")
    assert broker_queue.length() == 1  # nothing for the rolled-back write
    assert not PendingSuggestion.objects.exists()


@pytest.mark.django_db
def test_a_burst_of_requests_publishes_one_task_until_that_task_starts(
    broker_queue, django_capture_on_commit_callbacks
):
    member = make_member()
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            request_recompute([member.pk])
    assert broker_queue.task_names() == ["commitments.recompute_pending_scores"]
    assert PendingRecompute.objects.count() == 1

    recompute_pending_scores.run()  # the task starts: requests from now on need a task of their own
    with django_capture_on_commit_callbacks(execute=True):
        request_recompute([member.pk])
    assert broker_queue.length() == 2


@pytest.mark.django_db
def test_with_redis_unreachable_a_decision_stands_and_the_sweep_recomputes_once_redis_is_back(
    reviewer_client, call_to_action, redis_outage, django_capture_on_commit_callbacks
):
    member = make_member()
    commitment = make_commitment(make_action_plan(member), potential_impact="transformative", full_text="X" * 50)
    suggestion = make_alignment(commitment, ActionItem.objects.get(code="cta2019-civic-space-2"))
    decision = {"decision": "confirm", "rationale": "Yes.", "passage_start": 0, "passage_end": 10, "version": 1}

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(f"/review/{suggestion.pk}/", decision)

    assert response.status_code == 302
    assert "scores will be recomputed shortly" in reviewer_client.get(response["Location"]).content.decode()
    assert Alignment.objects.get(pk=suggestion.pk).status == ReviewStatus.CONFIRMED
    assert PendingRecompute.objects.filter(member=member).exists()
    assert not Score.objects.filter(member=member).exists()

    redis_outage.end()
    PendingRecompute.objects.update(requested_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_follow_up_work()
    assert report["recomputes"] == 1
    assert not PendingRecompute.objects.exists()
    assert Score.objects.get(member=member, era=suggestion.action_item.era).value == Decimal("29.17")


@pytest.mark.django_db
def test_the_sweep_leaves_fresh_markers_to_the_task_already_enqueued(call_to_action):
    request_recompute([make_member().pk])
    request_suggestions([make_commitment().pk])
    assert not take_overdue_work()
    PendingSuggestion.objects.update(requested_at=timezone.now() - LONG_AGO)
    overdue = take_overdue_work()
    assert overdue and (overdue.recomputes, overdue.suggestions) == (0, 1)


@pytest.mark.django_db
def test_the_sweep_takes_up_a_full_recompute_whose_planning_was_lost(
    call_to_action, django_capture_on_commit_callbacks
):
    make_member()
    run = request_full_recompute()  # in the test's transaction: its planning is never enqueued
    RecomputeRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_follow_up_work()
    run.refresh_from_db()
    assert report["full_recomputes"] == [run.pk]
    assert (run.status, run.attempts) == ("done", 1)
    assert Score.objects.exists()


@pytest.mark.django_db
def test_the_sweep_gives_up_on_a_run_whose_worker_is_lost_again_and_again(settings):
    run = RecomputeRun.objects.create(kind="full", methodology_version="v1", status="queued")
    RecomputeRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - LONG_AGO, attempts=settings.FOLLOW_UP_MAX_ATTEMPTS
    )
    work = take_overdue_work()
    run.refresh_from_db()
    assert work.full_recomputes == []
    assert work.failed == [f"RecomputeRun {run.pk}"]
    assert run.status == "failed"
    assert "lost 3 times" in run.error
    assert not work  # given up is not work to enqueue


@pytest.mark.django_db
def test_an_import_given_up_keeps_the_reason_in_its_report(settings):
    run = ImportRun.objects.create(file_name="plans.csv", sha256="0" * 64, size=1, dry_run=False, status="pending")
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - LONG_AGO, attempts=settings.FOLLOW_UP_MAX_ATTEMPTS
    )
    work = take_overdue_work()
    run.refresh_from_db()
    assert (work.imports, work.failed) == ([], [f"ImportRun {run.pk}"])
    assert run.status == "failed"
    assert [p["message"] for p in run.report["problems"]] == [
        "Its worker was lost 3 times; it was given up. Start it again."
    ]


@pytest.mark.django_db
def test_an_import_left_pending_by_an_unreachable_broker_is_run_by_the_sweep(
    support_client, redis_outage, django_capture_on_commit_callbacks, settings, tmp_path
):
    from tests.commitments.test_admin_import import SAMPLE

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True), SAMPLE.open("rb") as handle:
        response = support_client.post("/admin/commitments/importrun/upload/", {"file": handle})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == "pending"

    redis_outage.end()
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_follow_up_work()
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("succeeded", 1)


@pytest.mark.django_db
def test_an_import_whose_worker_died_mid_run_is_taken_over_by_the_sweep(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from tests.commitments.test_tasks import stored_run

    settings.MEDIA_ROOT = tmp_path
    run = stored_run(dry_run=False)
    # What a worker killed mid-import leaves: the run claimed and running, started long ago, nothing written.
    died = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    ImportRun.objects.filter(pk=run.pk).update(status="running", started_at=died)

    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_follow_up_work()

    run.refresh_from_db()
    assert report["imports"] == [run.pk]
    assert (run.status, run.created) == ("succeeded", 7)


def _import_run(**fields) -> ImportRun:
    return ImportRun.objects.create(file_name="plans.csv", sha256="0" * 64, size=1, dry_run=False, **fields)


@pytest.mark.django_db
def test_the_sweep_takes_only_runs_past_their_wait_and_each_once_until_it_is_overdue_again(settings):
    now = timezone.now()
    long_ago, lately = now - LONG_AGO, now - datetime.timedelta(seconds=5)
    fresh_import = _import_run(status="pending")
    busy_import = _import_run(status="running", started_at=lately)
    done_import = _import_run(status="succeeded", started_at=long_ago)
    lost_import = _import_run(status="pending")
    given_up = _import_run(status="pending")
    dead_import = _import_run(status="running", started_at=long_ago)
    fresh_run = RecomputeRun.objects.create(kind="full", methodology_version="v1", status="queued")
    lost_run = RecomputeRun.objects.create(kind="full", methodology_version="v1", status="queued")
    ImportRun.objects.filter(pk__in=[done_import.pk, lost_import.pk, given_up.pk, dead_import.pk]).update(
        created_at=long_ago
    )
    ImportRun.objects.filter(pk=given_up.pk).update(attempts=settings.FOLLOW_UP_MAX_ATTEMPTS)
    RecomputeRun.objects.filter(pk=lost_run.pk).update(created_at=long_ago)

    work = take_overdue_work(now=now)
    # A run given up does not stop the sweep from taking the ones after it.
    assert work.imports == [lost_import.pk, dead_import.pk]
    assert work.full_recomputes == [lost_run.pk]
    assert work.failed == [f"ImportRun {given_up.pk}"]
    assert ImportRun.objects.get(pk=given_up.pk).finished_at == now
    for run in (fresh_import, busy_import, done_import, fresh_run):
        assert type(run).objects.get(pk=run.pk).attempts == 0
    assert ImportRun.objects.get(pk=lost_import.pk).enqueued_at == now

    # Taken runs wait out their new enqueue before the sweep takes them again.
    assert not take_overdue_work(now=now + datetime.timedelta(seconds=settings.FOLLOW_UP_GRACE_SECONDS - 1))
    later = take_overdue_work(now=now + datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1))
    assert later.imports == [fresh_import.pk, busy_import.pk, lost_import.pk, dead_import.pk]
