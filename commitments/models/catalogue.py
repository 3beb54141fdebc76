"""Members, their action plans and commitments, and OGP's policy-area tags."""

import hashlib

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from commitments.models.irm import (
    CHANGE_IN_COMPLETION,
    COMPLETION,
    DID_IT_OPEN_GOVERNMENT,
    EARLY_RESULTS,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_REVIEWED,
    POTENTIAL_FOR_RESULTS,
    POTENTIAL_IMPACT,
    SPECIFICITY,
    YES_NO,
    irm_field,
)
from resolutions.models import ActionItem, Era

# A member code is part of the member's web address (/members/<code>/): letters, digits, - and _ only.
MEMBER_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
MEMBER_CODE_VALIDATOR = RegexValidator(
    MEMBER_CODE_PATTERN, "A member code holds only letters, digits, - and _ (it is part of the member's web address)."
)


class MemberGroup(models.Model):
    """A named group of members, such as the Leaders Network."""

    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    launched_on = models.DateField(null=True, blank=True, verbose_name=_("launched on"))

    class Meta:
        verbose_name = _("member group")
        verbose_name_plural = _("member groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("National")
        LOCAL = "local", _("Local")
        LEGACY_LOCAL = "legacy_local", _("Legacy Local")
        OTHER = "other", _("Other")
        UNRECOGNISED = "unrecognised", _("Unrecognised")

    class Region(models.TextChoices):
        AFRICA_MIDDLE_EAST = "africa_middle_east", _("Africa and the Middle East")
        AMERICAS = "americas", _("Americas")
        ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
        EUROPE = "europe", _("Europe")
        UNRECOGNISED = "unrecognised", _("Unrecognised")

    code = models.CharField(
        max_length=8,
        unique=True,
        validators=[MEMBER_CODE_VALIDATOR],
        help_text=_("ISO 3166 alpha-3 for countries, OGP's own code for local members; unique whatever the case."),
        verbose_name=_("code"),
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    region = models.CharField(max_length=30, choices=Region.choices, verbose_name=_("region"))
    joined_year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("joined year"))
    groups = models.ManyToManyField(MemberGroup, related_name="members", blank=True, verbose_name=_("groups"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "kind"], name="member_region_kind")]
        constraints = [models.UniqueConstraint(Upper("code"), name="member_code_unique_any_case")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ActionPlan(models.Model):
    class Forum(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Unknown")

    ogp_id = models.CharField(max_length=20, unique=True, help_text=_("e.g. AP_ALB01"), verbose_name=_("ogp id"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("member"))
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    submitted_year = models.PositiveSmallIntegerField(verbose_name=_("submitted year"))
    end_year = models.PositiveSmallIntegerField(verbose_name=_("end year"))
    duration_years = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("duration years"))
    multistakeholder_forum = models.CharField(
        max_length=10, choices=Forum.choices, default=Forum.UNKNOWN, verbose_name=_("multistakeholder forum")
    )
    co_creation_notes = models.TextField(blank=True, verbose_name=_("co creation notes"))
    url = models.URLField(blank=True, max_length=500, verbose_name=_("url"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
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
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    NONE = "", _("Not parsed")


class ColumnLayout(models.Model):
    """The columns of an imported file, in its order: an export writes its columns back in the same order."""

    key = models.CharField(
        max_length=64, unique=True, help_text=_("SHA-256 of the column names."), verbose_name=_("key")
    )
    columns = models.JSONField(default=list, verbose_name=_("columns"))
    last_used_at = models.DateTimeField(verbose_name=_("last used at"))

    class Meta:
        verbose_name = _("column layout")
        verbose_name_plural = _("column layouts")
        ordering = ["-last_used_at", "-pk"]

    def __str__(self) -> str:
        return f"{len(self.columns)} columns, last used {self.last_used_at:%Y-%m-%d}"


class Commitment(models.Model):
    ogp_id = models.CharField(
        max_length=12, unique=True, help_text=_("e.g. AL0002: stable, also in OGP's URL"), verbose_name=_("ogp id")
    )
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("action plan")
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("member"))
    number = models.TextField(blank=True, help_text=_("As in the plan, e.g. 2 or 1.2"), verbose_name=_("number"))
    theme = models.TextField(blank=True, verbose_name=_("theme"))
    title = models.TextField(verbose_name=_("title"))
    short_title = models.TextField(blank=True, verbose_name=_("short title"))
    full_text = models.TextField(blank=True, verbose_name=_("full text"))
    lead_institution = models.TextField(blank=True, verbose_name=_("lead institution"))
    supporting_institutions = models.TextField(blank=True, verbose_name=_("supporting institutions"))
    url = models.URLField(blank=True, max_length=100_000, verbose_name=_("url"))
    language = models.CharField(
        max_length=2,
        blank=True,
        help_text=_("The language of the text (en, es, fr; blank when unclear): picks the search dictionary."),
        verbose_name=_("language"),
    )

    start_date_raw = models.TextField(blank=True, verbose_name=_("start date raw"))
    start_date = models.DateField(null=True, blank=True, verbose_name=_("start date"))
    start_date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, blank=True, verbose_name=_("start date precision")
    )
    end_date_raw = models.TextField(blank=True, verbose_name=_("end date raw"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    end_date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, blank=True, verbose_name=_("end date precision")
    )

    # The Independent Reporting Mechanism's assessment, with ND / NR / NA as states of their own.
    specificity = irm_field(SPECIFICITY, _("specificity"))
    verifiable = irm_field(YES_NO, _("verifiable"))
    value_access_to_information = irm_field(YES_NO, _("OGP value: access to information"))
    value_civic_participation = irm_field(YES_NO, _("OGP value: civic participation"))
    value_public_accountability = irm_field(YES_NO, _("OGP value: public accountability"))
    value_technology = irm_field(YES_NO, _("OGP value: technology and innovation"))
    potential_impact = irm_field(POTENTIAL_IMPACT, _("potential impact"))
    potential_for_results = irm_field(POTENTIAL_FOR_RESULTS, _("potential for results"))
    completion_midterm = irm_field(COMPLETION, _("completion (progress report)"))
    completion_end_of_term = irm_field(COMPLETION, _("completion (end of term)"))
    change_in_completion = irm_field(CHANGE_IN_COMPLETION, _("change in completion"))
    early_results = irm_field(EARLY_RESULTS, _("early results"))
    dioG_overall = irm_field(DID_IT_OPEN_GOVERNMENT, _("did it open government (overall)"))
    dioG_access_to_information = irm_field(DID_IT_OPEN_GOVERNMENT, _("did it open government (access to information)"))
    dioG_civic_participation = irm_field(DID_IT_OPEN_GOVERNMENT, _("did it open government (civic participation)"))
    dioG_public_accountability = irm_field(DID_IT_OPEN_GOVERNMENT, _("did it open government (public accountability)"))
    starred_2015 = irm_field(YES_NO, _("starred (2015 only)"))
    starred_progress = irm_field(YES_NO, _("starred (current formula), progress report"))
    starred_end_of_term = irm_field(YES_NO, _("starred (current formula), end of term"))

    extra = models.JSONField(
        default=dict, blank=True, help_text=_("Columns of an import that have no field here."), verbose_name=_("extra")
    )
    raw_cells = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "Cells of the imported file whose text is not the usual spelling of the value read from them: "
            '{column: {"raw": text as in the file, "read_as": usual spelling of the value read, or null when '
            "the text was not recognised}}. The export writes the raw text back while the value is unchanged."
        ),
        verbose_name=_("raw cells"),
    )
    layout = models.ForeignKey(
        "ColumnLayout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The columns of the file this commitment was last imported from, in their order."),
        verbose_name=_("layout"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["ogp_id"]
        constraints = [models.UniqueConstraint(Upper("ogp_id"), name="commitment_ogp_id_unique_any_case")]
        indexes = [
            models.Index(fields=["member", "action_plan"], name="commitment_member_plan"),
            models.Index(fields=["action_plan", "number"], name="commitment_plan_number"),
            # The API dates its lists by the newest change (Last-Modified) and filters by `updated_since`.
            models.Index(fields=["updated_at"], name="commitment_updated_at"),
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

    name = models.CharField(
        max_length=200, unique=True, help_text=_("The column header in OGP's export."), verbose_name=_("name")
    )
    slug = models.SlugField(max_length=200, unique=True, verbose_name=_("slug"))

    class Meta:
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
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
        UNRECOGNISED = "unr", _("Unrecognised")

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="policy_area_values", verbose_name=_("commitment")
    )
    policy_area = models.ForeignKey(
        PolicyArea, on_delete=models.CASCADE, related_name="commitment_values", verbose_name=_("policy area")
    )
    value = models.CharField(max_length=3, choices=Value.choices, default=Value.YES, verbose_name=_("value"))

    class Meta:
        verbose_name = _("commitment policy area")
        verbose_name_plural = _("commitment policy areas")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "policy_area"], name="commitment_policy_area_unique"),
        ]
        indexes = [models.Index(fields=["policy_area", "value"], name="commitment_pa_area_value")]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.policy_area_id}={self.value}"


class PolicyAreaCrosswalk(models.Model):
    """Maps an OGP policy area to the era or action item it is evidence for; feeds suggestions only."""

    policy_area = models.ForeignKey(
        PolicyArea, on_delete=models.CASCADE, related_name="crosswalk", verbose_name=_("policy area")
    )
    era = models.ForeignKey(
        Era, on_delete=models.CASCADE, related_name="crosswalk", null=True, blank=True, verbose_name=_("era")
    )
    action_item = models.ForeignKey(
        ActionItem,
        on_delete=models.CASCADE,
        related_name="crosswalk",
        null=True,
        blank=True,
        verbose_name=_("action item"),
    )
    weight = models.FloatField(
        default=1.0, help_text=_("How strongly a tag points at the target, 0 to 1."), verbose_name=_("weight")
    )
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("policy area crosswalk")
        verbose_name_plural = _("policy area crosswalks")
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
