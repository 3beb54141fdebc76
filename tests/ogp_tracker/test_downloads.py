import csv
import io

from ogp_tracker.downloads import csv_response, csv_rows, safe_cell


def test_text_a_spreadsheet_would_run_is_escaped_and_numbers_are_not():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("  =1+1") == "'  =1+1"
    assert safe_cell("\uff1d1") == "'\uff1d1"
    assert safe_cell("\tdata") == "'\tdata"
    assert safe_cell("-1") == "'-1"  # text that a spreadsheet reads as a formula
    assert safe_cell(-1) == -1
    assert safe_cell(3.5) == 3.5
    assert safe_cell(None) == ""
    assert safe_cell("Ley de protección") == "Ley de protección"


def test_a_large_list_streams_in_pieces_that_read_back_as_the_rows():
    rows = ([n, f"line {n}\nsecond line", "=1"] for n in range(20_000))
    pieces = list(csv_rows(["n", "text", "formula"], rows))
    assert len(pieces) > 5  # streamed, not built whole
    read = list(csv.reader(io.StringIO("".join(pieces))))
    assert read[0] == ["n", "text", "formula"]
    assert read[20_000] == ["19999", "line 19999\nsecond line", "'=1"]


def test_the_response_is_a_named_utf8_attachment():
    response = csv_response(header=["a"], rows=[["é"]], filename="x.csv")
    body = b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert body == "\ufeffa\r\né\r\n"
