from typing import Any

from django.core.management.base import BaseCommand

from commitments.suggestions.crosswalk import load_crosswalk


class Command(BaseCommand):
    help = "Add the seed crosswalk from OGP policy areas to the Call to Action; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_crosswalk()
        self.stdout.write(f"{counts['created']} crosswalk links added, {counts['links']} in all.")
