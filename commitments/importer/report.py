"""What an import found and did: problems by row, column and value, and tallies."""

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MAX_PROBLEMS = 2000

Progress = Callable[[str, int, int | None], None]


@dataclass
class Problem:
    row: int | None  # as a spreadsheet numbers it (the header is row 1); None for the file as a whole
    column: str
    value: str
    message: str


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
        return asdict(self)


class Aborted(Exception):
    """Raised inside the write transaction to roll it back."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
