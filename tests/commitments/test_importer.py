import csv
import io
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from commitments.importer.apply import import_ogp
from commitments.importer.exporter import export_ogp
from commitments.importer.format import escape_cell, unescape_cell
from commitments.models import (
    ActionPlan,
    Commitment,
    CommitmentPolicyArea,
    ImportRun,
    Member,
    PolicyArea,
)
from tests.factories import make_commitment

SAMPLE = Path(__file__).parent / "data" / "ogp_export_sample.csv"


def sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]], bom: bool = False) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def dump() -> dict[str, Any]:
    """Every imported row, keyed by OGP's ids, without surrogate keys or timestamps."""
    skip = {"id", "created_at", "updated_at", "member", "action_plan"}
    commitments = {}
    for commitment in Commitment.objects.select_related("member", "action_plan"):
        values = {f.name: getattr(commitment, f.name) for f in Commitment._meta.concrete_fields if f.name not in skip}
        values["member"] = commitment.member.code
        values["action_plan"] = commitment.action_plan.ogp_id
        commitments[commitment.ogp_id] = values
    return {
        "members": sorted(Member.objects.values_list("code", "name", "kind", "region", "joined_year")),
        "plans": sorted(
            ActionPlan.objects.values_list(
                "ogp_id", "member__code", "number", "submitted_year", "end_year", "duration_years"
            )
        ),
        "areas": sorted(PolicyArea.objects.values_list("name", "slug")),
        "tags": sorted(CommitmentPolicyArea.objects.values_list("commitment__ogp_id", "policy_area__name", "value")),
        "commitments": commitments,
    }


NORMALISED = {"": "ND", "Not Applicable": "NA"}


def normalise(column: str, value: str, assessment_columns: set[str], area_columns: set[str]) -> str:
    """The documented normalisations: blank assessments are ND, 'Not Applicable' is NA, a blank tag is 0."""
    if column in assessment_columns:
        return NORMALISED.get(value, value)
    if column in area_columns and value == "":
        return "0"
    return value


@pytest.mark.django_db
def test_import_export_import_leaves_the_database_identical(tmp_path: Path) -> None:
    first = import_ogp(path=SAMPLE, dry_run=False)
    assert first.ok, first.problems
    assert first.commitments.created == 7
    before = dump()

    exported = tmp_path / "export.csv"
    export_ogp(path=exported)
    again = import_ogp(path=exported, dry_run=False)

    assert again.ok, again.problems
    assert (again.commitments.created, again.commitments.updated, again.commitments.unchanged) == (0, 0, 7)
    assert dump() == before


@pytest.mark.django_db
def test_the_export_has_every_input_column_with_the_same_values(tmp_path: Path) -> None:
    report = import_ogp(path=SAMPLE, dry_run=False)
    exported = tmp_path / "export.csv"
    export_ogp(path=exported)
    header, rows = sample_rows()
    with exported.open(encoding="utf-8", newline="") as handle:
        out_reader = csv.DictReader(handle)
        out_header = list(out_reader.fieldnames or [])
        out_rows = {row["Commitment Unique Identifier"]: row for row in out_reader}

    assert report.ok
    assert out_header == header  # the source's own column order
    for row in rows:
        out = out_rows[row["Commitment Unique Identifier"]]
        for column in header:
            # Every cell as it came; only formula-like text gains its apostrophe.
            assert out[column] == escape_cell(unescape_cell(row[column])), (column, out[column])


@pytest.mark.django_db
def test_xlsx_export_imports_back_unchanged_with_carriage_returns_kept(tmp_path: Path) -> None:
    import_ogp(path=SAMPLE, dry_run=False)
    before = dump()
    exported = tmp_path / "export.xlsx"
    export_ogp(path=exported)

    report = import_ogp(path=exported, dry_run=False)

    assert report.ok, report.problems
    assert report.file_format == "xlsx"
    assert report.commitments.unchanged == 7
    assert dump() == before
    assert "\r\n" in Commitment.objects.get(ogp_id="AL0002").full_text


@pytest.mark.django_db
def test_full_texts_are_kept_byte_for_byte() -> None:
    import_ogp(path=SAMPLE, dry_run=False)
    _, rows = sample_rows()
    by_id = {row["Commitment Unique Identifier"]: row for row in rows}

    for commitment in Commitment.objects.all():
        assert commitment.full_text == by_id[commitment.ogp_id]["Full Text"]
    albania = Commitment.objects.get(ogp_id="AL0002")
    assert "\r\nSecond line" in albania.full_text and "中文 🙂" in albania.full_text
    assert len(Commitment.objects.get(ogp_id="ARBA0003").full_text) > 25_000
    assert albania.title == "=Open budget data"
    assert albania.lead_institution == "- Ministry of Finance"


