"""What members promised and did: members, action plans, commitments, alignments, evidence and scores."""

import hashlib

from django.conf import settings
from django.db import models

from commitments.fields import JSONTextField
from resolutions.models import ActionItem, Era, Resolution

# OGP data says "ND", "NR" and "NA" in almost every column: three different answers, none of them zero.
NO_DATA = "nd"
NOT_REVIEWED = "nr"
NOT_APPLICABLE = "na"
SENTINELS: list[tuple[str, str]] = [
    (NO_DATA, "No data"),
    (NOT_REVIEWED, "Not reviewed"),
    (NOT_APPLICABLE, "Not applicable"),
]
SENTINEL_VALUES = frozenset(code for code, _ in SENTINELS)

YES_NO = [("yes", "Yes"), ("no", "No"), *SENTINELS]
SPECIFICITY = [("none", "None"), ("low", "Low"), ("medium", "Medium"), ("high", "High"), *SENTINELS]
POTENTIAL_IMPACT = [
    ("none", "None"),
    ("minor", "Minor"),
    ("moderate", "Moderate"),
    ("transformative", "Transformative"),
    *SENTINELS,
]
POTENTIAL_FOR_RESULTS = [
    ("unclear", "Unclear"),
    ("modest", "Modest"),
    ("substantial", "Substantial"),
    *SENTINELS,
]
COMPLETION = [
    ("not_started", "Not Started"),
    ("limited", "Limited"),
    ("substantial", "Substantial"),
    ("complete", "Complete"),
    ("withdrawn", "Withdrawn"),
    ("unclear", "Unclear"),
    *SENTINELS,
]
CHANGE_IN_COMPLETION = [
    ("increase", "Increase"),
    ("no_change", "No Change"),
    ("decrease", "Decrease"),
    *SENTINELS,
]
EARLY_RESULTS = [
    ("no_notable_results", "No notable results"),
    ("moderate", "Moderate"),
    ("significant", "Significant"),
    *SENTINELS,
]
DID_IT_OPEN_GOVERNMENT = [
    ("worsens", "Worsens"),
    ("did_not_change", "Did Not Change"),
    ("marginal", "Marginal"),
    ("major", "Major"),
    ("outstanding", "Outstanding"),
    ("no_early_results", "No early results to report yet"),
    *SENTINELS,
]


def irm_field(choices: list[tuple[str, str]], verbose_name: str) -> "models.CharField[str, str]":
    return models.CharField(verbose_name, max_length=20, choices=choices, default=NO_DATA)


