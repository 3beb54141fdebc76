from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commitments.importer.exporter import export_ogp


class Command(BaseCommand):
    help = "Export every commitment in OGP's format: XLSX when FILE ends in .xlsx, CSV otherwise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        count = export_ogp(path=options["file"])
        self.stdout.write(f"Exported {count} commitments to {options['file']}")