@pytest.mark.django_db
def test_exported_csv_cells_that_look_like_formulas_start_with_an_apostrophe(tmp_path: Path) -> None:
    import_ogp(path=SAMPLE, dry_run=False)
    exported = tmp_path / "export.csv"
    export_ogp(path=exported)
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = {row["Commitment Unique Identifier"]: row for row in csv.DictReader(handle)}

    assert rows["AL0002"]["Commitment Title"] == "'=Open budget data"
    assert rows["AL0002"]["Lead Institution"] == "'- Ministry of Finance"
    assert rows["AL0002"]["Internal Note"] == "'@check with IRM"
    # A leading apostrophe before a formula sign is the spreadsheet's text prefix, not part of the value.
    assert Commitment.objects.get(ogp_id="ARBA0003").extra["Internal Note"] == "=already quoted"
    assert rows["ARBA0003"]["Internal Note"] == "'=already quoted"


@pytest.mark.django_db
def test_nd_nr_and_na_stay_three_distinct_states() -> None:
    import_ogp(path=SAMPLE, dry_run=False)

    korea = Commitment.objects.get(ogp_id="KR0010")
    albania = Commitment.objects.get(ogp_id="AL0002")
    assert (albania.value_public_accountability, albania.value_technology, albania.early_results) == ("nd", "na", "nr")
    assert korea.completion_end_of_term == "na"
    assert albania.dioG_civic_participation == "na"
    assert albania.value_access_to_information == "yes" and albania.value_civic_participation == "no"
    tags = dict(CommitmentPolicyArea.objects.filter(commitment=albania).values_list("policy_area__name", "value"))
    assert tags == {
        "Civic Space and Enabling Environment": "yes",
        "Digital Governance": "yes",
        "Right To Information": "yes",
        "Online Civic Space": "nd",
        "Disinformation/Misinformation": "na",
    }


@pytest.mark.django_db
def test_policy_areas_are_found_from_the_values_including_a_column_of_zeros() -> None:
    report = import_ogp(path=SAMPLE, dry_run=False)

    assert "Open Parliaments" in report.policy_area_columns
    assert not CommitmentPolicyArea.objects.filter(policy_area__name="Open Parliaments").exists()
    assert PolicyArea.objects.get(name="Disinformation/Misinformation").slug == "disinformationmisinformation"
    assert PolicyArea.objects.get(name="LGBTQIA+").slug == "lgbtqia"
    # 0/1 derived columns, numeric codes and free text stay raw extra data.
    assert set(report.extra_columns) == {
        "_Specificity",
        "_Potential Impact",
        "High Completion",
        "IRM-Based Score",
        "CHECKSUM",
        "Internal Note",
    }
    assert Commitment.objects.get(ogp_id="AL0002").extra["High Completion"] == "1"


@pytest.mark.django_db
def test_members_plans_and_dates_are_read_from_their_columns() -> None:
    import_ogp(path=SAMPLE, dry_run=False)

    arba = Member.objects.get(code="ARBA")
    assert (arba.name, arba.kind, arba.region) == ("Buenos Aires, Argentina", "local", "americas")
    assert Member.objects.get(code="SVLG").kind == "legacy_local"
    assert Member.objects.get(code="XTR").kind == "other"
    plan = ActionPlan.objects.get(ogp_id="AP_ARBA02")
    assert (plan.number, plan.submitted_year, plan.end_year, plan.duration_years) == (2, 2018, 2020, None)
    albania = Commitment.objects.get(ogp_id="AL0002")
    assert (albania.start_date_raw, albania.start_date, albania.start_date_precision) == ("9/1/2018", None, "")
    assert str(albania.end_date) == "2016-12-31" and albania.end_date_precision == "day"
    png = Commitment.objects.get(ogp_id="PNG0012")
    assert (str(png.start_date), png.start_date_precision) == ("2014-07-01", "quarter")
    assert (str(png.end_date), png.end_date_precision) == ("2021-10-01", "quarter")
    assert str(Commitment.objects.get(ogp_id="AL0003").end_date) == "2019-03-01"
    assert Commitment.objects.get(ogp_id="ARBA0003").number == "1.2"


