"""The first pass over a file: every row parsed and validated, every problem reported, nothing written."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models.functions import Upper
from django.utils.translation import gettext_noop

from commitments.importer import format as fmt
from commitments.importer.report import Aborted, ImportReport, Problem, Progress
from commitments.models import MEMBER_CODE_PATTERN, UNRECOGNISED, ActionPlan, Commitment, Member, PolicyArea

CHUNK_ROWS = 1000
MEMBER_CODE = re.compile(MEMBER_CODE_PATTERN)
SENTINEL_WORDS = frozenset({"nd", "nr", "na", "n/a", ""})


@dataclass
class Layout:
    """Where each column of this file is, and what each unknown column turned out to be."""

    header: list[str]
    index: dict[str, int]
    candidates: dict[str, int]  # unknown columns that may be policy areas
    known_policy_areas: set[str]
    policy_areas: dict[str, int] = field(default_factory=dict)
    extras: dict[str, int] = field(default_factory=dict)
    texts: list[tuple[str, str, int]] = field(default_factory=list)
    assessments: list[tuple[fmt.AssessmentColumn, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.texts = [(c, name, self.index[c]) for c, name in fmt.TEXT_COLUMNS.items() if c in self.index]
        self.assessments = [(a, self.index[a.header]) for a in fmt.ASSESSMENT_COLUMNS if a.header in self.index]

    def has(self, column: str) -> bool:
        return column in self.index


@dataclass
class RowValues:
    number: int
    ogp_id: str
    member_code: str
    plan_id: str
    member: dict[str, Any]
    plan: dict[str, Any]
    fields: dict[str, Any]
    policy: dict[str, str]
    extra: dict[str, str]
    raw_cells: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.ogp_id.upper()

    @property
    def member_key(self) -> str:
        return self.member_code.upper()


def _max_lengths() -> dict[str, int]:
    return {
        f.name: f.max_length
        for f in Commitment._meta.concrete_fields
        if f.max_length is not None and f.get_internal_type() == "CharField"
    }


MAX_LENGTHS = _max_lengths()
_url_validator = URLValidator(schemes=["http", "https"])


def _year(raw: str) -> int | None:
    text = raw.strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def parse_row(
    row: fmt.Row, layout: Layout, file_format: str, report: ImportReport, *, checked: bool = False
) -> RowValues | None:
    """One row's values, or None after reporting each of its problems."""
    header = layout.header
    cells = row.cells
    problems_before = len(report.problems) + report.problems_omitted
    if len(cells) < len(header):
        report.add(
            Problem(
                row.number,
                "",
                "",
                gettext_noop("The row has %(cells)s of %(columns)s columns; is the file truncated?"),
                {"cells": len(cells), "columns": len(header)},
            )
        )
        return None
    if any(cell.strip() for cell in cells[len(header) :]):
        report.add(Problem(row.number, "", "", gettext_noop("The row has values beyond the last named column.")))
        return None
    limit = fmt.max_cell_chars()
    values = cells[: len(header)]
    oversized = max(map(len, values)) > limit
    formulas = set(row.formulas)
    if oversized or formulas:
        for position, (name, text) in enumerate(zip(header, values, strict=True)):
            if len(text) > limit:
                message = gettext_noop("The cell has %(length)s characters; at most %(limit)s.")
                report.add(Problem(row.number, name, text[:80] + "…", message, {"length": len(text), "limit": limit}))
            elif position in formulas:
                report.add(
                    Problem(
                        row.number,
                        name,
                        text[:200],
                        gettext_noop("Formulas are not accepted; paste the values instead."),
                    )
                )
        return None
    # One search over the joined row spares a test of each cell; a false hit only costs the slow path.
    joined = "\x1f".join(values)
    if "\x00" in joined:
        for name, text in zip(header, values, strict=True):
            if "\x00" in text:
                report.add(
                    Problem(
                        row.number,
                        name,
                        text[:80].replace("\x00", "\\0"),
                        gettext_noop("The cell holds a NUL character."),
                    )
                )
        return None
    if file_format == "csv" and (values[0][:1] == "'" or "\x1f'" in joined):
        values = [fmt.unescape_cell(text) if text[:1] == "'" else text for text in values]

    def cell(column: str) -> str:
        return values[layout.index[column]]

    def problem(column: str, text: str, params: dict[str, Any] | None = None) -> None:
        report.add(Problem(row.number, column, cell(column)[:200], text, params or {}))

    def warning(column: str, text: str, params: dict[str, Any] | None = None) -> None:
        if checked:  # the second pass reads the same cells again: each warning is told once
            return
        report.warn(Problem(row.number, column, cell(column)[:200], text, params or {}))

    raw_cells: dict[str, dict[str, str | None]] = {}

    def keep_raw(column: str, read_as: str | None) -> None:
        """Keep the cell's text when it is not the usual spelling of the value read from it."""
        raw = cell(column)
        if raw != read_as:
            raw_cells[column] = {"raw": raw, "read_as": read_as}

    ogp_id = cell(fmt.COMMITMENT_ID).strip()
    if not ogp_id or len(ogp_id) > MAX_LENGTHS["ogp_id"]:
        problem(fmt.COMMITMENT_ID, gettext_noop("A commitment needs its OGP identifier (at most 12 characters)."))
    keep_raw(fmt.COMMITMENT_ID, ogp_id)
    member_code = cell(fmt.MEMBER_CODE).strip()
    if not member_code or len(member_code) > Member._meta.get_field("code").max_length:  # type: ignore[operator]
        problem(fmt.MEMBER_CODE, gettext_noop("A member code is required (at most 8 characters)."))
    elif not MEMBER_CODE.match(member_code):
        problem(
            fmt.MEMBER_CODE,
            gettext_noop("A member code holds only letters, digits, - and _: it is part of the member's web address."),
        )
    keep_raw(fmt.MEMBER_CODE, member_code)
    plan_id = cell(fmt.PLAN_ID).strip()
    if not plan_id or len(plan_id) > ActionPlan._meta.get_field("ogp_id").max_length:  # type: ignore[operator]
        problem(fmt.PLAN_ID, gettext_noop("An action plan id is required (at most 20 characters)."))

    member: dict[str, Any] = {}
    if layout.has(fmt.MEMBER_NAME):
        member["name"] = cell(fmt.MEMBER_NAME).strip()
        if not member["name"] or len(member["name"]) > 200:
            problem(fmt.MEMBER_NAME, gettext_noop("A member name is required (at most 200 characters)."))
        keep_raw(fmt.MEMBER_NAME, member["name"])
    for column, name, codes, labels in (
        (fmt.REGION, "region", fmt.REGIONS, fmt.REGION_LABELS),
        (fmt.KIND, "kind", fmt.KINDS, fmt.KIND_LABELS),
    ):
        if not layout.has(column):
            continue
        code = codes.get(cell(column).strip().lower())
        if code is None:
            # Outside the vocabulary: a warning; the member is marked unrecognised and the cell kept as it stands.
            member[name] = fmt.UNRECOGNISED
            allowed = ", ".join(labels.values())
            warning(
                column,
                gettext_noop("Not recognised (expected one of %(allowed)s); kept as it stands."),
                {"allowed": allowed},
            )
            keep_raw(column, None)
        else:
            member[name] = code
            keep_raw(column, labels[code])

    plan: dict[str, Any] = {}
    for column, name in (
        (fmt.PLAN_NUMBER, "number"),
        (fmt.PLAN_SUBMITTED, "submitted_year"),
        (fmt.PLAN_END, "end_year"),
    ):
        if layout.has(column):
            raw = cell(column).strip()
            plan[name] = (int(raw) if raw.isdigit() and len(raw) <= 3 else None) if name == "number" else _year(raw)
            if plan[name] is None:
                if name == "number":
                    problem(column, gettext_noop("Expected a whole number."))
                else:
                    problem(column, gettext_noop("Expected a four-digit year."))
            else:
                keep_raw(column, str(plan[name]))
    if layout.has(fmt.PLAN_DURATION):
        raw = cell(fmt.PLAN_DURATION).strip()
        if raw.isdigit() and len(raw) <= 2:
            plan["duration_years"] = int(raw)
            keep_raw(fmt.PLAN_DURATION, str(int(raw)))
        elif raw.lower() in SENTINEL_WORDS:
            plan["duration_years"] = None
            keep_raw(fmt.PLAN_DURATION, "")
        else:
            problem(fmt.PLAN_DURATION, gettext_noop("Expected a whole number of years, or blank."))
    if plan.get("submitted_year") and plan.get("end_year") and plan["end_year"] < plan["submitted_year"]:
        problem(fmt.PLAN_END, gettext_noop("The plan ends before the year it was submitted."))

    fields: dict[str, Any] = {}
    for _column, name, position in layout.texts:
        fields[name] = values[position]
    if "title" in fields and not fields["title"].strip():
        problem("Commitment Title", gettext_noop("A commitment needs a title."))
    if fields.get("url") and not checked:
        try:
            _url_validator(fields["url"])
        except ValidationError:
            warning("URL", gettext_noop("Not a web address; kept as it stands."))
    for column, prefix in ((fmt.START_DATE, "start_date"), (fmt.END_DATE, "end_date")):
        if layout.has(column):
            raw = cell(column)
            parsed, precision = fmt.parse_date(raw)
            fields[f"{prefix}_raw"] = raw
            fields[prefix] = parsed
            fields[f"{prefix}_precision"] = precision
    for assessment, position in layout.assessments:
        raw = values[position]
        code = assessment.code_for(raw)
        if code is None and (code := assessment.mapped_code(raw)) is not None:
            label = assessment.labels[code]
            warning(
                assessment.header,
                gettext_noop("The numeric code %(code)s was read as %(label)s."),
                {"code": raw.strip(), "label": repr(label)},
            )
        if code is None:
            allowed = ", ".join(assessment.labels.values())
            if not checked:
                warning(
                    assessment.header,
                    gettext_noop("Not recognised (expected one of %(allowed)s, or blank); kept as it stands."),
                    {"allowed": allowed},
                )
            code = UNRECOGNISED
            keep_raw(assessment.header, None)
        else:
            keep_raw(assessment.header, assessment.labels[code])
        fields[assessment.field] = code

    policy = {name: values[position] for name, position in layout.candidates.items()}
    for name in layout.known_policy_areas:
        raw = policy[name]
        if raw not in fmt.PLAIN_POLICY_AREA_CELLS and not fmt.is_policy_area_cell(raw) and not checked:
            warning(
                name,
                gettext_noop(
                    "Not recognised (a policy-area column takes 0, 1, ND, NR, NA or blank); kept as it stands."
                ),
            )
    extra = {name: values[position] for name, position in layout.extras.items()}

    if len(report.problems) + report.problems_omitted > problems_before:
        return None
    return RowValues(row.number, ogp_id, member_code, plan_id, member, plan, fields, policy, extra, raw_cells)


