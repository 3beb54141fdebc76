from typing import Any

from django.core.management.base import BaseCommand

from commitments.seeds import load_member_groups
from resolutions.frameworks import load_frameworks


class Command(BaseCommand):
    help = (
        "Load the 2019 Call to Action and the 2021 digital work plan with its February 2021 meeting, and the "
        "Leaders Network that meeting names. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {**load_frameworks(), **load_member_groups()}
        self.stdout.write(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
