"""What partner systems hold: tokens to the API, webhooks with their delivery log, and bulk snapshots."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.roles import PARTNERS


class Scope(models.TextChoices):
    READ = "read", "Read"
    DECIDE = "decide", "Decide alignments"
    IMPORT = "import", "Import OGP data"


class PartnerToken(models.Model):
    """A key to the API for one partner account. Only a hash of the key is kept; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_tokens",
        limit_choices_to={"groups__name": PARTNERS},
        help_text=_("A partner account: a user in the Partners group."),
    )
    name = models.CharField(max_length=100, help_text=_("What it is for, e.g. the portal's nightly sync."))
    prefix = models.CharField(max_length=16, editable=False, help_text=_("The start of the key, to recognise it."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list, help_text=_("Any of: read, decide, import."))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("issue_partnertoken", "Can issue and revoke partner tokens")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class Event(models.TextChoices):
    SCORES_CHANGED = "scores.changed", "A member's scores changed"
    IMPORT_LANDED = "import.landed", "An import of OGP data landed"


def all_events() -> list[str]:
    return [event.value for event in Event]


class Webhook(models.Model):
    """A URL of a partner's that is told, signed, when something it subscribed to happens."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhooks",
        limit_choices_to={"groups__name": PARTNERS},
    )
    url = models.URLField(max_length=500)
    events = models.JSONField(default=all_events, help_text=_("Any of: scores.changed, import.landed."))
    secret = models.CharField(
        max_length=64, editable=False, help_text=_("Signs every delivery; shown once, when the webhook is created.")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event sent (or being sent) to one webhook, with what its last attempt got."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Failed, will retry"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed, given up"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=30, choices=Event.choices)
    event_uid = models.UUIDField(help_text=_("The event; a redelivery carries the same one."))
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    redelivery_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"


class Snapshot(models.Model):
    """One dated archive of everything public, built by a task and served as a file."""

    class Status(models.TextChoices):
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    file = models.FileField(upload_to="snapshots/", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    counts = models.JSONField(default=dict, blank=True, help_text=_("Rows per table."))
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("build_snapshot", "Can build a snapshot of the public data")]

    def __str__(self) -> str:
        return f"snapshot {self.created_at:%Y-%m-%d %H:%M} ({self.status})"
