"""The Independent Reporting Mechanism's assessment vocabulary, as stored: ND / NR / NA are states of their own.

The codes here are the database's. The labels OGP's file format writes are the format module's own
(`commitments.importer.format`), never these translatable display names.
"""

from django.db import models

# OGP data says "ND", "NR" and "NA" in almost every column: three different answers, none of them zero.
NO_DATA = "nd"
NOT_REVIEWED = "nr"
NOT_APPLICABLE = "na"
# A cell the importer could not read: its raw text is kept on the commitment (`raw_cells`), never read as zero.
UNRECOGNISED = "unrecognised"
SENTINELS: list[tuple[str, str]] = [
    (NO_DATA, "No data"),
    (NOT_REVIEWED, "Not reviewed"),
    (NOT_APPLICABLE, "Not applicable"),
    (UNRECOGNISED, "Unrecognised"),
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
