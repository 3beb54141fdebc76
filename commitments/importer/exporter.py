"""Export commitments in OGP's own format, so that importing the export changes nothing."""

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.utils.formats import number_format
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from commitments.importer import format as fmt
from commitments.models import ColumnLayout, Commitment, CommitmentPolicyArea, PolicyArea

CHUNK_ROWS = 2000


class ExportTooWide(Exception):
    """The export has more columns than a worksheet holds."""


XLSX_MAX_COLUMNS = 16_384


def export_columns() -> list[str]:
    """The columns in the order the data came with: the latest imported file's, then any other file's,
    then the known columns (when some commitment came from no file), every tagged policy area, every extra."""
    columns: dict[str, None] = {}
    used = Commitment.objects.values("layout_id").distinct()
    for layout in ColumnLayout.objects.filter(pk__in=used).order_by("-last_used_at", "-pk"):
        columns.update(dict.fromkeys(layout.columns))
    if not columns or Commitment.objects.filter(layout__isnull=True).exists():
        columns.update(dict.fromkeys(fmt.FIELD_COLUMNS))
    tagged = CommitmentPolicyArea.objects.values("policy_area_id").distinct()
    columns.update(
        dict.fromkeys(PolicyArea.objects.filter(pk__in=tagged).order_by("name").values_list("name", flat=True))
    )
    for extra in Commitment.objects.exclude(extra={}).values_list("extra", flat=True).iterator(CHUNK_ROWS):
        columns.update(dict.fromkeys(extra))
    return list(columns)


def _rows() -> Iterator[list[str]]:
    """The header, then one row of cell texts per commitment, each cell spelled as it came."""
    columns = export_columns()
    yield columns
    area_names = dict(PolicyArea.objects.values_list("pk", "name"))
    area_set = set(PolicyArea.objects.filter(name__in=columns).values_list("name", flat=True))
    commitments = Commitment.objects.select_related("member", "action_plan").order_by("ogp_id")
    chunk: list[Commitment] = []
    for commitment in commitments.iterator(CHUNK_ROWS):
        chunk.append(commitment)
        if len(chunk) == CHUNK_ROWS:
            yield from _chunk_rows(chunk, area_names, area_set, columns)
            chunk = []
    yield from _chunk_rows(chunk, area_names, area_set, columns)


def _canonical(commitment: Commitment) -> dict[str, str | None]:
    """The usual spelling of every recognised field's value; None for a value outside the vocabulary."""
    member, plan = commitment.member, commitment.action_plan
    cells: dict[str, str | None] = {
        fmt.COMMITMENT_ID: commitment.ogp_id,
        fmt.MEMBER_NAME: member.name,
        fmt.MEMBER_CODE: member.code,
        fmt.REGION: fmt.REGION_LABELS.get(member.region),
        fmt.KIND: fmt.KIND_LABELS.get(member.kind),
        fmt.PLAN_ID: plan.ogp_id,
        fmt.PLAN_NUMBER: str(plan.number),
        fmt.PLAN_SUBMITTED: str(plan.submitted_year),
        fmt.PLAN_END: str(plan.end_year),
        fmt.PLAN_DURATION: "" if plan.duration_years is None else str(plan.duration_years),
        fmt.START_DATE: commitment.start_date_raw,
        fmt.END_DATE: commitment.end_date_raw,
    }
    cells.update({column: getattr(commitment, name) for column, name in fmt.TEXT_COLUMNS.items()})
    for column in fmt.ASSESSMENT_COLUMNS:
        cells[column.header] = column.labels.get(getattr(commitment, column.field))
    return cells


def _chunk_rows(
    chunk: list[Commitment], area_names: dict[int, str], areas: set[str], columns: list[str]
) -> Iterator[list[str]]:
    tags: dict[int, dict[str, str | None]] = {}
    for commitment_id, area_id, value in CommitmentPolicyArea.objects.filter(
        commitment__in=[c.pk for c in chunk]
    ).values_list("commitment_id", "policy_area_id", "value"):
        tags.setdefault(commitment_id, {})[area_names[area_id]] = fmt.POLICY_AREA_LABELS.get(value)
    for commitment in chunk:
        cells: dict[str, str | None] = {**_canonical(commitment)}
        mine = tags.get(commitment.pk, {})
        raw_cells = commitment.raw_cells
        row = []
        for column in columns:
            text: str | None
            if column in cells:
                text = cells[column]
            elif column in areas:
                text = mine.get(column, "0")
            else:
                text = commitment.extra.get(column, "")
            kept = raw_cells.get(column)
            # The cell as it came, while the value read from it is still the value stored.
            if kept is not None and kept.get("read_as") == text:
                text = kept["raw"]
            row.append("" if text is None else text)
        yield row


def ogp_rows() -> Iterator[list[str]]:
    """The export as rows, header first, cells already escaped; read in chunks, for streamed downloads."""
    return _rows()


def write_csv(out: IO[str]) -> None:
    """UTF-8 CSV with a header; only cells that a spreadsheet would run as formulas start with an apostrophe."""
    writer = csv.writer(out, lineterminator="\r\n")
    for row in _rows():
        writer.writerow([fmt.escape_cell(value) for value in row])


def _xlsx_value(value: str) -> object:
    """A number as a number when its text is the number's own spelling; anything else as text."""
    if fmt.is_number(value):
        number = float(value) if any(c in value for c in ".eE") else int(value)
        if fmt.xlsx_number_text(number) == value:
            return number
    return value


def write_xlsx(out: IO[bytes] | Path) -> None:
    """One sheet; text cells as text, never escaped (a text cell is never run as a formula), numbers as numbers.

    ExportTooWide when there are more columns than a worksheet holds, before anything is written.
    """
    rows = _rows()
    header = next(rows)
    if len(header) > XLSX_MAX_COLUMNS:
        raise ExportTooWide(
            gettext("The export has %(width)s columns; a worksheet holds at most %(most)s. Export as CSV instead.")
            % {
                "width": number_format(len(header), force_grouping=True),
                "most": number_format(XLSX_MAX_COLUMNS, force_grouping=True),
            }
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Commitments")
    for number, row in enumerate(itertools.chain([header], rows)):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet)
            typed = value if number == 0 else _xlsx_value(value)
            if isinstance(typed, str):
                cell.value = typed.replace("\r", fmt.XLSX_CR)
                cell.data_type = "s"
            else:
                cell.value = typed
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
        writer.writerow([fmt.escape_cell(value) for value in row])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