class MemberGroup(models.Model):
    """A named group of members, such as the Leaders Network."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    launched_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", "National"
        LOCAL = "local", "Local"
        LEGACY_LOCAL = "legacy_local", "Legacy Local"
        OTHER = "other", "Other"

    class Region(models.TextChoices):
        AFRICA_MIDDLE_EAST = "africa_middle_east", "Africa and the Middle East"
        AMERICAS = "americas", "Americas"
        ASIA_PACIFIC = "asia_pacific", "Asia and the Pacific"
        EUROPE = "europe", "Europe"

    code = models.CharField(
        max_length=8,
        unique=True,
        help_text="ISO 3166 alpha-3 for countries, OGP's own code for local members.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    joined_year = models.PositiveSmallIntegerField(null=True, blank=True)
    groups = models.ManyToManyField(MemberGroup, related_name="members", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "kind"], name="member_region_kind")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ActionPlan(models.Model):
    class Forum(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Unknown"

    ogp_id = models.CharField(max_length=20, unique=True, help_text="e.g. AP_ALB01")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="action_plans")
    number = models.PositiveSmallIntegerField()
    submitted_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    duration_years = models.PositiveSmallIntegerField(null=True, blank=True)
    multistakeholder_forum = models.CharField(max_length=10, choices=Forum.choices, default=Forum.UNKNOWN)
    co_creation_notes = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member", "number"]
        constraints = [
            models.UniqueConstraint(fields=["member", "number"], name="action_plan_unique_number_per_member"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("submitted_year")),
                name="action_plan_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["member", "end_year"], name="action_plan_member_end")]

    def __str__(self) -> str:
        return self.ogp_id


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"
    NONE = "", "Not parsed"


class Commitment(models.Model):
    ogp_id = models.CharField(max_length=12, unique=True, help_text="e.g. AL0002: stable, also in OGP's URL")
    action_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="commitments")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="commitments")
    number = models.CharField(max_length=20, blank=True, help_text="As in the plan, e.g. 2 or 1.2")
    theme = models.CharField(max_length=500, blank=True)
    title = models.TextField()
    short_title = models.CharField(max_length=300, blank=True)
    full_text = models.TextField(blank=True)
    lead_institution = models.TextField(blank=True)
    supporting_institutions = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=500)

    start_date_raw = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    start_date_precision = models.CharField(max_length=10, choices=DatePrecision.choices, blank=True)
    end_date_raw = models.CharField(max_length=100, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_date_precision = models.CharField(max_length=10, choices=DatePrecision.choices, blank=True)

    # The Independent Reporting Mechanism's assessment, with ND / NR / NA as states of their own.
    specificity = irm_field(SPECIFICITY, "specificity")
    verifiable = irm_field(YES_NO, "verifiable")
    value_access_to_information = irm_field(YES_NO, "OGP value: access to information")
    value_civic_participation = irm_field(YES_NO, "OGP value: civic participation")
    value_public_accountability = irm_field(YES_NO, "OGP value: public accountability")
    value_technology = irm_field(YES_NO, "OGP value: technology and innovation")
    potential_impact = irm_field(POTENTIAL_IMPACT, "potential impact")
    potential_for_results = irm_field(POTENTIAL_FOR_RESULTS, "potential for results")
    completion_midterm = irm_field(COMPLETION, "completion (progress report)")
    completion_end_of_term = irm_field(COMPLETION, "completion (end of term)")
    change_in_completion = irm_field(CHANGE_IN_COMPLETION, "change in completion")
    early_results = irm_field(EARLY_RESULTS, "early results")
    dioG_overall = irm_field(DID_IT_OPEN_GOVERNMENT, "did it open government (overall)")
    dioG_access_to_information = irm_field(DID_IT_OPEN_GOVERNMENT, "did it open government (access to information)")
    dioG_civic_participation = irm_field(DID_IT_OPEN_GOVERNMENT, "did it open government (civic participation)")
    dioG_public_accountability = irm_field(DID_IT_OPEN_GOVERNMENT, "did it open government (public accountability)")
    starred_2015 = irm_field(YES_NO, "starred (2015 only)")
    starred_progress = irm_field(YES_NO, "starred (current formula), progress report")
    starred_end_of_term = irm_field(YES_NO, "starred (current formula), end of term")

    extra = models.JSONField(default=dict, blank=True, help_text="Columns of an import that have no field here.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ogp_id"]
        indexes = [
            models.Index(fields=["member", "action_plan"], name="commitment_member_plan"),
            models.Index(fields=["action_plan", "number"], name="commitment_plan_number"),
        ]
        permissions = [
            ("import_ogp_data", "Can import and export OGP commitment data"),
        ]

    def __str__(self) -> str:
        return f"{self.ogp_id}: {self.short_title or self.title[:80]}"

    @property
    def review_text(self) -> str:
        """The text that alignment passages point into: the full text, or the title when there is none."""
        return self.full_text or self.title

    @property
    def text_hash(self) -> str:
        """Identifies the wording a suggestion or decision was made on; any change to it re-opens rejections."""
        return hash_commitment_text(title=self.title, full_text=self.full_text)


def hash_commitment_text(*, title: str, full_text: str) -> str:
    return hashlib.sha256(f"{title}\n\n{full_text}".encode()).hexdigest()


class PolicyArea(models.Model):
    """One of OGP's policy-area tags; the set is data because OGP revises it every year."""

    name = models.CharField(max_length=200, unique=True, help_text="The column header in OGP's export.")
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitmentPolicyArea(models.Model):
    """A commitment's tag value; an absent row means the export said 0."""

    class Value(models.TextChoices):
        YES = "yes", "1"
        NO_DATA = NO_DATA, "ND"
        NOT_REVIEWED = NOT_REVIEWED, "NR"
        NOT_APPLICABLE = NOT_APPLICABLE, "NA"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="policy_area_values")
    policy_area = models.ForeignKey(PolicyArea, on_delete=models.CASCADE, related_name="commitment_values")
    value = models.CharField(max_length=3, choices=Value.choices, default=Value.YES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commitment", "policy_area"], name="commitment_policy_area_unique"),
        ]
        indexes = [models.Index(fields=["policy_area", "value"], name="commitment_pa_area_value")]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.policy_area_id}={self.value}"


