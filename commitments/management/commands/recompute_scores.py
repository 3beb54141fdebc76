from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from commitments.followup import request_full_recompute, request_recompute
from commitments.models import Member
from commitments.scoring.compute import recompute_members
from commitments.scoring.methodology import CURRENT_VERSION, get_methodology
from commitments.scoring.runs import run_full_recompute_in_process


class Command(BaseCommand):
    help = (
        "Recompute scores: all members (in chunks across Celery workers) or one member. "
        "With --sync, or without a broker, the work runs in this process."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # --version names the methodology here, in place of Django's own --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--member", metavar="CODE", help="Only this member's scores (OGP code, e.g. ALB).")
        parser.add_argument(
            "--version", default=CURRENT_VERSION, help=f"Methodology version (default {CURRENT_VERSION})."
        )
        parser.add_argument("--sync", action="store_true", help="Compute here and now instead of enqueuing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            methodology = get_methodology(options["version"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        code = options["member"]
        if code:
            member = Member.objects.filter(code=code).first()
            if member is None:
                raise CommandError(f"No member with code {code!r}.")
            if options["sync"] or methodology.version != CURRENT_VERSION:
                outcome = recompute_members(member_ids=[member.pk], version=methodology.version)
                self.stdout.write(f"{member.code}: {outcome.scores_written} scores written ({methodology.version}).")
            else:
                with transaction.atomic():
                    request_recompute([member.pk])
                self.stdout.write(f"{member.code}: recompute enqueued ({methodology.version}).")
            return
        if options["sync"]:
            run = run_full_recompute_in_process(version=methodology.version)
            self.stdout.write(
                f"Full recompute {run.pk} ({methodology.version}): {run.members_done} members, "
                f"{run.chunks_total} chunks, {run.scores_written} scores written."
            )
            return
        with transaction.atomic():
            run = request_full_recompute(version=methodology.version)
        run.refresh_from_db()
        self.stdout.write(f"Full recompute {run.pk} ({methodology.version}) enqueued; status {run.status}.")
