"""Thin tasks: send a webhook delivery (again, with a growing wait, when it fails), sweep what was left
behind, build a snapshot."""

from typing import Any

from celery import shared_task

from partners import snapshots, webhooks
from partners.models import Delivery


@shared_task(name="partners.deliver_webhook")
def deliver_webhook(delivery_id: int) -> str:
    delivery = webhooks.attempt_delivery(delivery_id=delivery_id)
    if delivery is None:
        return "nothing to send"
    if delivery.status == Delivery.Status.RETRYING:
        wait = webhooks.backoff(delivery.attempts).total_seconds()
        deliver_webhook.apply_async((delivery.pk,), countdown=wait)
    return str(delivery.status)


@shared_task(name="partners.sweep_webhook_deliveries")
def sweep_webhook_deliveries() -> int:
    """Scheduled: send deliveries whose enqueue or worker was lost."""
    due = webhooks.due_deliveries()
    for delivery_id in due:
        deliver_webhook.delay(delivery_id)
    return len(due)


@shared_task(name="partners.build_snapshot")
def build_snapshot(snapshot_id: int) -> str:
    return str(snapshots.build(snapshot_id=snapshot_id).status)


@shared_task(name="partners.build_scheduled_snapshot")
def build_scheduled_snapshot() -> Any:
    """Scheduled: record a snapshot and build it."""
    snapshot = snapshots.request_snapshot(requested_by=None)
    return build_snapshot(snapshot.pk)
