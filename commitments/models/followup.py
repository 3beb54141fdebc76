"""Markers of work that must follow a write, written in the write's own transaction (`commitments.followup`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commitments.models.catalogue import Commitment, Member


class PendingRecompute(models.Model):
    """A member whose scores wait for the next recompute; one row per member coalesces a burst of edits."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member"))
    requested_at = models.DateTimeField(verbose_name=_("requested at"))

    class Meta:
        verbose_name = _("pending recompute")
        verbose_name_plural = _("pending recomputes")

    def __str__(self) -> str:
        return f"{self.member_id} since {self.requested_at:%Y-%m-%d %H:%M:%S}"


class PendingSuggestion(models.Model):
    """A commitment whose suggestions must be worked out again: new, or its text or tags changed."""

    commitment = models.OneToOneField(
        Commitment, on_delete=models.CASCADE, related_name="+", verbose_name=_("commitment")
    )
    requested_at = models.DateTimeField(verbose_name=_("requested at"))

    class Meta:
        verbose_name = _("pending suggestion")
        verbose_name_plural = _("pending suggestions")

    def __str__(self) -> str:
        return f"{self.commitment_id} since {self.requested_at:%Y-%m-%d %H:%M:%S}"
