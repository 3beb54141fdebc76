from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commitments.models import Member
from commitments.suggestions.suggest import suggest_alignments


class Command(BaseCommand):
    help = "Suggest alignments between commitments and action items (all members, or one)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--member", metavar="CODE", help="Only this member's commitments, e.g. ALB.")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["member"]
        if code is not None and not Member.objects.filter(code=code).exists():
            raise CommandError(f"No member with code {code!r}.")
        self.stdout.write(str(suggest_alignments(member_code=code)))
