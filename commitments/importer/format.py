"""OGP's commitment export as a file: its columns, its cell values, its dates, and reading it row by row.

The importer and the exporter both speak through this module, so a value read is written back the same way.
"""

import codecs
import contextlib
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import openpyxl
from django.conf import settings
from django.utils.translation import gettext_noop
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from commitments.importer.report import english_message
from commitments.models import NO_DATA, NOT_APPLICABLE, NOT_REVIEWED, SENTINEL_VALUES, DatePrecision

# The labels OGP's file writes, fixed here: the models' display names are translated, the file never is.
SPECIFICITY = [("none", "None"), ("low", "Low"), ("medium", "Medium"), ("high", "High")]
POTENTIAL_IMPACT = [
    ("none", "None"),
    ("minor", "Minor"),
    ("moderate", "Moderate"),
    ("transformative", "Transformative"),
]
POTENTIAL_FOR_RESULTS = [("unclear", "Unclear"), ("modest", "Modest"), ("substantial", "Substantial")]
COMPLETION = [
    ("not_started", "Not Started"),
    ("limited", "Limited"),
    ("substantial", "Substantial"),
    ("complete", "Complete"),
    ("withdrawn", "Withdrawn"),
    ("unclear", "Unclear"),
]
CHANGE_IN_COMPLETION = [("increase", "Increase"), ("no_change", "No Change"), ("decrease", "Decrease")]
EARLY_RESULTS = [("no_notable_results", "No notable results"), ("moderate", "Moderate"), ("significant", "Significant")]
DID_IT_OPEN_GOVERNMENT = [
    ("worsens", "Worsens"),
    ("did_not_change", "Did Not Change"),
    ("marginal", "Marginal"),
    ("major", "Major"),
    ("outstanding", "Outstanding"),
    ("no_early_results", "No early results to report yet"),
]
REGION_LABELS = {
    "africa_middle_east": "Africa and the Middle East",
    "americas": "Americas",
    "asia_pacific": "Asia and the Pacific",
    "europe": "Europe",
}
KIND_LABELS = {"national": "National", "local": "Local", "legacy_local": "Legacy Local", "other": "Other"}
# The stored state of a region or kind the file spelt outside the vocabulary; the cell itself is kept in
# the commitment's raw_cells, so it has no label of its own here and the export writes the cell back.
UNRECOGNISED = "unrecognised"

# Identity and place.
COMMITMENT_ID = "Commitment Unique Identifier"
MEMBER_NAME = "Country/Locality"
MEMBER_CODE = "Code"
REGION = "Region"
KIND = "National Or Local"
PLAN_ID = "Action Plan ID"
PLAN_NUMBER = "Action Plan Number"
PLAN_SUBMITTED = "Year Of Submission"
PLAN_END = "Action Plan End Year"
PLAN_DURATION = "Action Plan Duration (Years)"
START_DATE = "Start Date"
END_DATE = "End Date"

REQUIRED_COLUMNS = (COMMITMENT_ID, MEMBER_CODE, PLAN_ID)
MEMBER_COLUMNS = (MEMBER_NAME, REGION, KIND)
PLAN_COLUMNS = (PLAN_NUMBER, PLAN_SUBMITTED, PLAN_END, PLAN_DURATION)

# Columns stored as they are, byte for byte, in a Commitment text field.
TEXT_COLUMNS: dict[str, str] = {
    "Commitment Number": "number",
    "Theme": "theme",
    "Commitment Title": "title",
    "Short Title": "short_title",
    "Full Text": "full_text",
    "Lead Institution": "lead_institution",
    "Supporting Institution(s)": "supporting_institutions",
    "URL": "url",
}

SENTINEL_LABELS = {NO_DATA: "ND", NOT_REVIEWED: "NR", NOT_APPLICABLE: "NA"}
BINARY = [("yes", "1"), ("no", "0")]
YES_NO_LABELS = [("yes", "Yes"), ("no", "No")]


@dataclass(frozen=True)
class AssessmentColumn:
    """An IRM assessment column: its labels in the file and the codes stored on the commitment."""

    header: str
    field: str
    labels: dict[str, str]  # code -> label written on export
    aliases: dict[str, str]  # lower-cased label -> code, read on import
    exact: dict[str, str]  # label as exported -> code, the common case
    # Numeric codes read as a label: only where OGP's own coding of the column is unambiguous.
    numeric: dict[str, str] = dataclass_field(default_factory=dict)

    def code_for(self, raw: str) -> str | None:
        """The stored code for a cell; a blank cell means no data. None when the value is not recognised."""
        if code := self.exact.get(raw):
            return code
        value = raw.strip()
        if value == "":
            return NO_DATA
        return self.aliases.get(value.lower())

    def mapped_code(self, raw: str) -> str | None:
        """The code a numeric cell stands for, where the column's coding makes it unambiguous."""
        return self.numeric.get(raw.strip())


