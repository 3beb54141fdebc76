"""Benchmark of the score recompute on generated data, against the floor of one bare SQL aggregate.

The generated rows are a clearly marked set: member codes start with "BX" followed by six digits (no OGP
code looks like that). The command refuses to run when the database holds commitments, action plans or
process evidence of any other member, and deletes the generated set afterwards unless --keep is given.
"""

import datetime
import io
import json
import queue
import random
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Member,
    PendingRecompute,
    ProcessEvidence,
    RecomputeRun,
    Score,
    ScoreSnapshot,
)
from commitments.scoring.compute import recompute_members
from commitments.scoring.methodology import CURRENT_VERSION
from commitments.scoring.runs import plan_full_recompute, recompute_chunk, run_full_recompute_in_process
from commitments.scoring.sql import bare_aggregate
from resolutions.frameworks import CALL_TO_ACTION_SLUG, load_frameworks
from resolutions.models import ActionItem, Resolution

PREFIX = "BX"
RUNS = 3  # each timed figure is the best of this many runs
BATCH = 50_000
GRADED_IMPACT = ["none", "minor", "moderate", "transformative"]
GRADED_RESULTS = ["unclear", "modest", "substantial"]
GRADED_COMPLETION = ["not_started", "limited", "substantial", "complete"]


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _insert(model: type[models.Model], rows: Iterator[dict[str, Any]]) -> int:
    """Insert rows given by attribute name, every other field at its default: COPY on PostgreSQL."""
    count = 0
    while True:
        batch = [row for _, row in zip(range(BATCH), rows, strict=False)]
        if not batch:
            break
        fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in batch[0]]
        defaults = {f.attname: f.get_default() for f in fields}
        count += len(batch)
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in batch:
                buffer.write("\t".join(_copy_value(row.get(f.attname, defaults[f.attname])) for f in fields))
                buffer.write("\n")
            buffer.seek(0)
            columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)
        else:
            model._default_manager.bulk_create([model(**row) for row in batch], batch_size=2000)
    return count