@pytest.mark.django_db
def test_a_dry_run_reports_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    dry = import_ogp(path=SAMPLE, dry_run=True)
    assert dry.ok
    assert (dry.commitments.created, dry.members.created, dry.action_plans.created) == (7, 6, 7)
    assert not Commitment.objects.exists() and not Member.objects.exists() and not PolicyArea.objects.exists()

    import_ogp(path=SAMPLE, dry_run=False)
    header, rows = sample_rows()
    rows[0]["Completion (End Of Term)"] = "Complete"
    rows[1]["Gender"] = "0"
    changed = write_csv(tmp_path / "changed.csv", header, rows)
    before = dump()
    dry = import_ogp(path=changed, dry_run=True)

    assert (dry.commitments.created, dry.commitments.updated, dry.commitments.unchanged) == (0, 2, 5)
    assert dump() == before


@pytest.mark.django_db
def test_a_reimport_updates_in_place_and_removes_a_tag_set_back_to_zero(tmp_path: Path) -> None:
    import_ogp(path=SAMPLE, dry_run=False)
    ids = dict(Commitment.objects.values_list("ogp_id", "pk"))
    header, rows = sample_rows()
    rows[1]["Gender"] = "0"
    rows[1]["Full Text"] = "Rewritten."
    report = import_ogp(path=write_csv(tmp_path / "again.csv", header, rows), dry_run=False)

    assert report.ok
    assert report.commitments.updated == 1
    assert report.updated_commitment_ids == [ids["ARBA0003"]]
    assert report.touched_member_ids == [Member.objects.get(code="ARBA").pk]
    assert dict(Commitment.objects.values_list("ogp_id", "pk")) == ids
    arba = Commitment.objects.get(ogp_id="ARBA0003")
    assert arba.full_text == "Rewritten."
    assert not arba.policy_area_values.filter(policy_area__name="Gender").exists()


@pytest.mark.django_db
def test_missing_optional_columns_are_tolerated_and_leave_stored_values_alone(tmp_path: Path) -> None:
    import_ogp(path=SAMPLE, dry_run=False)
    header, rows = sample_rows()
    kept = [name for name in header if name not in {"Full Text", "Specificity", "Gender", "Region"}]
    report = import_ogp(path=write_csv(tmp_path / "fewer.csv", kept, rows), dry_run=False)

    assert report.ok, report.problems
    assert report.commitments.unchanged == 7
    assert "Full Text" in report.columns_missing
    assert Commitment.objects.get(ogp_id="AL0002").specificity == "medium"
    assert CommitmentPolicyArea.objects.filter(policy_area__name="Gender").count() == 1


@pytest.mark.django_db
def test_a_new_member_without_its_region_is_refused(tmp_path: Path) -> None:
    header, rows = sample_rows()
    kept = [name for name in header if name != "Region"]
    report = import_ogp(path=write_csv(tmp_path / "fewer.csv", kept, rows), dry_run=False)

    assert not report.ok
    assert {problem.value for problem in report.problems} == {"ALB", "ARBA", "PNG", "KOR", "SVLG", "XTR"}
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_any_invalid_row_means_nothing_is_written_and_every_problem_is_listed(tmp_path: Path) -> None:
    make_commitment()
    header, rows = sample_rows()
    rows[2]["Specificity"] = "Very high"
    rows[4]["Year Of Submission"] = "twenty"
    rows[4]["URL"] = "not a url"
    before = Commitment.objects.count()

    report = import_ogp(path=write_csv(tmp_path / "bad.csv", header, rows), dry_run=False)

    assert not report.ok
    # A year that cannot place a new plan is an error; values that are only odd are warnings.
    assert [(p.row, p.column, p.value) for p in report.problems] == [(6, "Year Of Submission", "twenty")]
    assert [(p.row, p.column, p.value) for p in report.warnings] == [
        (4, "Specificity", "Very high"),
        (6, "URL", "not a url"),
    ]
    assert Commitment.objects.count() == before
    assert not PolicyArea.objects.exists()


@pytest.mark.django_db
def test_conflicting_member_values_across_rows_are_refused(tmp_path: Path) -> None:
    header, rows = sample_rows()
    rows[3]["Country/Locality"] = "Albania (Republic of)"
    rows[5]["Action Plan End Year"] = "2018"
    rows.append({**rows[5], "Commitment Unique Identifier": "SVLG0002", "Action Plan End Year": "2017"})

    report = import_ogp(path=write_csv(tmp_path / "conflict.csv", header, rows), dry_run=False)

    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (5, "Country/Locality", "Albania (Republic of)"),
        (9, "Action Plan End Year", "2017"),
    ]
    assert "row 2" in report.problems[0].message


@pytest.mark.django_db
def test_a_file_without_a_byte_order_mark_imports_the_same(tmp_path: Path) -> None:
    header, rows = sample_rows()
    report = import_ogp(path=write_csv(tmp_path / "plain.csv", list(reversed(header)), rows), dry_run=False)

    assert report.ok and report.commitments.created == 7


