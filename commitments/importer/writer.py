"""The second pass over a file: each chunk of rows compared with the database, the differences written in bulk."""

import csv
import hashlib
import io
import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import JSONField
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from commitments.importer import format as fmt
from commitments.importer.report import ImportReport, Problem
from commitments.importer.rows import FileFacts, RowValues
from commitments.models import ActionPlan, ColumnLayout, Commitment, CommitmentPolicyArea, Member, PolicyArea
from commitments.search import detect_language


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
        self.member_codes: dict[str, str] = {}  # upper-cased code -> the stored spelling
        self.layout_id = 0
        self.layout_columns: dict[int, set[str]] = {}

    def members(self) -> None:
        existing: dict[str, Member] = {
            member.code.upper(): member
            for member in Member.objects.annotate(key=Upper("code")).filter(key__in=self.facts.members)
        }
        new: list[Member] = []
        changed: list[Member] = []
        for code, values in self.facts.members.items():
            wanted = {name: value for name, value in values.items() if name != "_row"}
            member = existing.get(code)
            if member is not None:
                self.member_codes[code] = member.code
            if member is None:
                spelling = self.facts.member_spelling.get(code, code)
                new.append(Member(code=spelling, **wanted, created_at=self.now, updated_at=self.now))
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
            for created in new:
                self.member_ids[created.code.upper()] = created.pk
                self.touched_members.add(created.pk)

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

    def layout(self) -> None:
        """Record the file's columns in their order, for the export to write them back the same way."""
        columns = list(self.facts.layout.header)
        key = hashlib.sha256(json.dumps(columns).encode()).hexdigest()
        if self.write:
            layout, _ = ColumnLayout.objects.update_or_create(
                key=key, defaults={"columns": columns, "last_used_at": self.now}
            )
            self.layout_id = layout.pk

    def _covers(self, layout_id: int) -> bool:
        """Whether this file has every column of an earlier file's layout."""
        if layout_id not in self.layout_columns:
            columns = ColumnLayout.objects.filter(pk=layout_id).values_list("columns", flat=True).first() or []
            self.layout_columns[layout_id] = set(columns)
        return self.layout_columns[layout_id] <= set(self.facts.layout.index)

    def _wanted_tags(self, values: RowValues) -> dict[int, str]:
        tags = {}
        for name, area_id in self.area_columns:
            raw = values.policy[name]
            if raw and raw != "0":
                value = fmt.POLICY_AREA_VALUES.get(raw.strip().lower(), CommitmentPolicyArea.Value.UNRECOGNISED)
                tags[area_id] = value
                read_as = fmt.POLICY_AREA_LABELS.get(value)
            else:
                read_as = "0"
            if raw != read_as:
                values.raw_cells[name] = {"raw": raw, "read_as": read_as}
        return tags

    def commitments(self, chunk: list[RowValues]) -> None:
        existing = {
            c.ogp_id.upper(): c
            for c in Commitment.objects.annotate(key=Upper("ogp_id")).filter(key__in=[v.key for v in chunk])
        }
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
            member_id = self.member_ids[values.member_key]
            plan_id = self.plan_ids[values.plan_id]
            tags = self._wanted_tags(values)
            commitment = existing.get(values.key)
            raw_cells = values.raw_cells
            # Ids are stored in their first spelling; another spelling of the same id is kept as its raw text.
            if commitment is not None and commitment.ogp_id != values.ogp_id:
                raw_cells[fmt.COMMITMENT_ID] = {"raw": values.ogp_id, "read_as": commitment.ogp_id}
            first_spelling = self.facts.member_spelling.get(values.member_key, values.member_code)
            stored_code = self.member_codes.get(values.member_key, first_spelling)
            if stored_code != values.member_code:
                raw_cells[fmt.MEMBER_CODE] = {"raw": values.member_code, "read_as": stored_code}
            wanted = {
                **values.fields,
                "member_id": member_id,
                "action_plan_id": plan_id,
                "raw_cells": raw_cells,
                "layout_id": self.layout_id or (commitment.layout_id if commitment else None),
            }
            if "title" in wanted or "full_text" in wanted:
                # A column the file lacks keeps its stored text, and the language is told from both.
                title = wanted.get("title", commitment.title if commitment else "")
                full_text = wanted.get("full_text", commitment.full_text if commitment else "")
                wanted["language"] = detect_language(title, full_text)
            if commitment is None:
                if "title" not in wanted:
                    self.report.add(
                        Problem(values.number, "Commitment Title", "", gettext_noop("A new commitment needs a title."))
                    )
                    continue
                extra = values.extra
                state: dict[str, Any] = {"ogp_id": values.ogp_id, "extra": extra}
                new.append(({**state, "created_at": self.now, "updated_at": self.now, **wanted}, tags))
                continue
            wanted["extra"] = {**commitment.extra, **values.extra}
            # Raw cells of columns this file lacks stay; a file with fewer columns keeps the fuller layout.
            header = self.facts.layout.index
            wanted["raw_cells"] = {
                **{name: kept for name, kept in commitment.raw_cells.items() if name not in header},
                **raw_cells,
            }
            if commitment.layout_id and not self._covers(commitment.layout_id):
                wanted["layout_id"] = commitment.layout_id
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
