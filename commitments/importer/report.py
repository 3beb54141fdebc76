"""What an import found and did: problems by row, column and value, and tallies.

A problem's message is kept as its English text (which is also its message id in the catalogues, marked
with `gettext_noop`) and its values, and is put into words in the reader's language when it is shown:
`Problem.message`, or `localized_report()` for a report kept on an ImportRun.
"""

import contextlib
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

MAX_PROBLEMS = 2000

Progress = Callable[[str, int, int | None], None]


def _shown(name: str, value: Any) -> Any:
    """Counts and sizes grouped as the language groups digits; row numbers as a spreadsheet shows them."""
    if isinstance(value, int) and not isinstance(value, bool) and name != "row" and not name.endswith("_row"):
        return number_format(value, force_grouping=True)
    return value


def render_message(text: str, params: Mapping[str, Any] | None = None) -> str:
    """A message in the active language: its translation, with its values put in."""
    return gettext(text) % {name: _shown(name, value) for name, value in (params or {}).items()}


def english_message(text: str, params: Mapping[str, Any] | None = None) -> str:
    with translation.override("en"):
        return render_message(text, params)


@dataclass
class Problem:
    row: int | None  # as a spreadsheet numbers it (the header is row 1); None for the file as a whole
    column: str
    value: str
    text: str  # English, with %(name)s placeholders: the message id, marked with gettext_noop where written
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the active language."""
        return render_message(self.text, self.params)

    def as_dict(self) -> dict[str, Any]:
        """As an ImportRun keeps it: the English message beside its text and values."""
        return {**asdict(self), "message": english_message(self.text, self.params)}


def localized_problem(problem: Mapping[str, Any]) -> dict[str, Any]:
    """A kept problem as a reader sees it: row, column, value and the message in the active language.

    A problem kept before messages were translated has only its English message, shown as it is; so is one
    whose values no longer fit its text (kept by an older version), rather than failing the page.
    """
    text = problem.get("text")
    message = problem.get("message", "")
    if text:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            message = render_message(text, problem.get("params"))
    return {
        "row": problem.get("row"),
        "column": problem.get("column", ""),
        "value": problem.get("value", ""),
        "message": message,
    }


def localized_report(report: Mapping[str, Any] | None) -> dict[str, Any]:
    """An ImportRun's report with its problems and warnings in the active language."""
    if not report:
        return dict(report or {})
    shown = dict(report)
    for key in ("problems", "warnings"):
        if key in shown:
            shown[key] = [localized_problem(problem) for problem in shown[key] or []]
    return shown


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import found and did; `as_dict()` is what ImportRun.report keeps."""

    file_name: str
    sha256: str = ""
    file_format: str = ""
    dry_run: bool = False
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_omitted: int = 0
    # Value problems: the value is imported as it stands (kept raw), and the row with it.
    warnings: list[Problem] = field(default_factory=list)
    warnings_total: int = 0
    columns_missing: list[str] = field(default_factory=list)
    policy_area_columns: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    members: Tally = field(default_factory=Tally)
    action_plans: Tally = field(default_factory=Tally)
    policy_areas: Tally = field(default_factory=Tally)
    commitments: Tally = field(default_factory=Tally)
    created_commitment_ids: list[int] = field(default_factory=list)
    updated_commitment_ids: list[int] = field(default_factory=list)
    touched_member_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.problems_omitted += 1

    @property
    def problems_total(self) -> int:
        return len(self.problems) + self.problems_omitted

    def warn(self, problem: Problem) -> None:
        """A value problem: listed up to MAX_PROBLEMS, all of them counted."""
        self.warnings_total += 1
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(problem)

    def as_dict(self) -> dict[str, Any]:
        kept = asdict(self)
        kept["problems"] = [problem.as_dict() for problem in self.problems]
        kept["warnings"] = [warning.as_dict() for warning in self.warnings]
        return kept


class Aborted(Exception):
    """Raised inside the write transaction to roll it back."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
