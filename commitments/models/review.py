"""Alignments and process evidence under review, their history, and the models trained on decisions."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.deletion import CASCADE, Collector, ProtectedError
from django.utils.translation import gettext_lazy as _

from commitments.models.catalogue import ActionPlan, Commitment, Member
from resolutions.models import ActionItem


class ReviewStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What may not disappear with the row it hangs on: a confirmed alignment, a decided process evidence. They
# are withdrawn by a recorded decision instead; then what they hang on may be deleted.
KEPT_ALIGNMENT_STATUSES = (ReviewStatus.CONFIRMED,)
KEPT_EVIDENCE_STATUSES = (ReviewStatus.CONFIRMED, ReviewStatus.REJECTED)


def keep_decisions(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
    """`on_delete` of alignments and process evidence: deleting the commitment, plan or member they hang on
    is refused while one of them holds a decision that must be withdrawn first (the statuses above);
    otherwise they go with it, and their review history stays (`ReviewEvent` keeps its subject's name).

    Every deletion through the ORM passes here: the admin, with its confirmation page listing what protects
    the row, the API, commands and the shell.
    """
    kept = KEPT_ALIGNMENT_STATUSES if field.model is Alignment else KEPT_EVIDENCE_STATUSES
    decided = [obj for obj in sub_objs if obj.status in kept]
    if decided:
        raise ProtectedError(
            f"Cannot delete: {len(decided)} decision(s) on {field.model._meta.verbose_name_plural} depend on it; "
            "withdraw them first.",
            set(decided),
        )
    CASCADE(collector, field, sub_objs, using)


class Origin(models.TextChoices):
    CLASSIFIER = "classifier", _("Classifier")
    REVIEWER = "reviewer", _("Reviewer")
    IMPORT = "import", _("Import")
    PARTNER = "partner", _("Partner system")


class Alignment(models.Model):
    """A commitment answers an action item; suggested ones never count until a person confirms them."""

    commitment = models.ForeignKey(
        Commitment, on_delete=keep_decisions, related_name="alignments", verbose_name=_("commitment")
    )
    action_item = models.ForeignKey(
        ActionItem, on_delete=models.PROTECT, related_name="alignments", verbose_name=_("action item")
    )
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUGGESTED, verbose_name=_("status")
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, verbose_name=_("origin"))
    confidence = models.FloatField(null=True, blank=True, verbose_name=_("confidence"))
    passage_start = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("passage start"))
    passage_end = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("passage end"))
    excerpt = models.TextField(blank=True, verbose_name=_("excerpt"))
    rationale = models.TextField(blank=True, verbose_name=_("rationale"))
    text_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Hash of the commitment text the suggestion or decision was made on."),
        verbose_name=_("text hash"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    version = models.PositiveIntegerField(
        default=1,
        help_text=_("Goes up with every change; a decision names the version it was made on."),
        verbose_name=_("version"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
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
            # The API dates its lists by the newest change (Last-Modified) and filters by `updated_since`.
            models.Index(fields=["updated_at"], name="alignment_updated_at"),
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

    member = models.ForeignKey(
        Member, on_delete=keep_decisions, related_name="process_evidence", verbose_name=_("member")
    )
    action_plan = models.ForeignKey(
        ActionPlan,
        on_delete=keep_decisions,
        related_name="process_evidence",
        null=True,
        blank=True,
        verbose_name=_("action plan"),
    )
    action_item = models.ForeignKey(
        ActionItem, on_delete=models.PROTECT, related_name="process_evidence", verbose_name=_("action item")
    )
    description = models.TextField(verbose_name=_("description"))
    source_url = models.URLField(max_length=500, blank=True, verbose_name=_("source url"))
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUGGESTED, verbose_name=_("status")
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, verbose_name=_("origin"))
    rationale = models.TextField(blank=True, verbose_name=_("rationale"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    version = models.PositiveIntegerField(
        default=1,
        help_text=_("Goes up with every change; a decision names the version it was made on."),
        verbose_name=_("version"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("process evidence")
        verbose_name_plural = _("process evidence")
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
    """One change to an alignment or a piece of process evidence; kept for ever, even after its subject is gone.

    `subject` names what the event was about in words that outlive the row (commitment id and action item
    code, or member code, action item and evidence id), so the history of a deleted subject stays readable.
    """

    alignment = models.ForeignKey(
        Alignment, on_delete=models.SET_NULL, related_name="history", null=True, blank=True, verbose_name=_("alignment")
    )
    process_evidence = models.ForeignKey(
        ProcessEvidence,
        on_delete=models.SET_NULL,
        related_name="history",
        null=True,
        blank=True,
        verbose_name=_("process evidence"),
    )
    subject = models.CharField(
        max_length=200, help_text=_("What it was about, as it was named then."), verbose_name=_("subject")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, verbose_name=_("origin"))
    from_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=10, choices=ReviewStatus.choices, verbose_name=_("to status"))
    confidence = models.FloatField(null=True, blank=True, verbose_name=_("confidence"))
    passage_start = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("passage start"))
    passage_end = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("passage end"))
    excerpt = models.TextField(blank=True, verbose_name=_("excerpt"))
    rationale = models.TextField(blank=True, verbose_name=_("rationale"))
    at = models.DateTimeField(verbose_name=_("at"))

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alignment__isnull=True) | models.Q(process_evidence__isnull=True),
                name="review_event_has_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.from_status or 'new'} → {self.to_status} at {self.at:%Y-%m-%d %H:%M}"


class SuggestionModel(models.Model):
    """A classifier for one action item, trained on policy-area tags (weak labels) and reviewers' decisions.

    It is used for suggesting only when `active`: when it beat the rules on a held-out split of its own
    training examples. Only the newest version of an item counts.
    """

    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="suggestion_models", verbose_name=_("action item")
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    trained_at = models.DateTimeField(verbose_name=_("trained at"))
    positives = models.PositiveIntegerField(
        help_text=_("Positive examples it learned from, tags and decisions."), verbose_name=_("positives")
    )
    negatives = models.PositiveIntegerField(
        help_text=_("Negative examples it learned from, tags and decisions."), verbose_name=_("negatives")
    )
    tag_positives = models.PositiveIntegerField(
        default=0, help_text=_("Commitments whose tags point at the item."), verbose_name=_("tag positives")
    )
    tag_negatives = models.PositiveIntegerField(
        default=0, help_text=_("Tagged commitments whose tags do not."), verbose_name=_("tag negatives")
    )
    decision_positives = models.PositiveIntegerField(
        default=0, help_text=_("Confirmed alignments."), verbose_name=_("decision positives")
    )
    decision_negatives = models.PositiveIntegerField(
        default=0, help_text=_("Rejected alignments."), verbose_name=_("decision negatives")
    )
    threshold = models.FloatField(
        default=0.5,
        help_text=_("Chosen by cross-validation: the F1-maximising probability."),
        verbose_name=_("threshold"),
    )
    held_out = models.PositiveIntegerField(
        default=0, help_text=_("Examples kept aside for the gate."), verbose_name=_("held out")
    )
    held_out_positives = models.PositiveIntegerField(
        default=0, help_text=_("Positives among them."), verbose_name=_("held out positives")
    )
    model_f1 = models.FloatField(
        default=0.0,
        help_text=_("The model's F1 at its threshold on the held-out examples."),
        verbose_name=_("model f1"),
    )
    rules_f1 = models.FloatField(
        default=0.0, help_text=_("The vocabulary rules' F1 on the same held-out examples."), verbose_name=_("rules f1")
    )
    active = models.BooleanField(
        default=False,
        help_text=_(
            "Whether it beat the rules there, on enough positives; an inactive one is never used for suggesting."
        ),
        verbose_name=_("active"),
    )
    payload = models.BinaryField(
        help_text=_("The fitted scikit-learn pipeline, pickled by this application."), verbose_name=_("payload")
    )

    class Meta:
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")
        ordering = ["action_item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["action_item", "version"], name="suggestion_model_unique_version"),
        ]

    def __str__(self) -> str:
        state = "active" if self.active else "inactive"
        return f"{self.action_item_id} v{self.version} ({self.positives}+/{self.negatives}-, {state})"


def alignment_subject(*, ogp_id: str, item_code: str) -> str:
    return f"{ogp_id} → {item_code}"


def evidence_subject(*, member_code: str, item_code: str, evidence_id: int) -> str:
    return f"{member_code} / {item_code} / evidence {evidence_id}"


class DisagreementFlag(models.Model):
    """A reviewer disagrees with another reviewer's decision and asks the Support Unit to look at it.

    The row is its own history: who raised it, on which version of the alignment, why; who resolved it,
    when and how. It outlives the alignment (`subject` names it in words).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    alignment = models.ForeignKey(
        Alignment,
        on_delete=models.SET_NULL,
        related_name="disagreement_flags",
        null=True,
        blank=True,
        verbose_name=_("alignment"),
    )
    subject = models.CharField(
        max_length=200, help_text=_("What it was about, as it was named then."), verbose_name=_("subject")
    )
    alignment_version = models.PositiveIntegerField(
        help_text=_("The version of the decision disagreed with."), verbose_name=_("alignment version")
    )
    decision_status = models.CharField(max_length=10, choices=ReviewStatus.choices, verbose_name=_("decision status"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    raised_at = models.DateTimeField(verbose_name=_("raised at"))
    reason = models.TextField(verbose_name=_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, verbose_name=_("status"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    resolution = models.TextField(blank=True, verbose_name=_("resolution"))

    class Meta:
        verbose_name = _("disagreement flag")
        verbose_name_plural = _("disagreement flags")
        ordering = ["status", "-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alignment", "raised_by"],
                condition=models.Q(status="open"),
                name="disagreement_flag_one_open_per_reviewer",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(resolved_at__isnull=False),
                name="disagreement_flag_resolutions_are_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.status}"