class Command(BaseCommand):
    help = "Generate a marked data set, then time the full and incremental score recompute against a bare aggregate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=25_000)
        parser.add_argument("--commitments", type=int, default=500_000)
        parser.add_argument("--alignments", type=int, default=None, help="Default: two per commitment.")
        parser.add_argument("--chunk-size", type=int, default=None, help="Members per chunk (SCORES_CHUNK_SIZE).")
        parser.add_argument("--workers", type=int, default=2, help="Chunks run at once, as by Celery workers.")
        parser.add_argument("--keep", action="store_true", help="Keep the generated set afterwards.")
        parser.add_argument("--seed", type=int, default=2019)

    def handle(self, *args: Any, **options: Any) -> None:
        members, commitments = options["members"], options["commitments"]
        alignments = options["alignments"] if options["alignments"] is not None else 2 * commitments
        if not 0 < members < 1_000_000 or commitments < members:
            raise CommandError("Need 0 < members < 1,000,000 and at least one commitment per member.")
        self._refuse_foreign_data()
        self._delete_generated()
        load_frameworks()
        # Django keeps every query's SQL while DEBUG is on, which would grow with the data measured.
        with override_settings(DEBUG=False):
            self._run(members, commitments, alignments, options)

    def _run(self, members: int, commitments: int, alignments: int, options: dict[str, Any]) -> None:
        resolution = Resolution.objects.get(slug=CALL_TO_ACTION_SLUG)
        first_run = RecomputeRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            started = time.perf_counter()
            self._generate(members, commitments, alignments, random.Random(options["seed"]))
            generated = time.perf_counter() - started
            self.stdout.write(
                f"Generated {members:,} members, {commitments:,} commitments, {alignments:,} alignments "
                f"on {connection.vendor} in {generated:.1f} s"
            )
            workers = max(1, options["workers"])
            if workers > 1 and connection.vendor == "sqlite":
                self.stderr.write("SQLite takes one writer at a time: the chunks run on one worker.")
                workers = 1
            self._measure(resolution, options["chunk_size"], workers)
        finally:
            if not options["keep"]:
                self._delete_generated()
                RecomputeRun.objects.filter(pk__gt=first_run).delete()
                self.stdout.write("Generated set deleted.")

    def _refuse_foreign_data(self) -> None:
        for model in (ActionPlan, Commitment, ProcessEvidence):
            if model._default_manager.exclude(member__code__startswith=PREFIX).exists():
                raise CommandError(
                    f"This database holds {model._meta.verbose_name_plural} that the benchmark did not make; "
                    "run it on a database of its own."
                )

    def _delete_generated(self) -> None:
        members = f"SELECT id FROM {Member._meta.db_table} WHERE code LIKE %s"
        commitments = f"SELECT id FROM {Commitment._meta.db_table} WHERE member_id IN ({members})"
        statements = [
            f"DELETE FROM {Score._meta.db_table} WHERE member_id IN ({members})",
            f"DELETE FROM {ScoreSnapshot._meta.db_table} WHERE member_id IN ({members})",
            f"DELETE FROM {PendingRecompute._meta.db_table} WHERE member_id IN ({members})",
            f"DELETE FROM {Alignment._meta.db_table} WHERE commitment_id IN ({commitments})",
            f"DELETE FROM {ProcessEvidence._meta.db_table} WHERE member_id IN ({members})",
            f"DELETE FROM {Commitment._meta.db_table} WHERE member_id IN ({members})",
            f"DELETE FROM {ActionPlan._meta.db_table} WHERE member_id IN ({members})",
            f"DELETE FROM {Member._meta.db_table} WHERE code LIKE %s",
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, [f"{PREFIX}%"])

    def _next_id(self, model: type[models.Model]) -> int:
        last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        return int(last or 0) + 1

    def _generate(self, members: int, commitments: int, alignments: int, rng: random.Random) -> None:
        now = timezone.now()
        stamps = {"created_at": now, "updated_at": now}
        items = list(
            ActionItem.objects.filter(
                resolution__slug=CALL_TO_ACTION_SLUG, addressee=ActionItem.Addressee.MEMBERS
            ).values_list("pk", "evidence")
        )
        item_ids = [pk for pk, _ in items]
        process_items = [pk for pk, evidence in items if evidence == ActionItem.Evidence.PROCESS]
        member0, plan0, commitment0 = self._next_id(Member), self._next_id(ActionPlan), self._next_id(Commitment)
        regions = [choice for choice, _ in Member.Region.choices]

        def member_rows() -> Iterator[dict[str, Any]]:
            for n in range(members):
                yield {
                    "id": member0 + n,
                    "code": f"{PREFIX}{n:06d}",
                    "name": f"Benchmark member {n}",
                    "kind": "national",
                    "region": regions[n % len(regions)],
                    "joined_year": 2011 + n % 10,
                    **stamps,
                }

        # Two plans per member: one ended before the Call to Action (out of scope), one after it.
        def plan_rows() -> Iterator[dict[str, Any]]:
            for n in range(members):
                for number, (start, end) in enumerate(((2016, 2018), (2019, 2021)), start=1):
                    yield {
                        "id": plan0 + 2 * n + number - 1,
                        "ogp_id": f"AP_{PREFIX}{n:06d}_{number}",
                        "member_id": member0 + n,
                        "number": number,
                        "submitted_year": start,
                        "end_year": end,
                        "duration_years": end - start,
                        **stamps,
                    }

        def irm(r: float) -> dict[str, str]:
            impact = rng.choice(GRADED_IMPACT) if r < 0.5 else ("na" if r < 0.9 else "nd")
            results = rng.choice(GRADED_RESULTS) if 0.5 <= r < 0.9 else "na"
            roll = rng.random()
            end = rng.choice(GRADED_COMPLETION) if roll < 0.6 else rng.choice(["withdrawn", "unclear", "nd"])
            mid = rng.choice(GRADED_COMPLETION) if rng.random() < 0.8 else "nd"
            return {
                "potential_impact": impact,
                "potential_for_results": results,
                "completion_end_of_term": end,
                "completion_midterm": mid,
            }

        def commitment_rows() -> Iterator[dict[str, Any]]:
            # Members' commitments arrive together, plan by plan, as an import of OGP's export brings them.
            for n in range(commitments):
                member, number = divmod(n * members, commitments)
                yield {
                    "id": commitment0 + n,
                    "ogp_id": f"{PREFIX}{n:08d}",
                    "action_plan_id": plan0 + 2 * member + (2 * number >= commitments),
                    "member_id": member0 + member,
                    "number": str(n),
                    "title": f"Benchmark commitment {n}",
                    "full_text": "Publish the budget in open formats and consult citizens on it.",
                    **irm(rng.random()),
                    **stamps,
                }

        def alignment_rows() -> Iterator[dict[str, Any]]:
            per_commitment, extra = divmod(alignments, commitments)
            for n in range(commitments):
                count = min(per_commitment + (1 if n < extra else 0), len(item_ids))
                for item_id in rng.sample(item_ids, count):
                    r = rng.random()
                    status = "confirmed" if r < 0.5 else ("suggested" if r < 0.85 else "rejected")
                    yield {
                        "commitment_id": commitment0 + n,
                        "action_item_id": item_id,
                        "status": status,
                        "origin": "import",
                        "confidence": 0.9,
                        "decided_at": None if status == "suggested" else now,
                        **stamps,
                    }

        def evidence_rows() -> Iterator[dict[str, Any]]:
            for n in range(members):
                confirmed = n % 5 < 3
                yield {
                    "member_id": member0 + n,
                    "action_plan_id": plan0 + 2 * n + 1,
                    "action_item_id": process_items[n % len(process_items)],
                    "description": "The multi-stakeholder forum met every month.",
                    "status": "confirmed" if confirmed else "suggested",
                    "origin": "import",
                    "decided_at": now if confirmed else None,
                    **stamps,
                }

        with transaction.atomic():
            _insert(Member, member_rows())
            _insert(ActionPlan, plan_rows())
            _insert(Commitment, commitment_rows())
            _insert(Alignment, alignment_rows())
            _insert(ProcessEvidence, evidence_rows())
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Member, ActionPlan, Commitment, Alignment, ProcessEvidence]
                ):
                    cursor.execute(sql)
        if connection.vendor == "postgresql" and connection.get_autocommit():
            # Fresh statistics and visibility maps, as a live database has them after autovacuum.
            tables = [m._meta.db_table for m in (Member, ActionPlan, Commitment, Alignment, ProcessEvidence, Score)]
            with connection.cursor() as cursor:
                for table in [*tables, ScoreSnapshot._meta.db_table]:
                    cursor.execute(f"VACUUM ANALYZE {table}")
                # Write the generated data out now, so that the measurements do not share the disk with
                # the server flushing it (a checkpoint needs a superuser or the pg_checkpoint role).
                try:
                    cursor.execute("CHECKPOINT")
                except DatabaseError as exc:
                    self.stderr.write(f"No checkpoint after generating ({exc}); the first figures may be slower.")

    def _full_recompute(self, chunk_size: int | None, workers: int) -> tuple[float, RecomputeRun]:
        """The chunks of one full recompute, run by `workers` threads that each take the next chunk until
        none is left, on a database connection of their own that they keep from chunk to chunk, as Celery
        workers do with `CONN_MAX_AGE`; one worker runs them in this thread."""
        started = time.perf_counter()
        if workers == 1:
            run = run_full_recompute_in_process(chunk_size=chunk_size)
            return time.perf_counter() - started, run
        run = RecomputeRun.objects.create(
            kind=RecomputeRun.Kind.FULL,
            methodology_version=CURRENT_VERSION,
            chunk_size=chunk_size or settings.SCORES_CHUNK_SIZE,
        )
        chunks: queue.SimpleQueue[tuple[int, int, int | None]] = queue.SimpleQueue()
        for chunk in plan_full_recompute(run_id=run.pk):
            chunks.put(chunk)

        def worker() -> None:
            try:
                while True:
                    try:
                        index, first_id, next_first_id = chunks.get_nowait()
                    except queue.Empty:
                        return
                    recompute_chunk(run_id=run.pk, index=index, first_id=first_id, next_first_id=next_first_id)
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(worker) for _ in range(workers)]:
                future.result()
        run.refresh_from_db()
        return time.perf_counter() - started, run

    def _floor(self, resolution: Resolution) -> float:
        started = time.perf_counter()
        bare_aggregate(resolution=resolution)
        return time.perf_counter() - started

    def _forget_generated_scores(self) -> None:
        """Back to no scores for the generated members, so that the next full recompute is a first one."""
        members = Member.objects.filter(code__startswith=PREFIX)
        ScoreSnapshot.objects.filter(member__in=members).delete()
        Score.objects.filter(member__in=members).delete()
        if connection.vendor == "postgresql" and connection.get_autocommit():
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM {Score._meta.db_table}")

    def _measure(self, resolution: Resolution, chunk_size: int | None, workers: int) -> None:
        """Every timed figure is the best of RUNS, with all the runs printed. The machine's speed drifts
        within minutes, so each full recompute is compared with a floor timed just before it, and the
        ratio given is the median of those pairs."""
        out = self.stdout.write

        def runs(times: list[float], places: int = 2) -> str:
            return ", ".join(f"{t:.{places}f}" for t in times)

        floors = [self._floor(resolution) for _ in range(RUNS)]
        pairs, _ = bare_aggregate(resolution=resolution)
        out(
            f"Bare SQL aggregate (floor, best of {RUNS}), {pairs:,} member-item pairs: {min(floors):.2f} s "
            f"({runs(floors)})"
        )

        def timed(first: bool, count: int) -> tuple[list[float], list[float], RecomputeRun]:
            times, ratios = [], []
            for _ in range(RUNS):
                if first:
                    self._forget_generated_scores()
                floor = self._floor(resolution)
                elapsed, run = self._full_recompute(chunk_size, count)
                times.append(elapsed)
                ratios.append(elapsed / floor)
            return times, ratios, run

        def ratio(ratios: list[float]) -> str:
            median = statistics.median(ratios)
            return f"ratio to the floor timed just before each run {runs(ratios, 1)}: median {median:.1f}"

        times, ratios, cold = timed(True, workers)
        out(
            f"Full recompute, first, {workers} worker{'s' if workers > 1 else ''} "
            f"(writes every score; best of {RUNS}): {min(times):.2f} s ({runs(times)}), "
            f"{cold.members_done:,} members in {cold.chunks_total} chunks, {cold.scores_written:,} scores; "
            f"{ratio(ratios)}"
        )
        for count in sorted({1, workers}):
            times, ratios, warm = timed(False, count)
            out(
                f"Full recompute, again, {count} worker{'s' if count > 1 else ''} "
                f"(nothing changed, {warm.scores_written} written; best of {RUNS}): {min(times):.2f} s "
                f"({runs(times)}); {ratio(ratios)}"
            )

        bench_members = list(
            Member.objects.filter(code__startswith=PREFIX).order_by("?").values_list("pk", flat=True)[:50]
        )
        timings = []
        for member_id in bench_members:
            commitment = Commitment.objects.filter(member_id=member_id, action_plan__number=2).first()
            if commitment is not None:
                new = "moderate" if commitment.potential_impact != "moderate" else "minor"
                Commitment.objects.filter(pk=commitment.pk).update(potential_impact=new, potential_for_results="na")
            started = time.perf_counter()
            recompute_members(member_ids=[member_id])
            timings.append(time.perf_counter() - started)
        timings.sort()
        out(
            f"Incremental recompute of one member after an edit, {len(timings)} members: "
            f"median {1000 * statistics.median(timings):.1f} ms, "
            f"p95 {1000 * timings[int(0.95 * (len(timings) - 1))]:.1f} ms, max {1000 * timings[-1]:.1f} ms"
        )

        self._forget_generated_scores()
        tracemalloc.start()
        run_full_recompute_in_process(chunk_size=chunk_size)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out(f"Peak Python memory of a first full recompute (tracemalloc): {peak / 2**20:.1f} MiB")