def _layout(header: list[str], report: ImportReport) -> Layout | None:
    index = {name: position for position, name in enumerate(header)}
    missing = [column for column in fmt.REQUIRED_COLUMNS if column not in index]
    for column in missing:
        report.add(
            Problem(
                None,
                column,
                "",
                gettext_noop("The required column %(column)s is missing from the header."),
                {"column": repr(column)},
            )
        )
    if missing:
        return None
    report.columns_missing = sorted(column for column in fmt.KNOWN_COLUMNS if column not in index)
    candidates = {name: index[name] for name in header if fmt.could_be_policy_area(name)}
    known_areas = set(PolicyArea.objects.filter(name__in=list(candidates)).values_list("name", flat=True))
    extras = {name: index[name] for name in header if name not in fmt.KNOWN_COLUMNS and name not in candidates}
    return Layout(header, index, candidates, known_areas, extras=extras)


@dataclass
class FileFacts:
    """What the first pass learns about the file as a whole: small, whatever the number of rows."""

    layout: Layout
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    member_spelling: dict[str, str] = field(default_factory=dict)  # upper-cased code -> first spelling
    # upper-cased code -> field -> (row, cell) of the first region or kind outside the vocabulary
    unrecognised: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)


COLUMN_OF = {
    "name": fmt.MEMBER_NAME,
    "region": fmt.REGION,
    "kind": fmt.KIND,
    "member_code": fmt.MEMBER_CODE,
    "number": fmt.PLAN_NUMBER,
    "submitted_year": fmt.PLAN_SUBMITTED,
    "end_year": fmt.PLAN_END,
    "duration_years": fmt.PLAN_DURATION,
}


