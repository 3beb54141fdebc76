"""The domain's events (`commitments.events`) become webhook deliveries, recorded in the same transaction and
sent after it commits."""

from typing import Any

from django.dispatch import receiver

from commitments.events import import_landed, scores_changed
from commitments.models import ImportRun, Member
from partners import webhooks
from partners.models import Delivery, Event


def _send(deliveries: list[Delivery]) -> None:
    from partners.tasks import deliver_webhook

    for delivery in deliveries:
        deliver_webhook.delay(delivery.pk)  # held back until the transaction commits


@receiver(scores_changed, dispatch_uid="partners.scores_changed")
def on_scores_changed(sender: object, *, member_ids: list[int], methodology_version: str, **kwargs: Any) -> None:
    codes = sorted(Member.objects.filter(pk__in=member_ids).values_list("code", flat=True))
    payload = {"members": codes, "methodology_version": methodology_version}
    _send(webhooks.record_event(Event.SCORES_CHANGED, payload))


@receiver(import_landed, dispatch_uid="partners.import_landed")
def on_import_landed(sender: object, *, run: ImportRun, **kwargs: Any) -> None:
    payload = {
        "import": run.pk,
        "file_name": run.file_name,
        "sha256": run.sha256,
        "rows": run.rows_total,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }
    _send(webhooks.record_event(Event.IMPORT_LANDED, payload))