class PolicyAreaCrosswalk(models.Model):
    """Maps an OGP policy area to the era or action item it is evidence for; feeds suggestions only."""

    policy_area = models.ForeignKey(PolicyArea, on_delete=models.CASCADE, related_name="crosswalk")
    era = models.ForeignKey(Era, on_delete=models.CASCADE, related_name="crosswalk", null=True, blank=True)
    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="crosswalk", null=True, blank=True
    )
    weight = models.FloatField(default=1.0, help_text="How strongly a tag points at the target, 0 to 1.")
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(era__isnull=False, action_item__isnull=True)
                | models.Q(era__isnull=True, action_item__isnull=False),
                name="crosswalk_targets_era_or_action_item",
            ),
            models.UniqueConstraint(
                fields=["policy_area", "era"],
                condition=models.Q(era__isnull=False),
                name="crosswalk_unique_era",
            ),
            models.UniqueConstraint(
                fields=["policy_area", "action_item"],
                condition=models.Q(action_item__isnull=False),
                name="crosswalk_unique_action_item",
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=1), name="crosswalk_weight_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_area} → {self.action_item or self.era}"


class ReviewStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class Origin(models.TextChoices):
    CLASSIFIER = "classifier", "Classifier"
    REVIEWER = "reviewer", "Reviewer"
    IMPORT = "import", "Import"
    PARTNER = "partner", "Partner system"


class Alignment(models.Model):
    """A commitment answers an action item; suggested ones never count until a person confirms them."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="alignments")
    action_item = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="alignments")
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUGGESTED)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    confidence = models.FloatField(null=True, blank=True)
    passage_start = models.PositiveIntegerField(null=True, blank=True)
    passage_end = models.PositiveIntegerField(null=True, blank=True)
    excerpt = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    text_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="Hash of the commitment text the suggestion or decision was made on.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commitment", "action_item"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "action_item"], name="alignment_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True) | models.Q(confidence__gte=0, confidence__lte=1),
                name="alignment_confidence_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(passage_start__isnull=True, passage_end__isnull=True)
                | models.Q(passage_start__lte=models.F("passage_end")),
                name="alignment_passage_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status="suggested") | models.Q(decided_at__isnull=False),
                name="alignment_decisions_are_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["action_item", "status"], name="alignment_item_status"),
            models.Index(fields=["status", "-confidence"], name="alignment_review_queue"),
            # What scoring reads: a commitment's confirmed alignments, without visiting the table.
            models.Index(
                fields=["commitment", "action_item"],
                condition=models.Q(status="confirmed"),
                name="alignment_confirmed",
            ),
        ]
        permissions = [
            ("review_alignment", "Can confirm, reject or edit alignments as a reviewer"),
            ("adjudicate_alignment", "Can overrule a reviewer's decision on a disputed alignment"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} → {self.action_item_id} ({self.status})"


class ProcessEvidence(models.Model):
    """What a member did in an action plan cycle that answers a process action item."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="process_evidence")
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="process_evidence", null=True, blank=True
    )
    action_item = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="process_evidence")
    description = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUGGESTED)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "process evidence"
        ordering = ["member", "action_item"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="suggested") | models.Q(decided_at__isnull=False),
                name="process_evidence_decisions_are_dated",
            ),
        ]
        indexes = [models.Index(fields=["member", "action_item", "status"], name="process_evidence_lookup")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.action_item_id} ({self.status})"


