import datetime

import pytest

from commitments.importer.format import escape_cell, parse_date, unescape_cell


@pytest.mark.parametrize(
    ("raw", "parsed", "precision"),
    [
        ("9/1/2018", None, ""),  # month first or day first: never guessed
        ("31/12/2016", datetime.date(2016, 12, 31), "day"),
        ("12/31/18", datetime.date(2018, 12, 31), "day"),
        ("5/5/2021", datetime.date(2021, 5, 5), "day"),  # both readings agree
        ("31/02/2016", None, ""),
        ("July 2014", datetime.date(2014, 7, 1), "month"),
        ("Sept. 2019", datetime.date(2019, 9, 1), "month"),
        ("Quarter 3 2014", datetime.date(2014, 7, 1), "quarter"),
        ("IV quarter of 2021", datetime.date(2021, 10, 1), "quarter"),
        ("Q2 2022", datetime.date(2022, 4, 1), "quarter"),
        ("2nd quarter 2020", datetime.date(2020, 4, 1), "quarter"),
        ("2016", datetime.date(2016, 1, 1), "year"),
        (" 2016 ", datetime.date(2016, 1, 1), "year"),
        ("43525", datetime.date(2019, 3, 1), "day"),
        ("2019-03-01", datetime.date(2019, 3, 1), "day"),
        ("Permanent activity", None, ""),
        ("In progress", None, ""),
        ("NA", None, ""),
        ("", None, ""),
        ("Mayo 2014", None, ""),
    ],
)
def test_dates_are_parsed_only_when_unambiguous(raw: str, parsed: datetime.date | None, precision: str) -> None:
    assert parse_date(raw) == (parsed, precision)


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+34 600", "'+34 600"),
        ("-1", "-1"),  # numbers are not formulas
        ("+3", "+3"),
        ("-0.5", "-0.5"),
        ("1e5", "1e5"),
        ("'-1", "'-1"),
        ("NA", "NA"),
        ("Not Applicable", "Not Applicable"),
        ("-", "'-"),
        ("- a list item", "'- a list item"),
        ("@user", "'@user"),
        ("  =1+1", "'  =1+1"),  # leading whitespace
        ("\n=1+1", "'\n=1+1"),  # a line break first
        ("\nline", "'\nline"),
        ("\tcell", "'\tcell"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),  # the full-width equals sign
        ("\uff0b1", "'\uff0b1"),
        ("'=x", "''=x"),
        ("'plain", "'plain"),
        ("plain = fine", "plain = fine"),
        ("", ""),
    ],
)
def test_formula_signs_are_escaped_on_export_and_unescaped_on_import(value: str, escaped: str) -> None:
    assert escape_cell(value) == escaped
    assert unescape_cell(escaped) == value
