"""Import OGP's commitment export (CSV or XLSX): all or nothing, keyed by OGP's ids, never duplicating.

Two streaming passes over the file. The first validates every row and collects every problem, writing
nothing. The second, only when the first found none, compares each chunk of rows with the database and
writes the differences with bulk statements inside one transaction. A dry run runs the second pass without
writing, so it reports exactly what a real import would create, update and leave unchanged.
"""

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from django.utils.text import slugify

from commitments import ogp_format as fmt
from commitments.models import ActionPlan, Commitment, CommitmentPolicyArea, Member, PolicyArea

CHUNK_ROWS = 1000
MAX_PROBLEMS = 2000
SENTINEL_WORDS = frozenset({"nd", "nr", "na", "n/a", ""})

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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Aborted(Exception):
    """Raised inside the write transaction to roll it back."""


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def _parse_row(
    row: fmt.Row, layout: Layout, file_format: str, report: ImportReport, *, checked: bool = False
) -> RowValues | None:
    """One row's values, or None after reporting each of its problems."""
    header = layout.header
    cells = row.cells
    problems_before = len(report.problems) + report.problems_omitted
    if len(cells) < len(header):
        report.add(
            Problem(row.number, "", "", f"The row has {len(cells)} of {len(header)} columns; is the file truncated?")
        )
        return None
    if any(cell.strip() for cell in cells[len(header) :]):
        report.add(Problem(row.number, "", "", "The row has values beyond the last named column."))
        return None
    limit = fmt.max_cell_chars()
    values = cells[: len(header)]
    oversized = max(map(len, values)) > limit
    formulas = file_format == "xlsx" and any(text[:1] == "=" for text in values)
    if oversized or formulas:
        for name, text in zip(header, values, strict=True):
            if len(text) > limit:
                message = f"The cell has {len(text):,} characters; at most {limit:,}."
                report.add(Problem(row.number, name, text[:80] + "…", message))
            elif formulas and text[:1] == "=":
                report.add(
                    Problem(row.number, name, text[:200], "Formulas are not accepted; paste the values instead.")
                )
        return None
    # One search over the joined row spares a test of each cell; a false hit only costs the slow path.
    joined = "\x1f".join(values)
    if "\x00" in joined:
        for name, text in zip(header, values, strict=True):
            if "\x00" in text:
                report.add(
                    Problem(row.number, name, text[:80].replace("\x00", "\\0"), "The cell holds a NUL character.")
                )
        return None
    if values[0][:1] == "'" or "\x1f'" in joined:
        values = [fmt.unescape_cell(text) if text[:1] == "'" else text for text in values]

    def cell(column: str) -> str:
        return values[layout.index[column]]

    def problem(column: str, message: str) -> None:
        report.add(Problem(row.number, column, cell(column)[:200], message))

    ogp_id = cell(fmt.COMMITMENT_ID).strip()
    if not ogp_id or len(ogp_id) > MAX_LENGTHS["ogp_id"]:
        problem(fmt.COMMITMENT_ID, "A commitment needs its OGP identifier (at most 12 characters).")
    member_code = cell(fmt.MEMBER_CODE).strip()
    if not member_code or len(member_code) > Member._meta.get_field("code").max_length:  # type: ignore[operator]
        problem(fmt.MEMBER_CODE, "A member code is required (at most 8 characters).")
    plan_id = cell(fmt.PLAN_ID).strip()
    if not plan_id or len(plan_id) > ActionPlan._meta.get_field("ogp_id").max_length:  # type: ignore[operator]
        problem(fmt.PLAN_ID, "An action plan id is required (at most 20 characters).")

    member: dict[str, Any] = {}
    if layout.has(fmt.MEMBER_NAME):
        member["name"] = cell(fmt.MEMBER_NAME).strip()
        if not member["name"] or len(member["name"]) > 200:
            problem(fmt.MEMBER_NAME, "A member name is required (at most 200 characters).")
    if layout.has(fmt.REGION):
        member["region"] = fmt.REGIONS.get(cell(fmt.REGION).strip().lower())
        if member["region"] is None:
            problem(fmt.REGION, "Unknown region.")
    if layout.has(fmt.KIND):
        member["kind"] = fmt.KINDS.get(cell(fmt.KIND).strip().lower())
        if member["kind"] is None:
            problem(fmt.KIND, "Expected National, Local, Legacy Local or Other.")

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
                problem(column, "Expected a whole number." if name == "number" else "Expected a four-digit year.")
    if layout.has(fmt.PLAN_DURATION):
        raw = cell(fmt.PLAN_DURATION).strip()
        if raw.isdigit() and len(raw) <= 2:
            plan["duration_years"] = int(raw)
        elif raw.lower() in SENTINEL_WORDS:
            plan["duration_years"] = None
        else:
            problem(fmt.PLAN_DURATION, "Expected a whole number of years, or blank.")
    if plan.get("submitted_year") and plan.get("end_year") and plan["end_year"] < plan["submitted_year"]:
        problem(fmt.PLAN_END, "The plan ends before the year it was submitted.")

    fields: dict[str, Any] = {}
    for column, name, position in layout.texts:
        text = values[position]
        if name in MAX_LENGTHS and len(text) > MAX_LENGTHS[name]:
            problem(column, f"At most {MAX_LENGTHS[name]} characters.")
        fields[name] = text
    if "title" in fields and not fields["title"].strip():
        problem("Commitment Title", "A commitment needs a title.")
    if fields.get("url") and not checked:
        try:
            _url_validator(fields["url"])
        except ValidationError:
            problem("URL", "Not a web address.")
    for column, prefix in ((fmt.START_DATE, "start_date"), (fmt.END_DATE, "end_date")):
        if layout.has(column):
            raw = cell(column)
            if len(raw) > MAX_LENGTHS[f"{prefix}_raw"]:
                problem(column, f"At most {MAX_LENGTHS[f'{prefix}_raw']} characters.")
            parsed, precision = fmt.parse_date(raw)
            fields[f"{prefix}_raw"] = raw
            fields[prefix] = parsed
            fields[f"{prefix}_precision"] = precision
    for assessment, position in layout.assessments:
        code = assessment.code_for(values[position])
        if code is None:
            allowed = ", ".join(assessment.labels.values())
            problem(assessment.header, f"Expected one of {allowed}, or blank.")
        fields[assessment.field] = code

    policy = {name: values[position] for name, position in layout.candidates.items()}
    for name in layout.known_policy_areas:
        raw = policy[name]
        if raw not in fmt.PLAIN_POLICY_AREA_CELLS and not fmt.is_policy_area_cell(raw):
            problem(name, "A policy-area column takes 0, 1, ND, NR, NA or blank.")
    extra = {name: values[position] for name, position in layout.extras.items()}

    if len(report.problems) + report.problems_omitted > problems_before:
        return None
    return RowValues(row.number, ogp_id, member_code, plan_id, member, plan, fields, policy, extra)