INCONSISTENT = {
    "member": gettext_noop("Member %(key)s has %(value)s here in row %(first_row)s."),
    "plan": gettext_noop("Action plan %(key)s has %(value)s here in row %(first_row)s."),
}


def _check_consistent(
    kind: str, key: str, values: dict[str, Any], seen: dict[str, dict[str, Any]], row: int, report: ImportReport
) -> None:
    """Every row naming a member or plan must say the same about it; the first row wins the report."""
    previous = seen.get(key)
    if previous is None:
        seen[key] = {**values, "_row": row}
        return
    for name, value in values.items():
        if name in previous and previous[name] != value:
            params = {"key": key, "value": repr(previous[name]), "first_row": previous["_row"]}
            report.add(Problem(row, COLUMN_OF[name], str(value), INCONSISTENT[kind], params))


def validate_file(path: Path, report: ImportReport, progress: Progress | None) -> FileFacts | None:
    """First pass: read every row, report every problem, keep only what is needed about members and plans."""
    file_format, header, rows = fmt.read_rows(path)
    report.file_format = file_format
    layout = _layout(header, report)
    if layout is None:
        return None
    facts = FileFacts(layout)
    first_row_of: dict[str, int] = {}
    not_policy: set[str] = set()
    filled: set[str] = set()
    unfilled = set(layout.candidates)
    for row in rows:
        if not any(cell.strip() for cell in row.cells):
            continue
        report.rows += 1
        values = parse_row(row, layout, file_format, report)
        if progress and report.rows % 500 == 0:
            progress("validating", report.rows, None)
        if values is None:
            continue
        if values.key in first_row_of:
            report.add(
                Problem(
                    row.number,
                    fmt.COMMITMENT_ID,
                    values.ogp_id,
                    gettext_noop(
                        "The same commitment (ids are compared whatever their case) is already in row %(first_row)s."
                    ),
                    {"first_row": first_row_of[values.key]},
                )
            )
            continue
        first_row_of[values.key] = row.number
        if values.member_key not in facts.members:
            facts.member_spelling[values.member_key] = values.member_code
        _check_consistent("member", values.member_key, values.member, facts.members, row.number, report)
        for name, value in values.member.items():
            if value == fmt.UNRECOGNISED:
                raw = values.raw_cells.get(COLUMN_OF[name], {}).get("raw") or ""
                facts.unrecognised.setdefault(values.member_key, {}).setdefault(name, (row.number, raw))
        plan = {**values.plan, "member_code": values.member_key}
        _check_consistent("plan", values.plan_id, plan, facts.plans, row.number, report)
        policy = values.policy
        if unfilled:
            filled.update([name for name in unfilled if policy[name].strip()])
            unfilled.difference_update(filled)
        for name in [name for name, raw in policy.items() if raw not in fmt.PLAIN_POLICY_AREA_CELLS]:
            if name not in not_policy and not fmt.is_policy_area_cell(policy[name]):
                not_policy.add(name)
    if report.rows == 0 and report.ok:
        report.add(Problem(None, "", "", gettext_noop("The file has a header but no commitment rows.")))
    # A column is a policy area when it is already one, or when it has values and all are 0/1/ND/NR/NA.
    for name, position in layout.candidates.items():
        if name in layout.known_policy_areas or (name in filled and name not in not_policy):
            layout.policy_areas[name] = position
        else:
            layout.extras[name] = position
    report.policy_area_columns = list(layout.policy_areas)
    report.extra_columns = list(layout.extras)
    if report.ok:
        _validate_against_database(facts, report)
    return facts if report.ok else None


