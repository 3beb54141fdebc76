"""What was asked: resolutions, their eras and action items, and the meetings that follow them up."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Resolution(models.Model):
    class Kind(models.TextChoices):
        CALL_TO_ACTION = "call_to_action", _("Call to action")
        WORK_PLAN = "work_plan", _("Work plan")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    issuing_body = models.CharField(max_length=200)
    adopted_on = models.DateField(help_text=_("Date the issuing body endorsed or adopted it."))
    source_url = models.URLField(blank=True)
    preamble = models.TextField(blank=True)
    text = models.TextField(help_text=_("The full text, as adopted."))
    # Translations of the English source; empty means "show the English" (resolutions.translation).
    title_es = models.CharField(max_length=300, blank=True)
    title_fr = models.CharField(max_length=300, blank=True)
    preamble_es = models.TextField(blank=True)
    preamble_fr = models.TextField(blank=True)
    text_es = models.TextField(blank=True)
    text_fr = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["adopted_on", "title"]

    def __str__(self) -> str:
        return self.title


class Era(models.Model):
    """An era of a call to action; a work plan calls the same thing a pillar or a stream."""

    class Term(models.TextChoices):
        ERA = "era", _("Era")
        PILLAR = "pillar", _("Pillar")
        STREAM = "stream", _("Stream")

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="eras")
    key = models.SlugField(max_length=60)
    term = models.CharField(max_length=10, choices=Term.choices, default=Term.ERA)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    title_es = models.CharField(max_length=300, blank=True)
    title_fr = models.CharField(max_length=300, blank=True)
    description_es = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["resolution", "order"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "key"], name="era_unique_key_per_resolution"),
            models.UniqueConstraint(fields=["resolution", "order"], name="era_unique_order_per_resolution"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    class Addressee(models.TextChoices):
        MEMBERS = "members", _("OGP members")
        SUPPORT_UNIT = "support_unit", _("OGP Support Unit")

    class Evidence(models.TextChoices):
        COMMITMENT = "commitment", _("A commitment in an action plan")
        PROCESS = "process", _("A process practice")
        NONE = "none", _("Not evidenced by members")

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="action_items")
    era = models.ForeignKey(
        Era,
        on_delete=models.CASCADE,
        related_name="action_items",
        null=True,
        blank=True,
        help_text=_("Empty for asks addressed to the whole resolution, such as the call on the Support Unit."),
    )
    code = models.SlugField(max_length=60, unique=True, help_text=_("Stable code, used in links and exports."))
    text = models.TextField()
    short_title = models.CharField(max_length=120)
    text_es = models.TextField(blank=True)
    text_fr = models.TextField(blank=True)
    short_title_es = models.CharField(max_length=120, blank=True)
    short_title_fr = models.CharField(max_length=120, blank=True)
    addressee = models.CharField(max_length=20, choices=Addressee.choices, default=Addressee.MEMBERS)
    evidence = models.CharField(max_length=20, choices=Evidence.choices)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["resolution", "era__order", "order"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(addressee="members") | models.Q(era__isnull=False),
                name="action_item_member_asks_belong_to_an_era",
            ),
            models.CheckConstraint(
                condition=~models.Q(addressee="members") | ~models.Q(evidence="none"),
                name="action_item_member_asks_have_evidence",
            ),
        ]
        indexes = [models.Index(fields=["era", "addressee"], name="action_item_era_addressee")]

    def __str__(self) -> str:
        return f"{self.code}: {self.short_title}"

    @property
    def is_member_directed(self) -> bool:
        return self.addressee == self.Addressee.MEMBERS


class Meeting(models.Model):
    """A subcommittee call, with who came, what was discussed and what must follow."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.SET_NULL, related_name="meetings", null=True, blank=True
    )
    slug = models.SlugField(max_length=120, unique=True)
    body = models.CharField(max_length=200, help_text=_("The subcommittee or group that met."))
    title = models.CharField(max_length=300)
    held_on = models.DateField()
    time_description = models.CharField(max_length=80, blank=True, help_text=_("As written, e.g. 08:00 - 9:30 EDT"))
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %B %Y})"


class Attendance(models.Model):
    class Role(models.TextChoices):
        ATTENDEE = "attendee", _("Attendee")
        GUEST = "guest", _("Guest")
        APOLOGY = "apology", _("Apologies")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    role = models.CharField(max_length=10, choices=Role.choices)
    government = models.CharField(max_length=200, blank=True, help_text=_("e.g. Government of Argentina"))
    person = models.CharField(max_length=200, blank=True)
    position = models.CharField(max_length=200, blank=True, help_text=_("e.g. Lead Civil Society Co-Chair"))
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["meeting", "role", "order"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(government="", person=""), name="attendance_names_someone"),
            models.UniqueConstraint(
                fields=["meeting", "role", "government", "person"], name="attendance_unique_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        who = ", ".join(part for part in (self.person, self.government) if part)
        return f"{who} ({self.get_role_display()})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.CharField(max_length=10, help_text=_("As numbered in the summary, e.g. I, II, III"))
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    reference_material = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AgendaPoint(models.Model):
    """A suggestion made, or a question put, under an agenda item."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("Suggestion")
        QUESTION = "question", _("Question")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUGGESTION)
    text = models.TextField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["agenda_item", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "kind", "order"], name="agenda_point_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class NextStep(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="next_steps")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, related_name="next_steps", null=True, blank=True
    )
    text = models.TextField()
    owner = models.CharField(max_length=200, help_text=_("Who must act, e.g. Support Unit"))
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="next_step_unique_order"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="next_step_status_due")]

    def __str__(self) -> str:
        return f"{self.owner}: {self.text[:60]}"