def _layout(header: list[str], report: ImportReport) -> Layout | None:
    index = {name: position for position, name in enumerate(header)}
    missing = [column for column in fmt.REQUIRED_COLUMNS if column not in index]
    for column in missing:
        report.add(Problem(None, column, "", f"The required column {column!r} is missing from the header."))
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
            message = f"{kind} {key} has {previous[name]!r} here in row {previous['_row']}."
            report.add(Problem(row, COLUMN_OF[name], str(value), message))


def _validate(path: Path, report: ImportReport, progress: Progress | None) -> FileFacts | None:
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
        values = _parse_row(row, layout, file_format, report)
        if progress and report.rows % 500 == 0:
            progress("validating", report.rows, None)
        if values is None:
            continue
        if values.ogp_id in first_row_of:
            report.add(
                Problem(
                    row.number,
                    fmt.COMMITMENT_ID,
                    values.ogp_id,
                    f"The same commitment is already in row {first_row_of[values.ogp_id]}.",
                )
            )
            continue
        first_row_of[values.ogp_id] = row.number
        _check_consistent("Member", values.member_code, values.member, facts.members, row.number, report)
        plan = {**values.plan, "member_code": values.member_code}
        _check_consistent("Action plan", values.plan_id, plan, facts.plans, row.number, report)
        policy = values.policy
        if unfilled:
            filled.update([name for name in unfilled if policy[name].strip()])
            unfilled.difference_update(filled)
        for name in [name for name, raw in policy.items() if raw not in fmt.PLAIN_POLICY_AREA_CELLS]:
            if name not in not_policy and not fmt.is_policy_area_cell(policy[name]):
                not_policy.add(name)
    if report.rows == 0 and report.ok:
        report.add(Problem(None, "", "", "The file has a header but no commitment rows."))
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
    existing_members = set(Member.objects.filter(code__in=facts.members).values_list("code", flat=True))
    for code, values in facts.members.items():
        missing = [name for name in ("name", "region", "kind") if name not in values]
        if code not in existing_members and missing:
            report.add(
                Problem(values["_row"], fmt.MEMBER_CODE, code, f"A new member needs the columns {fmt.MEMBER_COLUMNS}.")
            )
    existing_plans = {
        plan.ogp_id: plan for plan in ActionPlan.objects.filter(ogp_id__in=facts.plans).select_related("member")
    }
    numbers: dict[tuple[str, int], str] = {
        (plan.member.code, plan.number): plan.ogp_id
        for plan in ActionPlan.objects.filter(member__code__in=facts.members).select_related("member")
    }
    for plan_id, values in facts.plans.items():
        existing = existing_plans.get(plan_id)
        if existing is None and any(values.get(name) is None for name in ("number", "submitted_year", "end_year")):
            report.add(
                Problem(values["_row"], fmt.PLAN_ID, plan_id, f"A new action plan needs {fmt.PLAN_COLUMNS[:3]}.")
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
                    f"{values['member_code']} already has plan {holder} with this number.",
                )
            )
        numbers[(values["member_code"], number)] = plan_id  # type: ignore[index]


