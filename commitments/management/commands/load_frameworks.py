from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from commitments.editing import recompute_after_framework_change
from commitments.models import Score
from commitments.seeds import load_member_groups
from resolutions.frameworks import load_frameworks


class Command(BaseCommand):
    help = (
        "Load the 2019 Call to Action and the 2021 digital work plan with its February 2021 meeting, and the "
        "Leaders Network that meeting names. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = {**load_frameworks(), **load_member_groups()}
            if counts.pop("changed") and Score.objects.exists():
                runs = recompute_after_framework_change()
                self.stdout.write(
                    f"The frameworks changed: full recompute {', '.join(str(r.pk) for r in runs)} queued."
                )
        self.stdout.write(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
