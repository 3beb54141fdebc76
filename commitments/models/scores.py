"""Scores, their history, and the runs and markers that keep them current."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commitments.fields import JSONTextField
from commitments.models.catalogue import Member
from resolutions.models import Era, Resolution


class ScoreFields(models.Model):
    """What a score says; shared by the current score and its snapshots.

    Scores are derived data written a hundred thousand at a time, so they carry only what their readers
    need. Resolutions and eras are framework rows that only `load_frameworks` writes and never deletes:
    their references are not checked row by row in the database, which took a third of a full recompute;
    deleting one through Django still deletes its scores. How the member reference is kept: see `Score`.
    The components are stored as written (`JSONTextField`), since they are only ever read whole.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    era = models.ForeignKey(
        Era,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        db_constraint=False,
        help_text=_("Empty: overall score."),
    )
    methodology_version = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=6, decimal_places=2, help_text=_("0 to 100"))
    coverage = models.DecimalField(max_digits=5, decimal_places=4, help_text=_("Share of items with strength > 0"))
    uncertainty = models.DecimalField(
        max_digits=5, decimal_places=4, help_text=_("Share of the evidence lacking IRM data")
    )
    evidence_count = models.PositiveIntegerField(default=0)
    components = JSONTextField(default=dict, help_text=_("Each action item's strength and the evidence behind it"))
    computed_at = models.DateTimeField()

    class Meta:
        abstract = True


class Score(ScoreFields):
    """The current value of one score.

    Its unique constraints are also its only indexes besides the key: (member, era, version) serves the
    member page and a member's history, and (member, resolution, version) for overall scores serves the
    members list. An overall score has no era, and SQL does not count two empty eras as equal, so the
    first one constrains era scores only.

    The member reference is not checked row by row either: scores are written only by statements that
    read their member rows while holding a lock on them, so a new score always has its member. The other
    way round, a database trigger (migration 0006, PostgreSQL) deletes a member's scores with the member,
    including those a recompute committed while the deletion waited for its lock.
    """

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="scores", db_index=False, db_constraint=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "era", "methodology_version"], name="score_one_current_per_era"),
            models.UniqueConstraint(
                fields=["member", "resolution", "methodology_version"],
                condition=models.Q(era__isnull=True),
                name="score_one_current_overall",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0, value__lte=100), name="score_value_in_range"),
        ]
        permissions = [("recompute_scores", "Can trigger a recompute of scores")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.era_id or 'overall'} {self.methodology_version}: {self.value}"


class ScoreSnapshot(ScoreFields):
    """A value a score held and no longer holds: the current value is the `Score` row itself.

    When a recompute changes a score, the row it replaces is copied here first, with the time it was
    replaced; a score that never changed has no snapshot. History = snapshots, oldest first, then the score.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="score_snapshots", db_index=False)
    superseded_at = models.DateTimeField(help_text=_("When a recompute replaced this value."))

    class Meta:
        ordering = ["-computed_at"]
        indexes = [
            models.Index(fields=["member", "era", "methodology_version", "-computed_at"], name="snapshot_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.era_id or 'overall'} at {self.computed_at:%Y-%m-%d %H:%M}"


class RecomputeRun(models.Model):
    """One recompute of scores, as staff see it: what, for whom, how far, and how it ended."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full recompute")
        MEMBERS = "members", _("Members after edits")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    methodology_version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    chunk_size = models.PositiveIntegerField(default=1000)
    chunks_total = models.PositiveIntegerField(null=True, blank=True)
    chunks_done = models.JSONField(default=list, blank=True, help_text=_("Indexes of the chunks already committed"))
    members_total = models.PositiveIntegerField(default=0)
    members_done = models.PositiveIntegerField(default=0)
    scores_written = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the sweep last enqueued it again after its worker was lost.")
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text=_("How often the sweep enqueued it again."))

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.methodology_version} ({self.status})"
