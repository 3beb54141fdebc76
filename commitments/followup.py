"""Work that must follow a write: recorded as rows in the write's own transaction, then announced.

A domain function whose write changes what scores or suggestions rest on calls one of the `request_*`
functions below inside its transaction. Each one writes a durable marker (a `PendingRecompute` per member,
a `PendingSuggestion` per commitment, a queued `RecomputeRun`, a pending `ImportRun`) and sends
`work_requested`. `commitments.tasks` listens and enqueues the matching task, which the project's task class
(`ogp_tracker.celery.TransactionAwareTask`) holds back until the transaction commits.

So the marker commits or rolls back with the write. If the broker is down, or a worker is lost halfway, the
marker stays, and the scheduled sweep (`commitments.tasks.sweep_follow_up_work`, driven by `overdue_work`
below) turns it into work later: delayed, never lost. Domain modules never import tasks.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_noop

from commitments.importer.report import Problem, english_message
from commitments.models import (
    Commitment,
    ImportRun,
    PendingRecompute,
    PendingSuggestion,
    RecomputeRun,
)
from commitments.scoring.methodology import get_methodology

RECOMPUTE = "recompute"
SUGGESTIONS = "suggestions"
FULL_RECOMPUTE = "full_recompute"
IMPORT = "import"

# Sent inside the transaction that recorded the marker, with `kind` (one of the four above) and, for runs,
# `run_id`. Receivers enqueue; they never decide anything.
work_requested = Signal()

MARKER_BATCH = 2000


def _announce(kind: str, run_id: int | None = None) -> None:
    work_requested.send(sender=kind, kind=kind, run_id=run_id)


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == MARKER_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def request_recompute(member_ids: Iterable[int]) -> int:
    """Mark members whose scores must be recomputed: every change to the evidence scores rest on calls this.

    A burst of calls, in one transaction or in many quick ones, leaves one marker per member and makes one
    recompute. Returns the number of members marked.
    """
    ids = sorted({int(pk) for pk in member_ids})
    if not ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        for batch in _batches(ids):
            PendingRecompute.objects.bulk_create(
                [PendingRecompute(member_id=pk, requested_at=now) for pk in batch],
                update_conflicts=True,
                unique_fields=["member"],
                update_fields=["requested_at"],
            )
        _announce(RECOMPUTE)
    return len(ids)


def request_suggestions(commitment_ids: Iterable[int] | None) -> int:
    """Mark commitments whose suggestions must be worked out again (all of them with None): new ones, and
    those whose text or policy-area tags changed. Returns the number marked."""
    ids: Iterable[int]
    if commitment_ids is None:
        ids = Commitment.objects.order_by("pk").values_list("pk", flat=True).iterator(MARKER_BATCH)
    else:
        ids = sorted({int(pk) for pk in commitment_ids})
    now = timezone.now()
    marked = 0
    with transaction.atomic():
        for batch in _batches(ids):
            PendingSuggestion.objects.bulk_create(
                [PendingSuggestion(commitment_id=pk, requested_at=now) for pk in batch],
                update_conflicts=True,
                unique_fields=["commitment"],
                update_fields=["requested_at"],
            )
            marked += len(batch)
        if marked:
            _announce(SUGGESTIONS)
    return marked


def request_full_recompute(
    *,
    version: str | None = None,
    requested_by_id: int | None = None,
    chunk_size: int | None = None,
    reuse_queued: bool = False,
) -> RecomputeRun:
    """Record a full recompute of every member for one methodology version; a worker plans and runs it.

    Framework edits, a new methodology version, the nightly schedule and staff all come through here. With
    `reuse_queued`, a full recompute of the version that is still queued (not started) is returned instead
    of a new one: a burst of framework edits makes one recompute while it has not started.
    """
    version = get_methodology(version).version
    if reuse_queued:
        queued = RecomputeRun.objects.filter(
            kind=RecomputeRun.Kind.FULL, methodology_version=version, status=RecomputeRun.Status.QUEUED
        ).first()
        if queued is not None:
            return queued
    run = RecomputeRun(
        kind=RecomputeRun.Kind.FULL,
        methodology_version=version,
        chunk_size=chunk_size or settings.SCORES_CHUNK_SIZE,
        requested_by_id=requested_by_id,
    )
    run.full_clean()
    with transaction.atomic():
        run.save()
        _announce(FULL_RECOMPUTE, run.pk)
    return run


def request_import(*, run: ImportRun) -> None:
    """A recorded import run (pending: its own marker) waits for a worker."""
    _announce(IMPORT, run.pk)


# --- What the sweep picks up ---------------------------------------------------------------------------------


@dataclass
class OverdueWork:
    """Markers and runs that should have been taken up by now; the sweep enqueues each again."""

    recomputes: int = 0
    suggestions: int = 0
    full_recomputes: list[int] = field(default_factory=list)
    imports: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.recomputes or self.suggestions or self.full_recomputes or self.imports)


GIVEN_UP = gettext_noop("Its worker was lost %(attempts)s times; it was given up. Start it again.")


def take_overdue_work(*, now: datetime.datetime | None = None) -> OverdueWork:
    """What a lost enqueue or a lost worker left behind, for the sweep to enqueue again.

    - Markers older than `FOLLOW_UP_GRACE_SECONDS`: their enqueue was lost, or the broker was down.
    - Full recomputes still queued after the grace, or running past the task time limit since they were
      last enqueued: planning and chunks are idempotent, so running them again finishes the run.
    - Imports still pending after the grace, or running past the task time limit: a claim that old is
      stale (`importer.runs.claim_run`), so the task takes the run over.

    Each run taken is stamped (`enqueued_at`, `attempts`), so the next sweep waits for it again; a run
    taken `FOLLOW_UP_MAX_ATTEMPTS` times is marked failed instead, with a message staff see.
    """
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=settings.FOLLOW_UP_GRACE_SECONDS)
    stale = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    work = OverdueWork(
        recomputes=PendingRecompute.objects.filter(requested_at__lt=grace).count(),
        suggestions=PendingSuggestion.objects.filter(requested_at__lt=grace).count(),
    )
    waiting = (Q(status="queued") | Q(status="pending")) & Q(waiting_since__lt=grace)  # each model's word
    running = Q(status="running") & Q(running_since__lt=stale)
    overdue: list[tuple[QuerySet[Any], list[int]]] = [
        (RecomputeRun.objects.filter(kind=RecomputeRun.Kind.FULL), work.full_recomputes),
        (ImportRun.objects.all(), work.imports),
    ]
    for rows, taken in overdue:
        found = rows.annotate(
            waiting_since=Coalesce("enqueued_at", "created_at"), running_since=Coalesce("enqueued_at", "started_at")
        ).filter(waiting | running)
        with transaction.atomic():
            for pk, attempts in found.select_for_update(skip_locked=True).order_by("pk").values_list("pk", "attempts"):
                if attempts >= settings.FOLLOW_UP_MAX_ATTEMPTS:
                    rows.filter(pk=pk).update(status="failed", finished_at=now, **_error(rows.model, attempts))
                    work.failed.append(f"{rows.model.__name__} {pk}")
                    continue
                rows.filter(pk=pk).update(enqueued_at=now, attempts=F("attempts") + 1)
                taken.append(pk)
    return work


def _error(model: type[Any], attempts: int) -> dict[str, object]:
    if model is RecomputeRun:
        return {"error": english_message(GIVEN_UP, {"attempts": attempts})}
    return {"report": {"problems": [Problem(None, "", "", GIVEN_UP, {"attempts": attempts}).as_dict()]}}
