"""Export commitments in OGP's own format, so that importing the export changes nothing."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from commitments.importer import format as fmt
from commitments.models import Commitment, CommitmentPolicyArea, PolicyArea

CHUNK_ROWS = 2000


def export_columns() -> tuple[list[str], list[str], list[str]]:
    """The known columns, then every policy area, then every extra column any commitment keeps."""
    known = list(fmt.FIELD_COLUMNS)
    areas = list(PolicyArea.objects.order_by("name").values_list("name", flat=True))
    extras: dict[str, None] = {}
    for extra in Commitment.objects.exclude(extra={}).values_list("extra", flat=True).iterator(CHUNK_ROWS):
        extras.update(dict.fromkeys(extra))
    return known, areas, [name for name in extras if name not in set(known) | set(areas)]


def _rows() -> Iterator[list[str]]:
    known, areas, extras = export_columns()
    yield [*known, *areas, *extras]
    area_names = dict(PolicyArea.objects.values_list("pk", "name"))
    commitments = Commitment.objects.select_related("member", "action_plan").order_by("ogp_id")
    chunk: list[Commitment] = []
    for commitment in commitments.iterator(CHUNK_ROWS):
        chunk.append(commitment)
        if len(chunk) == CHUNK_ROWS:
            yield from _chunk_rows(chunk, area_names, areas, extras)
            chunk = []
    yield from _chunk_rows(chunk, area_names, areas, extras)


def _chunk_rows(
    chunk: list[Commitment], area_names: dict[int, str], areas: list[str], extras: list[str]
) -> Iterator[list[str]]:
    tags: dict[int, dict[str, str]] = {}
    for commitment_id, area_id, value in CommitmentPolicyArea.objects.filter(
        commitment__in=[c.pk for c in chunk]
    ).values_list("commitment_id", "policy_area_id", "value"):
        tags.setdefault(commitment_id, {})[area_names[area_id]] = fmt.POLICY_AREA_LABELS[value]
    for commitment in chunk:
        member, plan = commitment.member, commitment.action_plan
        row: list[Any] = [
            commitment.ogp_id,
            member.name,
            member.code,
            fmt.REGION_LABELS[member.region],
            fmt.KIND_LABELS[member.kind],
            plan.ogp_id,
            plan.number,
            plan.submitted_year,
            plan.end_year,
            "" if plan.duration_years is None else plan.duration_years,
            *(getattr(commitment, name) for name in fmt.TEXT_COLUMNS.values()),
            commitment.start_date_raw,
            commitment.end_date_raw,
            *(column.labels[getattr(commitment, column.field)] for column in fmt.ASSESSMENT_COLUMNS),
        ]
        mine = tags.get(commitment.pk, {})
        row.extend(mine.get(name, "0") for name in areas)
        row.extend(commitment.extra.get(name, "") for name in extras)
        yield [fmt.escape_cell(str(value)) for value in row]


def write_csv(out: IO[str]) -> None:
    """UTF-8 CSV with a header; cells that a spreadsheet would run as formulas start with an apostrophe."""
    writer = csv.writer(out, lineterminator="\r\n")
    for row in _rows():
        writer.writerow(row)


def write_xlsx(out: IO[bytes] | Path) -> None:
    """One sheet, every cell a string, so nothing in it is a formula or gets reinterpreted as a date."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Commitments")
    for row in _rows():
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet)
            cell.value = value.replace("\r", fmt.XLSX_CR)
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(out)


def export_ogp(*, path: Path) -> int:
    """Write every commitment to `path`, as XLSX when it ends in .xlsx, CSV otherwise; returns the row count."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as out:
            write_csv(out)
    return Commitment.objects.count()


def csv_chunks() -> Iterator[str]:
    """The CSV export as pieces of text, for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _rows():
        writer.writerow(row)
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
