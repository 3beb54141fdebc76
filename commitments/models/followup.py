"""Markers of work that must follow a write, written in the write's own transaction (`commitments.followup`)."""

from django.db import models

from commitments.models.catalogue import Commitment, Member


class PendingRecompute(models.Model):
    """A member whose scores wait for the next recompute; one row per member coalesces a burst of edits."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.member_id} since {self.requested_at:%Y-%m-%d %H:%M:%S}"


class PendingSuggestion(models.Model):
    """A commitment whose suggestions must be worked out again: new, or its text or tags changed."""

    commitment = models.OneToOneField(Commitment, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.commitment_id} since {self.requested_at:%Y-%m-%d %H:%M:%S}"
