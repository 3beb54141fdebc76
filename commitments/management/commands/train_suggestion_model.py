from typing import Any

from django.core.management.base import BaseCommand

from commitments.suggestions.model import train_suggestion_models


class Command(BaseCommand):
    help = "Retrain the suggestion classifiers from reviewers' confirmations and rejections."

    def handle(self, *args: Any, **options: Any) -> None:
        report = train_suggestion_models()
        for code, (positives, negatives) in report.trained.items():
            self.stdout.write(f"trained {code}: {positives} confirmed, {negatives} rejected")
        for code, (positives, negatives) in report.skipped.items():
            self.stdout.write(f"not enough decisions for {code}: {positives} confirmed, {negatives} rejected")