def _validate_against_database(facts: FileFacts, report: ImportReport) -> None:
    known = {
        key: {"region": region, "kind": kind}
        for key, region, kind in Member.objects.annotate(key=Upper("code"))
        .filter(key__in=facts.members)
        .values_list("key", "region", "kind")
    }
    existing_members = set(known)
    # A member's known region or kind is not replaced by one outside the vocabulary: it stays, with a warning.
    for code, fields in facts.unrecognised.items():
        for name, (row, raw) in fields.items():
            stored = known.get(code, {}).get(name)
            if stored is not None and stored != fmt.UNRECOGNISED:
                facts.members[code].pop(name, None)
                message = gettext_noop("Not recognised; the member keeps %(stored)s, and the export writes that value.")
                report.warn(Problem(row, COLUMN_OF[name], raw[:200], message, {"stored": repr(stored)}))
    for code, values in facts.members.items():
        missing = [name for name in ("name", "region", "kind") if name not in values]
        if code not in existing_members and missing:
            report.add(
                Problem(
                    values["_row"],
                    fmt.MEMBER_CODE,
                    code,
                    gettext_noop("A new member needs the columns %(columns)s."),
                    {"columns": str(fmt.MEMBER_COLUMNS)},
                )
            )
    existing_plans = {
        plan.ogp_id: plan for plan in ActionPlan.objects.filter(ogp_id__in=facts.plans).select_related("member")
    }
    numbers: dict[tuple[str, int], str] = {
        (plan.member.code.upper(), plan.number): plan.ogp_id
        for plan in ActionPlan.objects.annotate(key=Upper("member__code"))
        .filter(key__in=facts.members)
        .select_related("member")
    }
    for plan_id, values in facts.plans.items():
        existing = existing_plans.get(plan_id)
        if existing is not None and existing.member.code.upper() != values["member_code"]:
            # Moving the plan would leave its other commitments under the old member: refused.
            report.add(
                Problem(
                    values["_row"],
                    fmt.MEMBER_CODE,
                    facts.member_spelling.get(values["member_code"], values["member_code"]),
                    gettext_noop(
                        "Action plan %(plan)s belongs to %(member)s; a plan does not change member, "
                        "so this row is refused."
                    ),
                    {"plan": plan_id, "member": existing.member.code},
                )
            )
            continue
        if existing is None and any(values.get(name) is None for name in ("number", "submitted_year", "end_year")):
            report.add(
                Problem(
                    values["_row"],
                    fmt.PLAN_ID,
                    plan_id,
                    gettext_noop("A new action plan needs %(columns)s."),
                    {"columns": str(fmt.PLAN_COLUMNS[:3])},
                )
            )
            continue
        number = values.get("number", existing.number if existing else None)
        holder = numbers.get((values["member_code"], number))  # type: ignore[arg-type]
        if holder is not None and holder != plan_id:
            report.add(
                Problem(
                    values["_row"],
                    fmt.PLAN_NUMBER,
                    str(number),
                    gettext_noop("%(member)s already has plan %(plan)s with this number."),
                    {"member": values["member_code"], "plan": holder},
                )
            )
        numbers[(values["member_code"], number)] = plan_id  # type: ignore[index]


def chunked(rows: Iterator[RowValues]) -> Iterator[list[RowValues]]:
    chunk: list[RowValues] = []
    for values in rows:
        chunk.append(values)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def parsed_rows(path: Path, layout: Layout, report: ImportReport) -> Iterator[RowValues]:
    file_format, _, rows = fmt.read_rows(path)
    for row in rows:
        if any(cell.strip() for cell in row.cells):
            values = parse_row(row, layout, file_format, report, checked=True)
            if values is None:  # the file changed between the passes
                raise Aborted
            yield values