def _assessment(
    header: str,
    field: str,
    choices: list[tuple[str, str]],
    numeric: dict[str, str] | None = None,
    aliases: dict[str, str] | None = None,
) -> AssessmentColumn:
    aliases = aliases or {}
    labels = {code: label for code, label in choices if code not in SENTINEL_VALUES} | SENTINEL_LABELS
    lookup = {label.lower(): code for code, label in labels.items()}
    lookup.update({alias.lower(): code for alias, code in aliases.items()})
    exact = {label: code for code, label in labels.items()} | {"": NO_DATA}
    return AssessmentColumn(header, field, labels, lookup, exact, numeric or {})


# OGP codes every yes/no answer of its export as 1 / 0 (the OGP value and starred columns are written so):
# a 1 or 0 in a Yes/No column is read as Yes or No, and the report says it was mapped. Other labelled
# columns number their codes differently from one column to the next (`_Specificity`, `_Potential Impact`,
# ...), so a number there is not recognised.
YES_NO_CODES = {"1": "yes", "0": "no"}

_DIOG_ALIASES = {"Not Applicable": NOT_APPLICABLE}
ASSESSMENT_COLUMNS = [
    _assessment("Specificity", "specificity", SPECIFICITY),
    _assessment("Verifiable", "verifiable", YES_NO_LABELS, YES_NO_CODES),
    _assessment("OGP Value Access To Information", "value_access_to_information", BINARY),
    _assessment("OGP Value Civic Participation", "value_civic_participation", BINARY),
    _assessment("OGP Value Public Accountability", "value_public_accountability", BINARY),
    _assessment("OGP Value Technology", "value_technology", BINARY),
    _assessment("Potential Impact", "potential_impact", POTENTIAL_IMPACT),
    _assessment("Potential for Results", "potential_for_results", POTENTIAL_FOR_RESULTS),
    _assessment("Completion (Progress Report)", "completion_midterm", COMPLETION),
    _assessment("Completion (End Of Term)", "completion_end_of_term", COMPLETION),
    _assessment("Change In Completion", "change_in_completion", CHANGE_IN_COMPLETION),
    _assessment("Early Results", "early_results", EARLY_RESULTS),
    _assessment("Did It Open Government (Overall)", "dioG_overall", DID_IT_OPEN_GOVERNMENT),
    _assessment(
        "Did It Open Government (Access To Information)",
        "dioG_access_to_information",
        DID_IT_OPEN_GOVERNMENT,
        aliases=_DIOG_ALIASES,
    ),
    _assessment(
        "Did It Open Government (Civic Participation)",
        "dioG_civic_participation",
        DID_IT_OPEN_GOVERNMENT,
        aliases=_DIOG_ALIASES,
    ),
    _assessment(
        "Did It Open Government: Public Accountability",
        "dioG_public_accountability",
        DID_IT_OPEN_GOVERNMENT,
        aliases=_DIOG_ALIASES,
    ),
    _assessment("Starred (2015 Only)", "starred_2015", BINARY),
    _assessment("Starred (Current Formula) Progress Report", "starred_progress", BINARY),
    _assessment("Starred (Current Formula) End of Term", "starred_end_of_term", BINARY),
]

# The columns that map to fields, in the order an export writes them; policy areas and extra columns follow.
FIELD_COLUMNS = [
    COMMITMENT_ID,
    MEMBER_NAME,
    MEMBER_CODE,
    REGION,
    KIND,
    PLAN_ID,
    PLAN_NUMBER,
    PLAN_SUBMITTED,
    PLAN_END,
    PLAN_DURATION,
    *TEXT_COLUMNS,
    START_DATE,
    END_DATE,
    *(column.header for column in ASSESSMENT_COLUMNS),
]

# Derived columns OGP computes from others; their 0/1 values must not make them look like policy areas.
DERIVED_COLUMNS = frozenset(
    {
        "High Completion",
        "IRM-Based Score",
        "Binding constraint",
        "CHECKSUM",
        "Starred",
        "Transformative",
        "Relevant",
        "Specific",
        "Complete",
    }
)

