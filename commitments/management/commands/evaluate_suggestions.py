from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from commitments.suggestions.evaluation import LABELLED_SET, evaluate, load_labelled_set


class Command(BaseCommand):
    help = "Print precision, recall and F1 per era and per action item on the labelled commitment set."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--file", type=Path, default=LABELLED_SET, help="A labelled JSONL file.")
        parser.add_argument("--no-model", action="store_true", help="Skip the cross-validated trained model.")

    def handle(self, *args: Any, **options: Any) -> None:
        records = load_labelled_set(options["file"])
        for line in evaluate(records, with_model=not options["no_model"], progress=self.stderr.write):
            self.stdout.write(line)
