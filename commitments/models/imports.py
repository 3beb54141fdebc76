"""Imports of OGP export files, as staff follow them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import of an OGP export file, dry run or real, with its progress and its full report."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        REJECTED = "rejected", _("Rejected (nothing written)")
        FAILED = "failed", _("Failed (nothing written)")

    file = models.FileField(upload_to="imports/%Y/%m/", blank=True, verbose_name=_("file"))
    file_name = models.CharField(max_length=255, verbose_name=_("file name"))
    sha256 = models.CharField(max_length=64, verbose_name=_("sha256"))
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    dry_run = models.BooleanField(default=False, verbose_name=_("dry run"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name=_("status"))
    rows_done = models.PositiveIntegerField(default=0, verbose_name=_("rows done"))
    rows_total = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("rows total"))
    created = models.PositiveIntegerField(default=0, verbose_name=_("created"))
    updated = models.PositiveIntegerField(default=0, verbose_name=_("updated"))
    unchanged = models.PositiveIntegerField(default=0, verbose_name=_("unchanged"))
    report = models.JSONField(default=dict, blank=True, verbose_name=_("report"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the sweep last enqueued it again after its worker was lost."),
        verbose_name=_("enqueued at"),
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text=_("How often the sweep enqueued it again."), verbose_name=_("attempts")
    )

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "import"
        return f"{self.file_name} ({kind}, {self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.REJECTED, self.Status.FAILED}
