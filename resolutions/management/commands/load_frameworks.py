from typing import Any

from django.core.management.base import BaseCommand

from resolutions.frameworks import load_frameworks


class Command(BaseCommand):
    help = "Load the 2019 Call to Action and the 2021 digital work plan with its February 2021 meeting."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_frameworks()
        self.stdout.write(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
