"""Lists downloaded as CSV, streamed row by row so memory stays flat whatever the number of rows.

Pages and the API both answer through `csv_response`. Text a spreadsheet would evaluate as a formula is
prefixed with an apostrophe (CSV injection); numbers, dates and booleans are written as they are.
"""

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

# A cell a spreadsheet runs as a formula: after optional whitespace, one of = + - @ (or its full-width form),
# or a leading tab, carriage return or line break.
_FORMULA = re.compile("^(?:\\s*[=+\\-@\uff1d]|[\t\r\n])")
CHUNK_BYTES = 1 << 16


class _Echo:
    """A file-like object whose write returns what it is given, for csv.writer to format one row."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell: None as empty, formula-like text escaped, anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def _as_is(value: Any) -> Any:
    return value


def csv_rows(header: Sequence[str], rows: Iterable[Sequence[Any]], *, escape: bool = True) -> Iterator[str]:
    """The CSV text in pieces of about 64 KB: a header, then every row. `escape=False` for rows a format
    has escaped already (OGP's export)."""
    cell = safe_cell if escape else _as_is
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    buffer: list[str] = [writer.writerow([cell(name) for name in header])]
    size = len(buffer[0])
    for row in rows:
        line = writer.writerow([cell(value) for value in row])
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    yield "".join(buffer)


def csv_response(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, escape: bool = True
) -> StreamingHttpResponse:
    """A streamed CSV download named `filename` (UTF-8 with a byte-order mark, so spreadsheets read accents)."""

    def content() -> Iterator[str]:
        yield "\ufeff"
        yield from csv_rows(header, rows, escape=escape)

    response = StreamingHttpResponse(content(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