KNOWN_COLUMNS = frozenset(
    {
        *REQUIRED_COLUMNS,
        *MEMBER_COLUMNS,
        *PLAN_COLUMNS,
        START_DATE,
        END_DATE,
        *TEXT_COLUMNS,
        *(column.header for column in ASSESSMENT_COLUMNS),
    }
)

POLICY_AREA_VALUES = {"1": "yes", "nd": NO_DATA, "nr": NOT_REVIEWED, "na": NOT_APPLICABLE}
POLICY_AREA_LABELS = {"yes": "1", NO_DATA: "ND", NOT_REVIEWED: "NR", NOT_APPLICABLE: "NA"}
POLICY_AREA_CELLS = frozenset({"", "0", *POLICY_AREA_VALUES})
PLAIN_POLICY_AREA_CELLS = frozenset({"", "0", "1", "ND", "NR", "NA"})


def is_policy_area_cell(raw: str) -> bool:
    return raw.strip().lower() in POLICY_AREA_CELLS


def could_be_policy_area(header: str) -> bool:
    """Unknown columns are policy areas when their values say so; these never are."""
    return header not in KNOWN_COLUMNS and header not in DERIVED_COLUMNS and not header.startswith("_")


REGIONS = {label.lower(): code for code, label in REGION_LABELS.items()}
KINDS = {label.lower(): code for code, label in KIND_LABELS.items()}

# Spreadsheets run a cell as a formula when it starts with one of these, possibly after whitespace, and
# treat a cell starting with a tab or a line break as one too; the full-width forms count as well.
FORMULA_TRIGGERS = "=+-@\uff1d\uff0b\uff0d\uff20"
_FORMULA_LIKE = re.compile(r"^(?:[\t\r\n]|\s*[" + re.escape(FORMULA_TRIGGERS) + "])")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def is_number(value: str) -> bool:
    return bool(_NUMBER.match(value))


def formula_like(value: str) -> bool:
    """Text a spreadsheet would evaluate: a number such as -1 or +3 is not, and neither is a sentinel."""
    return bool(_FORMULA_LIKE.match(value)) and not is_number(value)


def escape_cell(value: str) -> str:
    """Neutralise CSV injection: prefix ' to a cell that a spreadsheet would run as a formula.

    Apostrophes already before formula-like text get one more, so `unescape_cell` is exact.
    """
    return "'" + value if formula_like(value.lstrip("'")) else value


def unescape_cell(value: str) -> str:
    return value[1:] if value[:1] == "'" and formula_like(value.lstrip("'")) else value


# Dates -------------------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
SPREADSHEET_EPOCH = datetime.date(1899, 12, 30)