def _chunks(rows: Iterator[RowValues]) -> Iterator[list[RowValues]]:
    chunk: list[RowValues] = []
    for values in rows:
        chunk.append(values)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parsed_rows(path: Path, layout: Layout, report: ImportReport) -> Iterator[RowValues]:
    file_format, _, rows = fmt.read_rows(path)
    for row in rows:
        if any(cell.strip() for cell in row.cells):
            values = _parse_row(row, layout, file_format, report, checked=True)
            if values is None:  # the file changed between the passes
                raise Aborted
            yield values


class Writer:
    """Second pass: compare with the database and, unless dry, write the differences in bulk."""

    def __init__(self, *, facts: FileFacts, report: ImportReport, write: bool) -> None:
        self.facts = facts
        self.report = report
        self.write = write
        self.now = timezone.now()
        self.member_ids: dict[str, int] = {}
        self.plan_ids: dict[str, int] = {}
        self.area_ids: dict[str, int] = {}
        self.area_columns: list[tuple[str, int]] = []
        self.touched_members: set[int] = set()

    def members(self) -> None:
        existing = {member.code: member for member in Member.objects.filter(code__in=self.facts.members)}
        new: list[Member] = []
        changed: list[Member] = []
        for code, values in self.facts.members.items():
            wanted = {name: value for name, value in values.items() if name != "_row"}
            member = existing.get(code)
            if member is None:
                new.append(Member(code=code, **wanted, created_at=self.now, updated_at=self.now))
            elif any(getattr(member, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(member, name, value)
                member.updated_at = self.now
                changed.append(member)
                self.touched_members.add(member.pk)
            self.member_ids[code] = member.pk if member else 0
        tally = self.report.members
        tally.created, tally.updated = len(new), len(changed)
        tally.unchanged = len(self.facts.members) - len(new) - len(changed)
        if self.write:
            Member.objects.bulk_create(new)
            Member.objects.bulk_update(changed, ["name", "region", "kind", "updated_at"])
            for member in new:
                self.member_ids[member.code] = member.pk
                self.touched_members.add(member.pk)

    def action_plans(self) -> None:
        existing = {plan.ogp_id: plan for plan in ActionPlan.objects.filter(ogp_id__in=self.facts.plans)}
        new: list[ActionPlan] = []
        changed: list[ActionPlan] = []
        for plan_id, values in self.facts.plans.items():
            wanted = {name: value for name, value in values.items() if name not in {"_row", "member_code"}}
            wanted["member_id"] = self.member_ids[values["member_code"]]
            plan = existing.get(plan_id)
            if plan is None:
                new.append(ActionPlan(ogp_id=plan_id, **wanted, created_at=self.now, updated_at=self.now))
            elif any(getattr(plan, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(plan, name, value)
                plan.updated_at = self.now
                changed.append(plan)
            self.plan_ids[plan_id] = plan.pk if plan else 0
        tally = self.report.action_plans
        tally.created, tally.updated = len(new), len(changed)
        tally.unchanged = len(self.facts.plans) - len(new) - len(changed)
        if self.write:
            ActionPlan.objects.bulk_create(new)
            fields = ["member_id", "number", "submitted_year", "end_year", "duration_years", "updated_at"]
            ActionPlan.objects.bulk_update(changed, fields)
            self.plan_ids.update({plan.ogp_id: plan.pk for plan in new})

    def policy_areas(self) -> None:
        names = list(self.facts.layout.policy_areas)
        existing = dict(PolicyArea.objects.filter(name__in=names).values_list("name", "pk"))
        new = [PolicyArea(name=name, slug=slugify(name)[:200]) for name in names if name not in existing]
        self.report.policy_areas.created = len(new)
        self.report.policy_areas.unchanged = len(existing)
        if self.write:
            PolicyArea.objects.bulk_create(new)
            existing.update({area.name: area.pk for area in new})
        self.area_ids = existing
        self.area_columns = [(name, existing.get(name, 0)) for name in names]

    def _wanted_tags(self, values: RowValues) -> dict[int, str]:
        tags = {}
        for name, area_id in self.area_columns:
            raw = values.policy[name]
            if raw and raw != "0":
                tags[area_id] = fmt.POLICY_AREA_VALUES[raw.strip().lower()]
        return tags

    def commitments(self, chunk: list[RowValues]) -> None:
        existing = {c.ogp_id: c for c in Commitment.objects.filter(ogp_id__in=[v.ogp_id for v in chunk])}
        area_ids = [pk for pk in self.area_ids.values() if pk]
        current_tags: dict[int, dict[int, CommitmentPolicyArea]] = {}
        for found in CommitmentPolicyArea.objects.filter(
            commitment__in=[c.pk for c in existing.values()], policy_area__in=area_ids
        ):
            current_tags.setdefault(found.commitment_id, {})[found.policy_area_id] = found
        new: list[tuple[dict[str, Any], dict[int, str]]] = []  # field values and tags of each new commitment
        changed: list[Commitment] = []
        changed_fields: set[str] = set()
        tags_new: list[tuple[int, int, str]] = []
        tags_changed: list[CommitmentPolicyArea] = []
        tags_gone: list[int] = []
        for values in chunk:
            member_id = self.member_ids[values.member_code]
            plan_id = self.plan_ids[values.plan_id]
            wanted = {**values.fields, "member_id": member_id, "action_plan_id": plan_id}
            tags = self._wanted_tags(values)
            commitment = existing.get(values.ogp_id)
            if commitment is None:
                if "title" not in wanted:
                    self.report.add(Problem(values.number, "Commitment Title", "", "A new commitment needs a title."))
                    continue
                extra = values.extra
                state: dict[str, Any] = {"ogp_id": values.ogp_id, "extra": extra}
                new.append(({**state, "created_at": self.now, "updated_at": self.now, **wanted}, tags))
                continue
            wanted["extra"] = {**commitment.extra, **values.extra}
            diff = [name for name, value in wanted.items() if getattr(commitment, name) != value]
            members = {commitment.member_id, member_id}
            have = current_tags.get(commitment.pk, {})
            tags_differ = False
            for area_id, value in tags.items():
                tag = have.get(area_id)
                tags_differ = tags_differ or tag is None or tag.value != value
                if tag is None:
                    tags_new.append((commitment.pk, area_id, value))
                elif tag.value != value:
                    tag.value = value
                    tags_changed.append(tag)
            gone = [old.pk for area_id, old in have.items() if area_id not in tags]
            tags_gone.extend(gone)
            tags_differ = tags_differ or bool(gone)
            if diff:
                for name in diff:
                    setattr(commitment, name, wanted[name])
                commitment.updated_at = self.now
                changed.append(commitment)
                changed_fields.update(diff)
            if diff or tags_differ:
                self.report.commitments.updated += 1
                self.report.updated_commitment_ids.append(commitment.pk)
                self.touched_members.update(members)
            else:
                self.report.commitments.unchanged += 1
        self.report.commitments.created += len(new)
        if not self.write or not self.report.ok:
            return
        ids = insert_commitments([state for state, _ in new])
        for (state, tags), pk in zip(new, ids, strict=True):
            self.report.created_commitment_ids.append(pk)
            self.touched_members.add(state["member_id"])
            tags_new.extend((pk, area_id, value) for area_id, value in tags.items())
        if changed:
            Commitment.objects.bulk_update(changed, sorted(changed_fields | {"updated_at"}), batch_size=250)
        if tags_gone:
            CommitmentPolicyArea.objects.filter(pk__in=tags_gone).delete()
        insert_tags(tags_new)
        CommitmentPolicyArea.objects.bulk_update(tags_changed, ["value"], batch_size=1000)


def _copy_converter(f: Any) -> Callable[[Any], object] | None:
    """How a field's value is written in COPY's CSV; None when it is written as it is."""
    kind = f.get_internal_type()
    if kind in {"CharField", "TextField"}:
        return None
    if kind in {"DateField", "DateTimeField"}:
        return lambda value: None if value is None else value.isoformat()
    if isinstance(f, JSONField):
        return lambda value: json.dumps(value, cls=f.encoder)
    return lambda value: f.get_db_prep_save(value, connection)


def insert_commitments(states: list[dict[str, Any]]) -> list[int]:
    """Insert new commitments given as field values (by attribute name); their ids, in the same order.

    Every state carries the same fields (the file's columns); the others take their model default.
    On PostgreSQL this goes through COPY, which takes long full texts at about twice the speed of a
    multi-row INSERT. In COPY's CSV an unquoted empty cell is NULL, so text columns are marked
    FORCE_NOT_NULL: empty text stays empty text, and only the nullable dates can be NULL.
    """
    if not states:
        return []
    fields = [f for f in Commitment._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in states[0]}
    if connection.vendor != "postgresql":
        created = Commitment.objects.bulk_create([Commitment(**{**defaults, **state}) for state in states])
        return [commitment.pk for commitment in created]
    attnames = [f.attname for f in fields]
    converters = [(i, convert) for i, f in enumerate(fields) if (convert := _copy_converter(f)) is not None]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for state in states:
        full = {**defaults, **state} if defaults else state
        cells = [full[attname] for attname in attnames]
        for i, convert in converters:
            cells[i] = convert(cells[i])
        writer.writerow(cells)
    buffer.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column or f.name) for f in fields)
    texts = ", ".join(quote(f.column or f.name) for f in fields if f.get_internal_type() in {"CharField", "TextField"})
    table = quote(Commitment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({texts}))", buffer)
    ids = dict(Commitment.objects.filter(ogp_id__in=[state["ogp_id"] for state in states]).values_list("ogp_id", "pk"))
    return [ids[state["ogp_id"]] for state in states]


def insert_tags(rows: list[tuple[int, int, str]]) -> None:
    """Insert policy-area tags, the bulk of an import's rows; on PostgreSQL through COPY."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        tags = [CommitmentPolicyArea(commitment_id=c, policy_area_id=a, value=v) for c, a, v in rows]
        CommitmentPolicyArea.objects.bulk_create(tags, batch_size=2000)
        return
    buffer = io.StringIO("".join(f"{c},{a},{v}\n" for c, a, v in rows))
    table = connection.ops.quote_name(CommitmentPolicyArea._meta.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} (commitment_id, policy_area_id, value) FROM STDIN WITH (FORMAT csv)", buffer)


def _apply(path: Path, facts: FileFacts, report: ImportReport, *, write: bool, progress: Progress | None) -> None:
    writer = Writer(facts=facts, report=report, write=write)
    writer.members()
    writer.action_plans()
    writer.policy_areas()
    done = 0
    for chunk in _chunks(_parsed_rows(path, facts.layout, report)):
        writer.commitments(chunk)
        done += len(chunk)
        if progress:
            progress("writing" if write else "comparing", done, report.rows)
    if not report.ok:
        raise Aborted
    report.touched_member_ids = sorted(writer.touched_members - {0})


def import_ogp(*, path: Path, dry_run: bool, file_name: str = "", progress: Progress | None = None) -> ImportReport:
    """Import one OGP export file, all or nothing; with `dry_run`, only report what would change.

    Nothing is written unless every row is valid. The report lists every problem by row, column and value.
    After a real import commits, `on_import_committed` runs with the report.
    """
    report = ImportReport(file_name=file_name or path.name, dry_run=dry_run)
    try:
        report.sha256 = file_sha256(path)
        facts = _validate(path, report, progress)
        if facts is None:
            return report
        with transaction.atomic():
            _apply(path, facts, report, write=not dry_run, progress=progress)
            if file_sha256(path) != report.sha256:
                raise Aborted
            if not dry_run:
                transaction.on_commit(lambda: on_import_committed(report=report))
    except fmt.FileProblem as exc:
        report.add(Problem(None, "", "", str(exc)))
    except Aborted:
        if report.ok:
            report.add(Problem(None, "", "", "The file changed while it was being imported; nothing was written."))
    except IntegrityError as exc:
        report.add(Problem(None, "", "", f"The database refused the import, nothing was written: {exc}"))
    if not report.ok:
        report.created_commitment_ids.clear()
        report.updated_commitment_ids.clear()
        report.touched_member_ids.clear()
    return report


def on_import_committed(*, report: ImportReport) -> None:
    """The one place where work follows a successful import, once its transaction has committed.

    `report.created_commitment_ids`, `report.updated_commitment_ids` and `report.touched_member_ids` say
    what changed: suggestions and score recomputes for them are enqueued from here.
    """
    from commitments.scoring import request_member_recompute
    from commitments.tasks import request_suggestions  # the tasks module imports this one

    request_suggestions([*report.created_commitment_ids, *report.updated_commitment_ids])
    request_member_recompute(report.touched_member_ids)