# Hostile and broken files: each gets a clear message and writes nothing.


def assert_rejected(report: Any, message: str) -> None:
    assert not report.ok
    assert any(message in problem.message for problem in report.problems), report.problems
    assert not Commitment.objects.exists()
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_a_file_in_another_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(SAMPLE.read_bytes().decode("utf-8-sig").replace("中文 🙂", "").encode("cp1252", errors="replace"))

    assert_rejected(import_ogp(path=path, dry_run=False), "not UTF-8")


@pytest.mark.django_db
def test_a_utf16_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes(SAMPLE.read_bytes().decode("utf-8-sig").encode("utf-16"))

    assert_rejected(import_ogp(path=path, dry_run=False), "UTF-16")


@pytest.mark.django_db
def test_a_missing_key_column_is_refused(tmp_path: Path) -> None:
    header, rows = sample_rows()
    header.remove("Commitment Unique Identifier")

    report = import_ogp(path=write_csv(tmp_path / "nokey.csv", header, rows), dry_run=False)

    assert_rejected(report, "'Commitment Unique Identifier' is missing")


@pytest.mark.django_db
def test_an_id_repeated_within_the_file_is_refused(tmp_path: Path) -> None:
    header, rows = sample_rows()
    rows.append(dict(rows[0]))

    report = import_ogp(path=write_csv(tmp_path / "dup.csv", header, rows), dry_run=False)

    assert_rejected(report, "already in row 2")
    assert (report.problems[0].row, report.problems[0].value) == (9, "AL0002")


@pytest.mark.django_db
def test_an_oversized_cell_is_refused(tmp_path: Path) -> None:
    header, rows = sample_rows()
    rows[1]["Full Text"] = "x" * 100_001

    report = import_ogp(path=write_csv(tmp_path / "big.csv", header, rows), dry_run=False)

    assert_rejected(report, "100,001 characters")
    assert (report.problems[0].row, report.problems[0].column) == (3, "Full Text")


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.OGP_IMPORT_MAX_BYTES = 1000

    assert_rejected(import_ogp(path=SAMPLE, dry_run=False), "the largest accepted is 1,000 bytes")


