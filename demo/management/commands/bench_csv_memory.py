"""Peak memory of streaming the API's commitments list as CSV, at several sizes up to 500,000 rows.

Generates a clearly marked set (member code CM000001, commitment ids CM followed by eight digits), streams
`/api/v1/commitments/?format=csv&member=CM000001` through the real view at each size, and prints the rows,
bytes, seconds and the peak of Python memory allocated while streaming (tracemalloc) next to the process's
peak resident size. The set is deleted afterwards unless --keep is given.
"""

import resource
import time
import tracemalloc
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.test import RequestFactory
from django.test.utils import override_settings

from commitments.api.views import CommitmentViewSet
from commitments.models import ActionPlan, Commitment, Member

CODE = "CM000001"
BATCH = 10_000
TEXT = "Publish the budget in open formats, consult citizens on it and report back; " * 3


class Command(BaseCommand):
    help = "Peak memory of a streamed CSV download of commitments at several sizes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", default="10000,100000,250000,500000")
        parser.add_argument("--keep", action="store_true", help="Keep the generated rows.")

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = sorted(int(size) for size in options["sizes"].split(","))
        Member.objects.filter(code=CODE).delete()
        member = Member.objects.create(code=CODE, name="CSV benchmark", kind="national", region="europe")
        plan = ActionPlan.objects.create(ogp_id="AP_CM01", member=member, number=1, submitted_year=2020, end_year=2022)
        view = CommitmentViewSet.as_view({"get": "list"})
        self.stdout.write(f"{'rows':>9} {'MB out':>8} {'seconds':>8} {'peak MB (streaming)':>20} {'max RSS MB':>11}")
        try:
            made = 0
            for size in sizes:
                while made < size:
                    batch = min(BATCH, size - made)
                    Commitment.objects.bulk_create(
                        Commitment(
                            ogp_id=f"CM{made + n:08d}",
                            action_plan=plan,
                            member=member,
                            title=f"Commitment {made + n}",
                            full_text=TEXT,
                        )
                        for n in range(batch)
                    )
                    made += batch
                request = RequestFactory().get("/api/v1/commitments/", {"format": "csv", "member": CODE})
                with override_settings(API_THROTTLE_RATES={"anon": None, "user": None}):
                    tracemalloc.start()
                    started = time.perf_counter()
                    response: Any = view(request)
                    total = lines = 0
                    for chunk in response.streaming_content:
                        total += len(chunk)
                        lines += chunk.count(b"\n")
                    elapsed = time.perf_counter() - started
                    _, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                assert lines == size + 1, (lines, size)
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                self.stdout.write(f"{size:>9} {total / 1e6:>8.1f} {elapsed:>8.1f} {peak / 1e6:>20.2f} {rss:>11.1f}")
        finally:
            if not options["keep"]:
                Commitment.objects.filter(member=member)._raw_delete("default")
                member.delete()
