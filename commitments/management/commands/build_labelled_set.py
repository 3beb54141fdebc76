from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from commitments.suggestions.evaluation import LABELLED_SET
from commitments.suggestions.labelled_set import build, write


class Command(BaseCommand):
    help = "Write the labelled evaluation set, composed by code in the shape of real commitments."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--file", type=Path, default=LABELLED_SET)

    def handle(self, *args: Any, **options: Any) -> None:
        records = build()
        write(options["file"], records)
        self.stdout.write(f"{len(records)} commitments written to {options['file']}")
