"""What partner systems hold: tokens to the API, webhooks with their delivery log, and bulk snapshots."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.roles import PARTNERS


class Scope(models.TextChoices):
    READ = "read", _("Read")
    DECIDE = "decide", _("Decide alignments")
    IMPORT = "import", _("Import OGP data")


class PartnerToken(models.Model):
    """A key to the API for one partner account. Only a hash of the key is kept; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_tokens",
        limit_choices_to={"groups__name": PARTNERS},
        help_text=_("A partner account: a user in the Partners group."),
        verbose_name=_("user"),
    )
    name = models.CharField(
        max_length=100, help_text=_("What it is for, e.g. the portal's nightly sync."), verbose_name=_("name")
    )
    prefix = models.CharField(
        max_length=16, editable=False, help_text=_("The start of the key, to recognise it."), verbose_name=_("prefix")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("key hash"))
    scopes = models.JSONField(default=list, help_text=_("Any of: read, decide, import."), verbose_name=_("scopes"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("last used at"))
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("revoked at"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("partner token")
        verbose_name_plural = _("partner tokens")
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
    SCORES_CHANGED = "scores.changed", _("A member's scores changed")
    IMPORT_LANDED = "import.landed", _("An import of OGP data landed")


def all_events() -> list[str]:
    return [event.value for event in Event]


class Webhook(models.Model):
    """A URL of a partner's that is told, signed, when something it subscribed to happens."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhooks",
        limit_choices_to={"groups__name": PARTNERS},
        verbose_name=_("owner"),
    )
    url = models.URLField(max_length=500, verbose_name=_("url"))
    events = models.JSONField(
        default=all_events, help_text=_("Any of: scores.changed, import.landed."), verbose_name=_("events")
    )
    secret = models.CharField(
        max_length=64,
        editable=False,
        help_text=_("Signs every delivery; shown once, when the webhook is created."),
        verbose_name=_("secret"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event sent (or being sent) to one webhook, with what its last attempt got."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Failed, will retry")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed, given up")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook"))
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("uid"))
    event = models.CharField(max_length=30, choices=Event.choices, verbose_name=_("event"))
    event_uid = models.UUIDField(
        help_text=_("The event; a redelivery carries the same one."), verbose_name=_("event uid")
    )
    payload = models.JSONField(verbose_name=_("payload"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name=_("status"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    last_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last attempt at"))
    response_status = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("response status"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    redelivery_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("redelivery of")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"


class Snapshot(models.Model):
    """One dated archive of everything public, built by a task and served as a file."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    file = models.FileField(upload_to="snapshots/", blank=True, verbose_name=_("file"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING, verbose_name=_("status"))
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("sha256"))
    counts = models.JSONField(default=dict, blank=True, help_text=_("Rows per table."), verbose_name=_("counts"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-created_at", "-pk"]
        permissions = [("build_snapshot", "Can build a snapshot of the public data")]

    def __str__(self) -> str:
        return f"snapshot {self.created_at:%Y-%m-%d %H:%M} ({self.status})"
