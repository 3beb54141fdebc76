"""A bulk snapshot: one dated zip of everything public, a CSV per table and a manifest in JSON.

Rows are streamed from the database into the archive, so memory stays flat whatever the size. Objects are
named by OGP's ids and codes, never by database ids. Text a spreadsheet would run as a formula is escaped.
"""

import hashlib
import json
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    Member,
    ProcessEvidence,
    ReviewEvent,
    Score,
    ScoreSnapshot,
)
from commitments.scoring.methodology import get_methodology
from ogp_tracker.downloads import csv_rows
from partners.models import Snapshot
from resolutions.models import ActionItem, AgendaItem, AgendaPoint, Attendance, Era, Meeting, NextStep, Resolution

logger = logging.getLogger(__name__)
ROWS_PER_QUERY = 2000


def _own_fields(model: type[models.Model], *, leave_out: tuple[str, ...] = ()) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.is_relation and not field.primary_key and field.name not in leave_out
    ]


@dataclass(frozen=True)
class Table:
    name: str
    rows: QuerySet[Any]
    columns: list[str]


def tables() -> list[Table]:
    score_columns = ["member__code", "resolution__slug", "era__key", *_own_fields(Score)]
    return [
        Table("resolutions", Resolution.objects.order_by("pk"), _own_fields(Resolution)),
        Table("eras", Era.objects.order_by("pk"), ["resolution__slug", *_own_fields(Era)]),
        Table(
            "action_items",
            ActionItem.objects.order_by("pk"),
            ["resolution__slug", "era__key", *_own_fields(ActionItem)],
        ),
        Table("meetings", Meeting.objects.order_by("pk"), ["resolution__slug", *_own_fields(Meeting)]),
        Table("attendance", Attendance.objects.order_by("pk"), ["meeting__slug", *_own_fields(Attendance)]),
        Table("agenda_items", AgendaItem.objects.order_by("pk"), ["meeting__slug", *_own_fields(AgendaItem)]),
        Table(
            "agenda_points",
            AgendaPoint.objects.order_by("pk"),
            ["agenda_item__meeting__slug", "agenda_item__number", *_own_fields(AgendaPoint)],
        ),
        Table(
            "next_steps",
            NextStep.objects.order_by("pk"),
            ["meeting__slug", "agenda_item__number", *_own_fields(NextStep)],
        ),
        Table("members", Member.objects.order_by("pk"), _own_fields(Member)),
        Table("member_groups", Member.groups.through.objects.order_by("pk"), ["member__code", "membergroup__slug"]),
        Table("action_plans", ActionPlan.objects.order_by("pk"), ["member__code", *_own_fields(ActionPlan)]),
        Table(
            "commitments",
            Commitment.objects.order_by("pk"),
            ["member__code", "action_plan__ogp_id", *_own_fields(Commitment, leave_out=("extra", "text_hash"))],
        ),
        Table(
            "commitment_policy_areas",
            CommitmentPolicyArea.objects.order_by("pk"),
            ["commitment__ogp_id", "policy_area__name", "value"],
        ),
        Table(
            "alignments",
            Alignment.objects.order_by("pk"),
            ["commitment__ogp_id", "action_item__code", *_own_fields(Alignment, leave_out=("text_hash",))],
        ),
        Table(
            "review_history",
            ReviewEvent.objects.order_by("pk"),
            ["subject", "at", "origin", "from_status", "to_status", "confidence", "excerpt", "rationale"],
        ),
        Table(
            "process_evidence",
            ProcessEvidence.objects.order_by("pk"),
            ["member__code", "action_plan__ogp_id", "action_item__code", *_own_fields(ProcessEvidence)],
        ),
        Table("scores", Score.objects.order_by("pk"), score_columns),
        Table("score_history", ScoreSnapshot.objects.order_by("pk"), [*score_columns, "superseded_at"]),
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _rows(table: Table) -> Iterator[list[Any]]:
    for row in table.rows.values_list(*table.columns).iterator(chunk_size=ROWS_PER_QUERY):
        yield [_cell(value) for value in row]


def write_archive(handle: Any) -> dict[str, int]:
    """Write the zip to `handle`; returns rows per table."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables():
            counted = 0

            def counting(table: Table = table) -> Iterator[list[Any]]:
                nonlocal counted
                for row in _rows(table):
                    counted += 1
                    yield row

            with archive.open(f"{table.name}.csv", "w") as member:
                for piece in csv_rows([column.replace("__", ".") for column in table.columns], counting()):
                    member.write(piece.encode("utf-8"))
            counts[table.name] = counted
        manifest = {
            "created_at": timezone.now().isoformat(),
            "methodology_version": get_methodology(None).version,
            "tables": counts,
            "note": "Related rows are named by OGP ids and codes (member.code, commitment.ogp_id, action_item.code).",
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return counts


def request_snapshot(*, requested_by: User | None) -> Snapshot:
    """Record a snapshot to build; the caller enqueues `partners.build_snapshot` with its id."""
    snapshot = Snapshot(requested_by=requested_by)
    snapshot.save()
    return snapshot


def build(*, snapshot_id: int) -> Snapshot:
    """Build a recorded snapshot into a file; a failure is recorded on the row, never half a file."""
    snapshot = Snapshot.objects.get(pk=snapshot_id)
    if snapshot.status != Snapshot.Status.BUILDING:
        return snapshot
    try:
        with tempfile.TemporaryFile() as handle:
            counts = write_archive(handle)
            handle.seek(0)
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            handle.seek(0)
            name = f"ogp-tracker-{timezone.now():%Y-%m-%d-%H%M%S}.zip"
            snapshot.file.save(name, File(handle), save=False)
            snapshot.size = snapshot.file.size
        snapshot.sha256 = digest.hexdigest()
        snapshot.counts = counts
        snapshot.status = Snapshot.Status.READY
    except Exception as exc:
        logger.exception("Snapshot %s failed", snapshot.pk)
        snapshot.status = Snapshot.Status.FAILED
        snapshot.error = f"{type(exc).__name__}: {exc}"
    snapshot.finished_at = timezone.now()
    snapshot.save()
    return snapshot


def latest_snapshot() -> Snapshot | None:
    return Snapshot.objects.filter(status=Snapshot.Status.READY).order_by("-created_at", "-pk").first()
