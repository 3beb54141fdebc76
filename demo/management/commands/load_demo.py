import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.dataset import DemoDataExists, load_demo


class Command(BaseCommand):
    help = "Load a deterministic demo dataset: OGP members, action plans, commitments, alignments and evidence."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=60, help="How many OGP members (Leaders Network first).")
        parser.add_argument("--commitments-per-plan", type=int, default=12)
        parser.add_argument("--seed", type=int, default=2019, help="The same seed always gives the same data.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete all action plans, commitments and evidence first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["members"] < 1 or options["commitments_per_plan"] < 1:
            raise CommandError("--members and --commitments-per-plan must be at least 1")
        started = time.perf_counter()
        try:
            report = load_demo(
                members=options["members"],
                commitments_per_plan=options["commitments_per_plan"],
                seed=options["seed"],
                replace=options["replace"],
            )
        except DemoDataExists as exc:
            raise CommandError(f"Not loaded: {exc}.") from exc
        self.stdout.write(
            f"Loaded {report.members} members, {report.action_plans} action plans, {report.commitments} commitments, "
            f"{report.alignments} alignments and {report.process_evidence} process evidence "
            f"in {time.perf_counter() - started:.1f}s."
        )