@pytest.mark.django_db
def test_formulas_in_xlsx_cells_are_refused_and_never_evaluated(tmp_path: Path) -> None:
    header, rows = sample_rows()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([row[name] for name in header])
    sheet.cell(row=3, column=header.index("Commitment Title") + 1, value='=HYPERLINK("http://x","y")')
    sheet.cell(row=4, column=header.index("Short Title") + 1, value="=1+1")
    path = tmp_path / "formula.xlsx"
    workbook.save(path)

    report = import_ogp(path=path, dry_run=False)

    assert_rejected(report, "Formulas are not accepted")
    # Row 2 carries a plain string starting with "=": in a workbook that is refused too.
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "Commitment Title"),
        (3, "Commitment Title"),
        (4, "Short Title"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n"])
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    assert_rejected(import_ogp(path=path, dry_run=False), "The file is empty")


@pytest.mark.django_db
def test_a_header_without_rows_is_refused(tmp_path: Path) -> None:
    header, _ = sample_rows()

    assert_rejected(import_ogp(path=write_csv(tmp_path / "h.csv", header, []), dry_run=False), "no commitment rows")


@pytest.mark.django_db
def test_a_semicolon_delimited_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("Commitment Unique Identifier;Code;Action Plan ID\nAL0002;ALB;AP_ALB01\n", encoding="utf-8")

    assert_rejected(import_ogp(path=path, dry_run=False), "semicolon-delimited")


@pytest.mark.django_db
def test_a_tab_delimited_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tabs.txt"
    path.write_text("Commitment Unique Identifier\tCode\tAction Plan ID\nAL0002\tALB\tAP_ALB01\n", encoding="utf-8")

    assert_rejected(import_ogp(path=path, dry_run=False), "tab-delimited")


@pytest.mark.django_db
def test_a_csv_truncated_inside_a_quoted_cell_is_refused(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(data[: data.index(b"LF only line")])

    assert_rejected(import_ogp(path=path, dry_run=False), "may be truncated")


@pytest.mark.django_db
def test_a_csv_truncated_between_cells_is_refused(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(data[: data.rindex(b"Some Territory")])

    report = import_ogp(path=path, dry_run=False)

    assert_rejected(report, "is the file truncated?")
    assert report.problems[0].row == 8


@pytest.mark.django_db
def test_a_truncated_xlsx_is_refused(tmp_path: Path) -> None:
    import_ogp(path=SAMPLE, dry_run=False)
    whole = tmp_path / "whole.xlsx"
    export_ogp(path=whole)
    Commitment.objects.all().delete()
    Member.objects.all().delete()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    assert_rejected(import_ogp(path=path, dry_run=False), "may be truncated")


@pytest.mark.django_db
def test_the_import_command_records_a_run_and_refuses_a_broken_file(tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("import_ogp", str(SAMPLE), "--dry-run", stdout=out)
    assert "Would create 7, update 0, leave unchanged 0 commitments" in out.getvalue()
    assert not Commitment.objects.exists()

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_ogp", str(empty), stdout=io.StringIO())
    assert list(ImportRun.objects.order_by("pk").values_list("dry_run", "status")) == [
        (True, "succeeded"),
        (False, "rejected"),
    ]


@pytest.mark.django_db
def test_the_export_command_writes_csv_and_xlsx(tmp_path: Path) -> None:
    from django.core.management import call_command

    import_ogp(path=SAMPLE, dry_run=False)
    for name in ("out.csv", "out.xlsx"):
        out = io.StringIO()
        call_command("export_ogp", str(tmp_path / name), stdout=out)
        assert "Exported 7 commitments" in out.getvalue()
    shutil.copy(tmp_path / "out.xlsx", tmp_path / "copy.xlsx")
    assert import_ogp(path=tmp_path / "copy.xlsx", dry_run=True).commitments.unchanged == 7


@pytest.mark.django_db
def test_an_xlsx_row_without_its_trailing_empty_cells_is_read_whole(tmp_path: Path) -> None:
    header, rows = sample_rows()
    header = [name for name in header if name != "Internal Note"] + ["Internal Note"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        cells = [unescape_cell(row[name]) for name in header]
        while cells and cells[-1] == "":
            cells.pop()
        sheet.append(["'" + cell if cell.startswith("=") else cell for cell in cells])
    path = tmp_path / "short.xlsx"
    workbook.save(path)

    report = import_ogp(path=path, dry_run=False)

    assert report.ok, report.problems
    assert Commitment.objects.get(ogp_id="PNG0012").extra["Internal Note"] == ""


@pytest.mark.django_db
def test_a_nul_character_is_refused(tmp_path: Path) -> None:
    header, rows = sample_rows()
    rows[0]["Short Title"] = "Open\x00budgets"

    report = import_ogp(path=write_csv(tmp_path / "nul.csv", header, rows), dry_run=False)

    assert_rejected(report, "NUL character")
    assert (report.problems[0].row, report.problems[0].column) == (2, "Short Title")


@pytest.mark.django_db
def test_new_commitments_from_a_file_of_few_columns_take_the_defaults(tmp_path: Path) -> None:
    _, rows = sample_rows()
    kept = [
        "Commitment Unique Identifier",
        "Code",
        "Country/Locality",
        "Region",
        "National Or Local",
        "Action Plan ID",
        "Action Plan Number",
        "Year Of Submission",
        "Action Plan End Year",
        "Commitment Title",
    ]

    report = import_ogp(path=write_csv(tmp_path / "few.csv", kept, rows), dry_run=False)

    assert report.ok, report.problems
    korea = Commitment.objects.get(ogp_id="KR0010")
    assert (korea.full_text, korea.start_date_raw, korea.start_date, korea.specificity, korea.extra) == (
        "",
        "",
        None,
        "nd",
        {},
    )


@pytest.mark.django_db
def test_a_file_changed_during_the_import_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "moving.csv"
    shutil.copy(SAMPLE, path)

    def change_the_file(phase: str, done: int, total: int | None) -> None:
        if phase == "writing":
            path.write_bytes(path.read_bytes() + b"\r\n")

    report = import_ogp(path=path, dry_run=False, progress=change_the_file)

    assert_rejected(report, "The file changed while it was being imported")


@pytest.mark.django_db
def test_an_array_formula_in_xlsx_is_refused(tmp_path: Path) -> None:
    from openpyxl.worksheet.formula import ArrayFormula

    header, rows = sample_rows()
    rows = rows[2:]  # rows without cells starting with "="
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([unescape_cell(row[name]) for name in header])
    column = header.index("Short Title") + 1
    letter = openpyxl.utils.get_column_letter(column)
    sheet.cell(row=2, column=column).value = ArrayFormula(f"{letter}2", "=UPPER(A2)")
    path = tmp_path / "array.xlsx"
    workbook.save(path)

    report = import_ogp(path=path, dry_run=False)

    assert_rejected(report, "Formulas are not accepted")
    assert [(p.row, p.column) for p in report.problems] == [(2, "Short Title")]
