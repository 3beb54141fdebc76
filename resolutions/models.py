"""What was asked: resolutions, their eras and action items, and the meetings that follow them up."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Resolution(models.Model):
    class Kind(models.TextChoices):
        CALL_TO_ACTION = "call_to_action", _("Call to action")
        WORK_PLAN = "work_plan", _("Work plan")

    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    issuing_body = models.CharField(max_length=200, verbose_name=_("issuing body"))
    adopted_on = models.DateField(
        help_text=_("Date the issuing body endorsed or adopted it."), verbose_name=_("adopted on")
    )
    source_url = models.URLField(blank=True, verbose_name=_("source url"))
    preamble = models.TextField(blank=True, verbose_name=_("preamble"))
    text = models.TextField(help_text=_("The full text, as adopted."), verbose_name=_("text"))
    # Translations of the English source; empty means "show the English" (resolutions.translation).
    title_es = models.CharField(max_length=300, blank=True, verbose_name=_("title es"))
    title_fr = models.CharField(max_length=300, blank=True, verbose_name=_("title fr"))
    preamble_es = models.TextField(blank=True, verbose_name=_("preamble es"))
    preamble_fr = models.TextField(blank=True, verbose_name=_("preamble fr"))
    text_es = models.TextField(blank=True, verbose_name=_("text es"))
    text_fr = models.TextField(blank=True, verbose_name=_("text fr"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["adopted_on", "title"]

    def __str__(self) -> str:
        return self.title


class Era(models.Model):
    """An era of a call to action; a work plan calls the same thing a pillar or a stream."""

    class Term(models.TextChoices):
        ERA = "era", _("Era")
        PILLAR = "pillar", _("Pillar")
        STREAM = "stream", _("Stream")

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="eras", verbose_name=_("resolution")
    )
    key = models.SlugField(max_length=60, verbose_name=_("key"))
    term = models.CharField(max_length=10, choices=Term.choices, default=Term.ERA, verbose_name=_("term"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    title_es = models.CharField(max_length=300, blank=True, verbose_name=_("title es"))
    title_fr = models.CharField(max_length=300, blank=True, verbose_name=_("title fr"))
    description_es = models.TextField(blank=True, verbose_name=_("description es"))
    description_fr = models.TextField(blank=True, verbose_name=_("description fr"))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))

    class Meta:
        verbose_name = _("era")
        verbose_name_plural = _("eras")
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

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("resolution")
    )
    era = models.ForeignKey(
        Era,
        on_delete=models.CASCADE,
        related_name="action_items",
        null=True,
        blank=True,
        help_text=_("Empty for asks addressed to the whole resolution, such as the call on the Support Unit."),
        verbose_name=_("era"),
    )
    code = models.SlugField(
        max_length=60, unique=True, help_text=_("Stable code, used in links and exports."), verbose_name=_("code")
    )
    text = models.TextField(verbose_name=_("text"))
    short_title = models.CharField(max_length=120, verbose_name=_("short title"))
    text_es = models.TextField(blank=True, verbose_name=_("text es"))
    text_fr = models.TextField(blank=True, verbose_name=_("text fr"))
    short_title_es = models.CharField(max_length=120, blank=True, verbose_name=_("short title es"))
    short_title_fr = models.CharField(max_length=120, blank=True, verbose_name=_("short title fr"))
    addressee = models.CharField(
        max_length=20, choices=Addressee.choices, default=Addressee.MEMBERS, verbose_name=_("addressee")
    )
    evidence = models.CharField(max_length=20, choices=Evidence.choices, verbose_name=_("evidence"))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
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
        Resolution,
        on_delete=models.SET_NULL,
        related_name="meetings",
        null=True,
        blank=True,
        verbose_name=_("resolution"),
    )
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    body = models.CharField(max_length=200, help_text=_("The subcommittee or group that met."), verbose_name=_("body"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    held_on = models.DateField(verbose_name=_("held on"))
    time_description = models.CharField(
        max_length=80, blank=True, help_text=_("As written, e.g. 08:00 - 9:30 EDT"), verbose_name=_("time description")
    )
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %B %Y})"


class Attendance(models.Model):
    class Role(models.TextChoices):
        ATTENDEE = "attendee", _("Attendee")
        GUEST = "guest", _("Guest")
        APOLOGY = "apology", _("Apologies")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    role = models.CharField(max_length=10, choices=Role.choices, verbose_name=_("role"))
    government = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. Government of Argentina"), verbose_name=_("government")
    )
    person = models.CharField(max_length=200, blank=True, verbose_name=_("person"))
    position = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. Lead Civil Society Co-Chair"), verbose_name=_("position")
    )
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
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
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    number = models.CharField(
        max_length=10, help_text=_("As numbered in the summary, e.g. I, II, III"), verbose_name=_("number")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    reference_material = models.TextField(blank=True, verbose_name=_("reference material"))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
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

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="points", verbose_name=_("agenda item")
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUGGESTION, verbose_name=_("kind"))
    text = models.TextField(verbose_name=_("text"))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))

    class Meta:
        verbose_name = _("agenda point")
        verbose_name_plural = _("agenda points")
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

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="next_steps", verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        related_name="next_steps",
        null=True,
        blank=True,
        verbose_name=_("agenda item"),
    )
    text = models.TextField(verbose_name=_("text"))
    owner = models.CharField(max_length=200, help_text=_("Who must act, e.g. Support Unit"), verbose_name=_("owner"))
    due_on = models.DateField(null=True, blank=True, verbose_name=_("due on"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, verbose_name=_("status"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="next_step_unique_order"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="next_step_status_due")]

    def __str__(self) -> str:
        return f"{self.owner}: {self.text[:60]}"
