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

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member"))
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("resolution"),
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
        verbose_name=_("era"),
    )
    methodology_version = models.CharField(max_length=20, verbose_name=_("methodology version"))
    value = models.DecimalField(max_digits=6, decimal_places=2, help_text=_("0 to 100"), verbose_name=_("value"))
    coverage = models.DecimalField(
        max_digits=5, decimal_places=4, help_text=_("Share of items with strength > 0"), verbose_name=_("coverage")
    )
    uncertainty = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        help_text=_("Share of the evidence lacking IRM data"),
        verbose_name=_("uncertainty"),
    )
    evidence_count = models.PositiveIntegerField(default=0, verbose_name=_("evidence count"))
    components = JSONTextField(
        default=dict,
        help_text=_("Each action item's strength and the evidence behind it"),
        verbose_name=_("components"),
    )
    computed_at = models.DateTimeField(verbose_name=_("computed at"))

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
        Member,
        on_delete=models.CASCADE,
        related_name="scores",
        db_index=False,
        db_constraint=False,
        verbose_name=_("member"),
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
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

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="score_snapshots", db_index=False, verbose_name=_("member")
    )
    superseded_at = models.DateTimeField(
        help_text=_("When a recompute replaced this value."), verbose_name=_("superseded at")
    )

    class Meta:
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
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

    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    methodology_version = models.CharField(max_length=20, verbose_name=_("methodology version"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status"))
    chunk_size = models.PositiveIntegerField(default=1000, verbose_name=_("chunk size"))
    chunks_total = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("chunks total"))
    chunks_done = models.JSONField(
        default=list, blank=True, help_text=_("Indexes of the chunks already committed"), verbose_name=_("chunks done")
    )
    members_total = models.PositiveIntegerField(default=0, verbose_name=_("members total"))
    members_done = models.PositiveIntegerField(default=0, verbose_name=_("members done"))
    scores_written = models.PositiveIntegerField(default=0, verbose_name=_("scores written"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    error = models.TextField(blank=True, verbose_name=_("error"))
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
        verbose_name = _("recompute run")
        verbose_name_plural = _("recompute runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.methodology_version} ({self.status})"
