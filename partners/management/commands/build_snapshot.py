"""Build a snapshot of the public data now, in this process, and print what it took."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from partners import snapshots


class Command(BaseCommand):
    help = "Build a dated snapshot archive of everything public now; prints its time, size and rows."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        snapshot = snapshots.build(snapshot_id=snapshots.request_snapshot(requested_by=None).pk)
        if snapshot.status != snapshot.Status.READY:
            raise CommandError(f"Snapshot {snapshot.pk} failed: {snapshot.error}")
        self.stdout.write(
            f"Snapshot {snapshot.pk}: {snapshot.file.name}, {snapshot.size:,} bytes, "
            f"{sum(snapshot.counts.values()):,} rows ({snapshot.counts.get('commitments', 0):,} commitments) "
            f"in {time.perf_counter() - started:.2f} s."
        )