_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
_QUARTER_FIRST = re.compile(r"^(?:quarter|q)\s*([1-4]|i{1,3}|iv)\s*(?:of\s+)?,?\s*(\d{4})$")
_QUARTER_LAST = re.compile(r"^([1-4]|i{1,3}|iv)(?:st|nd|rd|th)?\s+quarter\s+(?:of\s+)?(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_SERIAL = re.compile(r"^(\d{5})$")


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(raw: str) -> tuple[datetime.date | None, str]:
    """A date and its precision when the text says it unambiguously, else (None, "").

    `d/m/y` is read only when one reading is impossible (a part above 12) or both readings agree:
    `31/12/2016` is day first, `12/31/18` month first, `9/1/2018` stays unparsed. Two-digit years are
    20yy below 70 and 19yy from 70. A quarter is stored as its first day, a month as its first day,
    a year as 1 January. Five digits are a spreadsheet serial day (epoch 1899-12-30).
    """
    text = " ".join(raw.strip().lower().split())
    if match := _SLASHED.match(text):
        first, second, year = int(match[1]), int(match[2]), _full_year(match[3])
        if first == second or (first > 12 and second <= 12):
            day_first = True
        elif second > 12 and first <= 12:
            day_first = False
        else:
            return None, DatePrecision.NONE
        parsed = _day(year, second, first) if day_first else _day(year, first, second)
        return (parsed, DatePrecision.DAY) if parsed else (None, DatePrecision.NONE)
    if match := _ISO.match(text):
        parsed = _day(int(match[1]), int(match[2]), int(match[3]))
        return (parsed, DatePrecision.DAY) if parsed else (None, DatePrecision.NONE)
    if (match := _MONTH_YEAR.match(text)) and match[1] in MONTHS:
        return datetime.date(int(match[2]), MONTHS[match[1]], 1), DatePrecision.MONTH
    if match := _QUARTER_FIRST.match(text) or _QUARTER_LAST.match(text):
        quarter = QUARTERS[match[1]]
        return datetime.date(int(match[2]), 3 * quarter - 2, 1), DatePrecision.QUARTER
    if match := _YEAR.match(text):
        year = int(match[1])
        if 1900 <= year <= 2100:
            return datetime.date(year, 1, 1), DatePrecision.YEAR
    if match := _SERIAL.match(text):
        return SPREADSHEET_EPOCH + datetime.timedelta(days=int(match[1])), DatePrecision.DAY
    return None, DatePrecision.NONE


# Reading -----------------------------------------------------------------------------------------------


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing in it is imported.

    Its message is kept as its English text and values, put into the reader's language when shown.
    """

    def __init__(self, text: str, params: dict[str, object] | None = None) -> None:
        self.text = text
        self.params = params or {}
        super().__init__(english_message(text, self.params))


EMPTY = gettext_noop("The file is empty: expected a header row and at least one commitment.")
CANNOT_OPEN = gettext_noop("The XLSX workbook cannot be opened (%(error)s); the file may be truncated.")
CANNOT_READ = gettext_noop("The XLSX workbook cannot be read (%(error)s); the file may be truncated.")


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: list[str]
    formulas: tuple[int, ...] = ()  # positions of a workbook's formula cells; text is never a formula


def max_file_bytes() -> int:
    return int(settings.OGP_IMPORT_MAX_BYTES)


def max_cell_chars() -> int:
    return int(settings.OGP_IMPORT_MAX_CELL_CHARS)


def max_rows() -> int:
    return int(settings.OGP_IMPORT_MAX_ROWS)


def max_columns() -> int:
    return int(settings.OGP_IMPORT_MAX_COLUMNS)


def max_unpacked_bytes() -> int:
    return int(settings.OGP_IMPORT_MAX_UNPACKED_BYTES)


def _check_width(width: int, row: int) -> None:
    if width > max_columns():
        raise FileProblem(
            gettext_noop("Row %(row)s has %(width)s columns; at most %(most)s are accepted (OGP_IMPORT_MAX_COLUMNS)."),
            {"row": row, "width": width, "most": max_columns()},
        )


def _check_rows(row: int) -> None:
    if row - 1 > max_rows():
        raise FileProblem(
            gettext_noop("The file has more than %(most)s data rows (OGP_IMPORT_MAX_ROWS); nothing was imported."),
            {"most": max_rows()},
        )


def detect_format(path: Path) -> str:
    size = path.stat().st_size
    if size == 0:
        raise FileProblem(EMPTY)
    if size > max_file_bytes():
        raise FileProblem(
            gettext_noop("The file is %(size)s bytes; the largest accepted is %(most)s bytes."),
            {"size": size, "most": max_file_bytes()},
        )
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(gettext_noop("The file is UTF-16 text; save it as CSV UTF-8 (comma-delimited) or as XLSX."))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(gettext_noop("The file is an old Excel .xls workbook; save it as XLSX or CSV UTF-8."))
    return "csv"


def read_rows(path: Path) -> tuple[str, list[str], Iterator[Row]]:
    """The format, the header and an iterator over the data rows, streamed; FileProblem when unreadable."""
    if detect_format(path) == "xlsx":
        return ("xlsx", *_read_xlsx(path))
    return ("csv", *_read_csv(path))


def _header(cells: list[str]) -> list[str]:
    header = [cell.strip() for cell in cells]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise FileProblem(EMPTY)
    if len(header) == 1 and ";" in header[0]:
        raise FileProblem(gettext_noop("The file is semicolon-delimited; save it as comma-delimited CSV UTF-8."))
    if len(header) == 1 and "\t" in header[0]:
        raise FileProblem(gettext_noop("The file is tab-delimited; save it as comma-delimited CSV UTF-8."))
    seen: set[str] = set()
    for name in header:
        if name == "":
            raise FileProblem(gettext_noop("The header has a column without a name."))
        if name in seen:
            raise FileProblem(gettext_noop("The header names the column %(column)s twice."), {"column": repr(name)})
        seen.add(name)
    return header


def _first_bad_byte(path: Path) -> int:
    """The offset in the file of its first byte that is not UTF-8, reading it in blocks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return offset + exc.start - len(decoder.getstate()[0])
            offset += len(block)
    return offset


def _decode_problem(path: Path) -> FileProblem:
    """Where the file stops being UTF-8: the row, the column and the bytes around it."""
    bad = _first_bad_byte(path)
    with path.open("rb") as handle:
        prefix = handle.read(bad)
        around = prefix[-12:] + handle.read(12)
    # Read up to the bad byte one byte to a character, which keeps the CSV structure of the prefix.
    rows = list(csv.reader(io.StringIO(prefix.decode("latin-1"), newline="")))
    row = max(len(rows), 1)
    column_index = len(rows[-1]) - 1 if rows else 0
    header = rows[0] if rows else []
    column = header[column_index] if row > 1 and 0 <= column_index < len(header) else f"#{column_index + 1}"
    shown = around.hex(" ")
    return FileProblem(
        gettext_noop(
            "The file is not UTF-8: row %(row)s, column %(column)s, byte 0x%(byte)s at byte %(offset)s of the file "
            "(bytes around it: %(around)s); save it as CSV UTF-8 or XLSX."
        ),
        {
            "row": row,
            "column": repr(column),
            "byte": f"{_byte_at(path, bad):02x}",
            "offset": bad,
            "around": shown,
        },
    )


def _byte_at(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(1)[0]


def _read_csv(path: Path) -> tuple[list[str], Iterator[Row]]:
    csv.field_size_limit(max(max_file_bytes(), 131072))
    handle = io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", newline="")
    reader = csv.reader(handle, strict=True)
    try:
        first = next(reader, [])
    except UnicodeDecodeError as exc:
        handle.close()
        raise _decode_problem(path) from exc
    except csv.Error as exc:
        handle.close()
        raise FileProblem(
            gettext_noop("The header row cannot be read as CSV: %(error)s."), {"error": str(exc)}
        ) from exc
    try:
        _check_width(len(first), 1)
        header = _header(first)
    except FileProblem:
        handle.close()
        raise

    def rows() -> Iterator[Row]:
        number = 1
        with handle:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as exc:
                    raise _decode_problem(path) from exc
                except csv.Error as exc:
                    raise FileProblem(
                        gettext_noop("Row %(row)s cannot be read as CSV (%(error)s); the file may be truncated."),
                        {"row": number + 1, "error": str(exc)},
                    ) from exc
                number += 1
                _check_rows(number)
                _check_width(len(cells), number)
                yield Row(number, cells)

    return header, rows()


# XML turns a carriage return into a plain line feed; OOXML writes it as _x000D_, as Excel does.
XLSX_CR = "_x000D_"


def xlsx_number_text(value: float) -> str:
    """A worksheet number as text: whole numbers without a decimal point, others as Python spells them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace(XLSX_CR, "\r")
    if isinstance(value, ArrayFormula | DataTableFormula):
        # Formula objects read as formula text, so that the importer refuses them like any formula.
        return "=" + str(getattr(value, "text", "") or "").removeprefix("=")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return xlsx_number_text(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _check_unpacked(path: Path) -> None:
    """Refuse a workbook whose parts unpack past the cap, before reading any of it."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileProblem(CANNOT_OPEN, {"error": str(exc)}) from exc
    if unpacked > max_unpacked_bytes():
        raise FileProblem(
            gettext_noop(
                "The XLSX workbook unpacks to %(size)s bytes; at most %(most)s are accepted "
                "(OGP_IMPORT_MAX_UNPACKED_BYTES)."
            ),
            {"size": unpacked, "most": max_unpacked_bytes()},
        )


@contextlib.contextmanager
def _unsized_sheets() -> Iterator[None]:
    sized = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = sized


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[Row]]:
    _check_unpacked(path)
    try:
        # openpyxl sizes a read-only sheet by parsing it whole when it has no <dimension>, holding the
        # parsed tree: time and memory grow with the sheet. Rows are counted as they are read instead,
        # and a <dimension> that says fewer rows than the sheet holds must not cut the reading short.
        with _unsized_sheets():
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(CANNOT_OPEN, {"error": str(exc)}) from exc
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows()
    try:
        first = next(values, ())
        _check_width(len(first), 1)
        header = _header([_xlsx_text(cell.value) for cell in first])
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        workbook.close()
        raise FileProblem(CANNOT_READ, {"error": str(exc)}) from exc
    except FileProblem:
        workbook.close()
        raise

    def rows() -> Iterator[Row]:
        try:
            width = len(header)
            for number, row in enumerate(values, start=2):
                _check_rows(number)
                _check_width(len(row), number)
                cells = [_xlsx_text(cell.value) for cell in row]
                formulas = tuple(i for i, cell in enumerate(row) if getattr(cell, "data_type", "") == "f")
                # A workbook leaves out trailing empty cells; a short row is not a truncated one.
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                yield Row(number, cells, formulas)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise FileProblem(CANNOT_READ, {"error": str(exc)}) from exc
        finally:
            workbook.close()

    return header, rows()
