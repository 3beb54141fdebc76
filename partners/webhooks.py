"""Webhooks: registering a URL, recording what each event owes each webhook, signing and sending it.

A delivery is a row recorded in the transaction of the change it reports (`record_event`), so it commits or
rolls back with it; a task sends it after commit, and a scheduled sweep sends what a lost worker left. Each
failed attempt is tried again after an exponentially growing wait, `WEBHOOK_MAX_ATTEMPTS` times in all.

Signature: ``X-OGP-Signature: v1=<hex HMAC-SHA256 of "<X-OGP-Timestamp>.<body>" with the webhook's secret>``.
"""

import datetime
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import targets
from partners.models import Delivery, Event, Webhook
from partners.tokens import is_partner

SIGNATURE_VERSION = "v1"


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def _check_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    if not chosen or set(chosen) - set(Event.values):
        raise ValidationError({"events": _("Choose one or more of: %s.") % ", ".join(Event.values)})
    return chosen


def register_webhook(*, owner: User, url: str, events: Iterable[str]) -> Webhook:
    """A partner's URL, checked now (and again at every delivery); its secret is returned once, on the row."""
    if not is_partner(owner):
        raise ValidationError({"owner": _("Webhooks belong to partner accounts.")})
    try:
        targets.check_url(url)
    except targets.TargetRefused as exc:
        raise ValidationError({"url": str(exc)}) from exc
    webhook = Webhook(owner=owner, url=url, events=_check_events(events), secret=secrets.token_hex(32))
    webhook.full_clean()
    webhook.save()
    return webhook


def record_event(event: str, payload: dict[str, Any]) -> list[Delivery]:
    """One pending delivery per active webhook subscribed to `event`, in the caller's transaction."""
    event_uid = uuid.uuid4()
    body = {"event": event, "id": str(event_uid), "occurred_at": timezone.now().isoformat(), "data": payload}
    hooks = [hook for hook in Webhook.objects.filter(is_active=True) if event in hook.events]
    return Delivery.objects.bulk_create(
        [Delivery(webhook=hook, event=event, event_uid=event_uid, payload=body) for hook in hooks]
    )


def backoff(attempt: int) -> datetime.timedelta:
    """The wait after the `attempt`-th failure: base, 2 × base, 4 × base, …, capped."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def _headers(delivery: Delivery, secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "OGP-Tracker-Webhooks/1",
        "X-OGP-Event": delivery.event,
        "X-OGP-Delivery": str(delivery.uid),
        "X-OGP-Timestamp": str(timestamp),
        "X-OGP-Signature": sign(secret=secret, timestamp=timestamp, body=body),
    }


def attempt_delivery(*, delivery_id: int) -> Delivery | None:
    """Send a pending delivery once. Returns it with its outcome; None when there was nothing to send (already
    delivered or given up, or another worker holds it). A 2xx answer delivers; anything else is a failure
    that is tried again after `backoff`, until `WEBHOOK_MAX_ATTEMPTS`."""
    # The row stays locked while it is sent: two workers given the same delivery never both send it.
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook")
            .filter(pk=delivery_id, status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING])
            .first()
        )
        if delivery is None:
            return None
        webhook = delivery.webhook
        body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
        timestamp = int(time.time())
        error, answer = "", None
        if not webhook.is_active:
            error = _("The webhook was switched off.")
        else:
            try:
                target = targets.check_url(webhook.url)
                answer = targets.post(
                    target,
                    body=body,
                    headers=_headers(delivery, webhook.secret, body, timestamp),
                    timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
                )
            except targets.TargetRefused as exc:
                error = str(exc)
            except (OSError, ValueError) as exc:  # refused, reset, timed out, TLS, a malformed answer
                error = f"{type(exc).__name__}: {exc}"
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.response_status = answer.status if answer else None
        if answer is not None and 200 <= answer.status < 300:
            delivery.status, delivery.error, delivery.next_attempt_at = Delivery.Status.SUCCEEDED, "", None
        else:
            delivery.error = error or _("Answered %(status)s: %(body)s") % {
                "status": answer.status if answer else "",
                "body": answer.body[:500] if answer else "",
            }
            if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or not webhook.is_active:
                delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
            else:
                delivery.status = Delivery.Status.RETRYING
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()
    return delivery


def redeliver(*, delivery: Delivery) -> Delivery:
    """Send an event again as a new delivery (same event id, same body, a new delivery id)."""
    copy = Delivery(
        webhook=delivery.webhook,
        event=delivery.event,
        event_uid=delivery.event_uid,
        payload=delivery.payload,
        redelivery_of=delivery,
    )
    copy.save()
    return copy


def due_deliveries(*, now: datetime.datetime | None = None) -> list[int]:
    """Deliveries whose next attempt is overdue, or still pending after the grace: the sweep sends them."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=settings.FOLLOW_UP_GRACE_SECONDS)
    due = Q(status=Delivery.Status.RETRYING, next_attempt_at__lte=now - datetime.timedelta(seconds=30)) | Q(
        status=Delivery.Status.PENDING, created_at__lt=grace
    )
    return list(Delivery.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:1000])
