from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commitments.suggestions.evaluation import LABELLED_SET, evaluate, load_labelled_set
from commitments.suggestions.real_evaluation import OgpFileError, evaluate_ogp_file


class Command(BaseCommand):
    help = (
        "Print precision, recall and F1 with bootstrap 95% intervals, per era and per action item: on the "
        "labelled commitment set, or with --ogp-file on an OGP export whose policy-area tags are the truth."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--file", type=Path, default=LABELLED_SET, help="A labelled JSONL file.")
        parser.add_argument(
            "--ogp-file", type=Path, help="An OGP export: tags are stripped, text suggested from, tags scored against."
        )
        parser.add_argument("--no-model", action="store_true", help="Skip the cross-validated trained model.")
        parser.add_argument("--errors", action="store_true", help="Also list the disagreements (--ogp-file).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["ogp_file"] is not None:
            try:
                lines = evaluate_ogp_file(
                    options["ogp_file"],
                    with_model=not options["no_model"],
                    with_errors=options["errors"],
                    progress=self.stderr.write,
                )
            except OgpFileError as error:
                raise CommandError(str(error)) from error
        else:
            lines = evaluate(
                load_labelled_set(options["file"]), with_model=not options["no_model"], progress=self.stderr.write
            )
        for line in lines:
            self.stdout.write(line)
