"""The Independent Reporting Mechanism's assessment vocabulary, as stored: ND / NR / NA are states of their own.

The codes here are the database's. The labels OGP's file format writes are the format module's own
(`commitments.importer.format`), never these translatable display names.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# OGP data says "ND", "NR" and "NA" in almost every column: three different answers, none of them zero.
NO_DATA = "nd"
NOT_REVIEWED = "nr"
NOT_APPLICABLE = "na"
# A cell the importer could not read: its raw text is kept on the commitment (`raw_cells`), never read as zero.
UNRECOGNISED = "unrecognised"
SENTINELS: list[tuple[str, str | Promise]] = [
    (NO_DATA, _("No data")),
    (NOT_REVIEWED, _("Not reviewed")),
    (NOT_APPLICABLE, _("Not applicable")),
    (UNRECOGNISED, _("Unrecognised")),
]
SENTINEL_VALUES = frozenset(code for code, _label in SENTINELS)

YES_NO = [("yes", _("Yes")), ("no", _("No")), *SENTINELS]
SPECIFICITY = [("none", _("None")), ("low", _("Low")), ("medium", _("Medium")), ("high", _("High")), *SENTINELS]
POTENTIAL_IMPACT = [
    ("none", _("None")),
    ("minor", _("Minor")),
    ("moderate", _("Moderate")),
    ("transformative", _("Transformative")),
    *SENTINELS,
]
POTENTIAL_FOR_RESULTS = [
    ("unclear", _("Unclear")),
    ("modest", _("Modest")),
    ("substantial", _("Substantial")),
    *SENTINELS,
]
COMPLETION = [
    ("not_started", _("Not Started")),
    ("limited", _("Limited")),
    ("substantial", _("Substantial")),
    ("complete", _("Complete")),
    ("withdrawn", _("Withdrawn")),
    ("unclear", _("Unclear")),
    *SENTINELS,
]
CHANGE_IN_COMPLETION = [
    ("increase", _("Increase")),
    ("no_change", _("No Change")),
    ("decrease", _("Decrease")),
    *SENTINELS,
]
EARLY_RESULTS = [
    ("no_notable_results", _("No notable results")),
    ("moderate", _("Moderate")),
    ("significant", _("Significant")),
    *SENTINELS,
]
DID_IT_OPEN_GOVERNMENT = [
    ("worsens", _("Worsens")),
    ("did_not_change", _("Did Not Change")),
    ("marginal", _("Marginal")),
    ("major", _("Major")),
    ("outstanding", _("Outstanding")),
    ("no_early_results", _("No early results to report yet")),
    *SENTINELS,
]


def irm_field(choices: list[tuple[str, str | Promise]], verbose_name: "StrOrPromise") -> "models.CharField[str, str]":
    return models.CharField(verbose_name, max_length=20, choices=choices, default=NO_DATA)