class ReviewEvent(models.Model):
    """One change to an alignment or a piece of process evidence; kept for ever."""

    alignment = models.ForeignKey(Alignment, on_delete=models.CASCADE, related_name="history", null=True, blank=True)
    process_evidence = models.ForeignKey(
        ProcessEvidence, on_delete=models.CASCADE, related_name="history", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(max_length=12, choices=Origin.choices)
    from_status = models.CharField(max_length=10, choices=ReviewStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReviewStatus.choices)
    confidence = models.FloatField(null=True, blank=True)
    passage_start = models.PositiveIntegerField(null=True, blank=True)
    passage_end = models.PositiveIntegerField(null=True, blank=True)
    excerpt = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alignment__isnull=False, process_evidence__isnull=True)
                | models.Q(alignment__isnull=True, process_evidence__isnull=False),
                name="review_event_has_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} at {self.at:%Y-%m-%d %H:%M}"


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
        help_text="Empty: overall score.",
    )
    methodology_version = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=6, decimal_places=2, help_text="0 to 100")
    coverage = models.DecimalField(max_digits=5, decimal_places=4, help_text="Share of items with strength > 0")
    uncertainty = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="Share of the evidence lacking IRM data"
    )
    evidence_count = models.PositiveIntegerField(default=0)
    components = JSONTextField(default=dict, help_text="Each action item's strength and the evidence behind it")
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
    superseded_at = models.DateTimeField(help_text="When a recompute replaced this value.")

    class Meta:
        ordering = ["-computed_at"]
        indexes = [
            models.Index(fields=["member", "era", "methodology_version", "-computed_at"], name="snapshot_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.era_id or 'overall'} at {self.computed_at:%Y-%m-%d %H:%M}"


class SuggestionModel(models.Model):
    """A classifier trained on reviewers' decisions for one action item; the newest version is used."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="suggestion_models")
    version = models.PositiveIntegerField()
    trained_at = models.DateTimeField()
    positives = models.PositiveIntegerField(help_text="Confirmed alignments it learned from.")
    negatives = models.PositiveIntegerField(help_text="Rejected alignments it learned from.")
    payload = models.BinaryField(help_text="The fitted scikit-learn pipeline, pickled by this application.")

    class Meta:
        ordering = ["action_item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["action_item", "version"], name="suggestion_model_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.action_item_id} v{self.version} ({self.positives}+/{self.negatives}-)"


class ImportRun(models.Model):
    """One import of an OGP export file, dry run or real, with its progress and its full report."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        REJECTED = "rejected", "Rejected (nothing written)"
        FAILED = "failed", "Failed (nothing written)"

    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "import"
        return f"{self.file_name} ({kind}, {self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.REJECTED, self.Status.FAILED}


class PendingRecompute(models.Model):
    """A member whose scores wait for the next recompute; one row per member coalesces a burst of edits."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.member_id} since {self.requested_at:%Y-%m-%d %H:%M:%S}"


class RecomputeRun(models.Model):
    """One recompute of scores, as staff see it: what, for whom, how far, and how it ended."""

    class Kind(models.TextChoices):
        FULL = "full", "Full recompute"
        MEMBERS = "members", "Members after edits"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    methodology_version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    chunk_size = models.PositiveIntegerField(default=1000)
    chunks_total = models.PositiveIntegerField(null=True, blank=True)
    chunks_done = models.JSONField(default=list, blank=True, help_text="Indexes of the chunks already committed")
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

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.methodology_version} ({self.status})"
