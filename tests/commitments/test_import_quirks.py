"""OGP's real export with its quirks: warnings not errors, an exact round trip, ids, caps and uploads.

The fixture is written here, in OGP's shape with the quirks its published file is known to have; it holds
no real row.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client

from commitments.importer.apply import import_ogp
from commitments.importer.exporter import ExportTooWide, export_ogp, write_xlsx
from commitments.importer.format import escape_cell
from commitments.models import ActionPlan, Commitment, CommitmentPolicyArea, ImportRun, Member, PolicyArea
from tests.factories import make_commitment

HEADER = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan Number",
    "Commitment Number",
    "Code",
    "Region",
    "National Or Local",
    "Year Of Submission",
    "Action Plan End Year",
    "Action Plan Duration (Years)",
    "Theme",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Start Date",
    "End Date",
    "Lead Institution",
    "Supporting Institution(s)",
    "Open Data",
    "Gender",
    "Specificity",
    "_Specificity",
    "Verifiable",
    "OGP Value Access To Information",
    "Potential Impact",
    "Completion (Progress Report)",
    "Did It Open Government (Civic Participation)",
    "Did It Open Government: Public Accountability",
    "Starred (2015 Only)",
    "IRM-Based Score",
    "_ChangeCompletion",
    "URL",
    "Action Plan ID",
]
LONG_SHORT_TITLE = "Un titre court qui ne l'est pas : " + "transparence budgétaire et participation " * 16


def quirky_rows() -> list[list[str]]:
    """Five rows with every quirk seen in OGP's file: long short titles, numeric codes, two spellings of
    not applicable, negative numbers, formula-like text, a code outside the vocabulary, odd spacing."""
    base = {
        "Country/Locality": "Freedonia",
        "Action Plan Number": "2",
        "Code": "FRD",
        "Region": "Europe",
        "National Or Local": "National",
        "Year Of Submission": "2018",
        "Action Plan End Year": "2020",
        "Action Plan Duration (Years)": "2",
        "Theme": "NA",
        "Full Text": "Première ligne\r\nSecond line — «quoted» 透明\nthird",
        "Start Date": "9/1/2018",
        "End Date": "Quarter 3 2020",
        "Lead Institution": "Ministry of Finance",
        "Supporting Institution(s)": "N/A",
        "Open Data": "1",
        "Gender": "0",
        "Specificity": "High",
        "_Specificity": "3",
        "Verifiable": "Yes",
        "OGP Value Access To Information": "1",
        "Potential Impact": "Moderate",
        "Completion (Progress Report)": "Limited",
        "Did It Open Government (Civic Participation)": "NA",
        "Did It Open Government: Public Accountability": "Not Applicable",
        "Starred (2015 Only)": "0",
        "IRM-Based Score": "-1",
        "_ChangeCompletion": "-1",
        "Action Plan ID": "AP_FRD02",
    }
    variants = [
        {"Short Title": LONG_SHORT_TITLE, "Verifiable": "1"},  # a numeric code in a Yes/No column
        {"Specificity": "4", "Gender": "ND", "Supporting Institution(s)": "-Regional offices - civil society"},
        {"Potential Impact": "Sweeping", "Open Data": "x", "IRM-Based Score": "+3", "Start Date": "43525"},
        {"Did It Open Government: Public Accountability": "NA", "Lead Institution": '\n=HYPERLINK("x")'},
        {"Region": " Europe", "Theme": "Not Applicable", "Full Text": "\uff1d1+1 full-width", "Gender": ""},
    ]
    rows = []
    for n, variant in enumerate(variants, start=1):
        values = {
            **base,
            "Commitment Unique Identifier": f"FRD{n:04d}",
            "Commitment Number": f"{n}.1",
            "Commitment Title": f"Commitment {n}: open the budget",
            "Short Title": f"Budget {n}",
            "URL": f"https://www.opengovpartnership.org/members/freedonia/commitments/FRD{n:04d}/",
            **variant,
        }
        rows.append([values[name] for name in HEADER])
    return rows


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.django_db
def test_value_problems_are_warnings_listed_by_row_column_and_value_and_the_rows_are_imported(tmp_path: Path) -> None:
    PolicyArea.objects.create(name="Open Data", slug="open-data")  # known: its odd value is a warning
    report = import_ogp(path=write(tmp_path / "quirks.csv", quirky_rows()), dry_run=False)

    assert report.ok, report.problems
    assert report.commitments.created == 5
    warned = {(w.row, w.column, w.value) for w in report.warnings}
    assert warned == {
        (2, "Verifiable", "1"),
        (3, "Specificity", "4"),
        (4, "Potential Impact", "Sweeping"),
        (4, "Open Data", "x"),
    }
    first = Commitment.objects.get(ogp_id="FRD0001")
    assert first.short_title == LONG_SHORT_TITLE
    # The numeric code is mapped, and the mapping is recorded beside the value.
    assert first.verifiable == "yes"
    assert first.raw_cells["Verifiable"] == {"raw": "1", "read_as": "Yes"}
    # An unparseable value has a state of its own, keeps its text, and is never zero.
    second = Commitment.objects.get(ogp_id="FRD0002")
    assert second.specificity == "unrecognised"
    assert second.raw_cells["Specificity"] == {"raw": "4", "read_as": None}
    third = Commitment.objects.get(ogp_id="FRD0003")
    assert third.potential_impact == "unrecognised"
    assert CommitmentPolicyArea.objects.get(commitment=third, policy_area__name="Open Data").value == "unr"


@pytest.mark.django_db
def test_the_fixture_exports_back_cell_for_cell_and_reimports_with_nothing_changed(tmp_path: Path) -> None:
    source = write(tmp_path / "quirks.csv", quirky_rows())
    assert import_ogp(path=source, dry_run=False).ok

    exported = tmp_path / "export.csv"
    export_ogp(path=exported)
    before, after = read(source), read(exported)

    assert after[0] == before[0]  # the column order the data came with
    by_id = {row[0]: row for row in after[1:]}
    for row in before[1:]:
        # Cell for cell; only text a spreadsheet would run gains its apostrophe.
        assert by_id[row[0]] == [escape_cell(cell) for cell in row]
    out = {row[0]: dict(zip(after[0], row, strict=True)) for row in after[1:]}
    assert out["FRD0001"]["IRM-Based Score"] == "-1"  # a number is not escaped
    assert out["FRD0003"]["IRM-Based Score"] == "+3"
    assert out["FRD0001"]["Did It Open Government: Public Accountability"] == "Not Applicable"
    assert out["FRD0004"]["Did It Open Government: Public Accountability"] == "NA"
    assert out["FRD0002"]["Supporting Institution(s)"] == "'-Regional offices - civil society"
    assert out["FRD0004"]["Lead Institution"].startswith("'\n=")
    assert out["FRD0005"]["Full Text"] == "'\uff1d1+1 full-width"

    again = import_ogp(path=exported, dry_run=False)
    assert again.ok, again.problems
    assert (again.commitments.created, again.commitments.updated, again.commitments.unchanged) == (0, 0, 5)
    export_ogp(path=tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == exported.read_bytes()


@pytest.mark.django_db
def test_an_edited_value_is_exported_as_edited_not_as_its_old_raw_text(tmp_path: Path) -> None:
    import_ogp(path=write(tmp_path / "quirks.csv", quirky_rows()), dry_run=False)
    Commitment.objects.filter(ogp_id="FRD0001").update(verifiable="no")
    exported = tmp_path / "export.csv"
    export_ogp(path=exported)
    rows = read(exported)
    out = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert out["FRD0001"]["Verifiable"] == "No"


@pytest.mark.django_db
def test_the_xlsx_export_writes_text_as_text_numbers_as_numbers_and_reads_back_the_same(tmp_path: Path) -> None:
    assert import_ogp(path=write(tmp_path / "quirks.csv", quirky_rows()), dry_run=False).ok
    exported = tmp_path / "export.xlsx"
    export_ogp(path=exported)

    sheet = openpyxl.load_workbook(exported).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == HEADER
    cells = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    score = cells["FRD0001"]["IRM-Based Score"]
    assert (score.value, score.data_type) == (-1, "n")
    lead = cells["FRD0004"]["Lead Institution"]
    assert (lead.value, lead.data_type) == ('\n=HYPERLINK("x")', "s")  # text, not escaped, not a formula
    assert cells["FRD0002"]["Supporting Institution(s)"].value == "-Regional offices - civil society"

    again = import_ogp(path=exported, dry_run=True)
    assert again.ok, again.problems
    assert again.commitments.unchanged == 5


@pytest.mark.django_db
def test_a_workbook_formula_refuses_the_file_but_text_starting_with_equals_does_not(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in quirky_rows():
        sheet.append(row)
    sheet["L2"] = "=1+1"  # a real formula in Commitment Title
    path = tmp_path / "formula.xlsx"
    workbook.save(path)

    report = import_ogp(path=path, dry_run=False)

    assert [(p.row, p.column) for p in report.problems] == [(2, "Commitment Title")]
    assert not Commitment.objects.exists()


@pytest.mark.django_db
def test_the_xlsx_export_refuses_clearly_past_the_sheet_column_limit(tmp_path: Path) -> None:
    make_commitment(extra={f"Extra column {n}": "1" for n in range(16_400)})
    with pytest.raises(ExportTooWide, match="16,384"):
        write_xlsx(tmp_path / "wide.xlsx")


@pytest.mark.django_db
def test_the_admin_xlsx_export_past_the_column_limit_is_a_message_not_a_500(support_client: Client) -> None:
    make_commitment(extra={f"Extra column {n}": "1" for n in range(16_400)})
    response = support_client.get("/admin/commitments/importrun/export/xlsx/", follow=True)
    assert response.status_code == 200
    assert "Export as CSV instead" in response.content.decode()


# Ids and codes ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ids_and_member_codes_are_one_whatever_their_case(tmp_path: Path) -> None:
    rows = quirky_rows()[:2]
    rows[1][0] = "frd0001"  # the first row's id in lower case
    report = import_ogp(path=write(tmp_path / "twice.csv", rows), dry_run=False)
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "Commitment Unique Identifier", "frd0001")]

    assert import_ogp(path=write(tmp_path / "one.csv", quirky_rows()[:1]), dry_run=False).ok
    lower = quirky_rows()[:1]
    lower[0][0] = "frd0001"
    lower[0][4] = "frd"
    report = import_ogp(path=write(tmp_path / "lower.csv", lower), dry_run=False)
    assert report.ok, report.problems
    assert list(Commitment.objects.values_list("ogp_id", flat=True)) == ["FRD0001"]  # OGP's spelling kept
    assert list(Member.objects.values_list("code", flat=True)) == ["FRD"]


@pytest.mark.django_db
def test_the_database_refuses_a_second_spelling_of_an_id() -> None:
    commitment = make_commitment()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(code=commitment.member.code.lower(), name="Again", kind="national", region="europe")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_commitment(ogp_id=commitment.ogp_id.lower())


@pytest.mark.django_db
def test_a_member_code_with_a_slash_is_refused_with_the_row_named(tmp_path: Path) -> None:
    rows = quirky_rows()
    for row in rows:
        row[4] = "FR/D"
    report = import_ogp(path=write(tmp_path / "slash.csv", rows), dry_run=False)
    assert not report.ok
    assert (2, "Code", "FR/D") in {(p.row, p.column, p.value) for p in report.problems}
    assert "web address" in report.problems[0].message
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_a_member_code_in_lower_case_has_a_working_page(client: Client, call_to_action: Any) -> None:
    commitment = make_commitment()
    Member.objects.filter(pk=commitment.member_id).update(code="abcd")
    assert client.get("/members/abcd/").status_code == 200
    assert client.get("/members/ABCD/").status_code == 200


@pytest.mark.django_db
def test_a_row_moving_an_existing_plan_to_another_member_is_refused_with_the_row_named(tmp_path: Path) -> None:
    assert import_ogp(path=write(tmp_path / "one.csv", quirky_rows()), dry_run=False).ok
    rows = quirky_rows()[:1]
    rows[0][0] = "XYZ0001"
    rows[0][4] = "XYZ"
    rows[0][1] = "Elsewhere"
    report = import_ogp(path=write(tmp_path / "move.csv", rows), dry_run=False)

    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(2, "Code")]
    assert "AP_FRD02 belongs to FRD" in report.problems[0].message
    assert ActionPlan.objects.get().member.code == "FRD"
    assert not Member.objects.filter(code="XYZ").exists()


# Caps -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_xlsx_that_unpacks_past_the_cap_is_refused_before_it_is_read(tmp_path: Path, settings: Any) -> None:
    settings.OGP_IMPORT_MAX_UNPACKED_BYTES = 50_000
    path = tmp_path / "bomb.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["A" * 200_000])
    workbook.save(path)
    assert path.stat().st_size < 50_000
    assert sum(info.file_size for info in zipfile.ZipFile(path).infolist()) > 50_000

    report = import_ogp(path=path, dry_run=True)
    assert next(p.message for p in report.problems).startswith("The XLSX workbook unpacks to")
    assert "OGP_IMPORT_MAX_UNPACKED_BYTES" in report.problems[0].message


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_rows_and_columns_over_their_caps_refuse_the_file(tmp_path: Path, settings: Any, kind: str) -> None:
    settings.OGP_IMPORT_MAX_ROWS = 3
    settings.OGP_IMPORT_MAX_COLUMNS = 40
    rows = quirky_rows()
    wide = [*HEADER, *(f"Column {n}" for n in range(10))]
    for name, header, data in (("rows", HEADER, rows), ("columns", wide, [r + ["0"] * 10 for r in rows[:2]])):
        path = tmp_path / f"{name}.{kind}"
        if kind == "csv":
            write(path, data, header)
        else:
            workbook = openpyxl.Workbook()
            workbook.active.append(header)
            for row in data:
                workbook.active.append(row)
            workbook.save(path)
        report = import_ogp(path=path, dry_run=False)
        setting = "OGP_IMPORT_MAX_ROWS" if name == "rows" else "OGP_IMPORT_MAX_COLUMNS"
        assert len(report.problems) == 1 and setting in report.problems[0].message, report.problems
    assert not Commitment.objects.exists()


@pytest.mark.django_db
def test_the_problem_list_stops_at_its_cap_and_gives_the_total(tmp_path: Path) -> None:
    from commitments.importer import report as report_module

    rows = []
    for _n in range(report_module.MAX_PROBLEMS + 50):
        row = quirky_rows()[0]
        row[0] = ""  # every row lacks its id
        rows.append(row)
    report = import_ogp(path=write(tmp_path / "many.csv", rows), dry_run=True)
    assert len(report.problems) == report_module.MAX_PROBLEMS
    assert report.problems_total == report_module.MAX_PROBLEMS + 50


# Encoding ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_single_byte_encoding_is_refused_naming_row_column_and_bytes(tmp_path: Path) -> None:
    rows = quirky_rows()
    rows[2][HEADER.index("Lead Institution")] = "Ministerio de Educación"
    path = write(tmp_path / "latin.csv", rows)
    path.write_bytes(path.read_bytes().replace("ó".encode(), b"\xf3"))

    report = import_ogp(path=path, dry_run=True)

    message = report.problems[0].message
    assert "row 4" in message
    assert "'Lead Institution'" in message
    assert "0xf3" in message
    assert "63 69 f3 6e" in message  # the bytes around it: "ci", the byte, "n"


# Uploads ----------------------------------------------------------------------------------------------


@pytest.fixture
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.usefixtures("_media")
def test_an_upload_with_a_long_name_is_stored_under_a_generated_one(
    support_client: Client, django_capture_on_commit_callbacks: Callable[..., Any], tmp_path: Path
) -> None:
    name = "OGP commitments export, as published, downloaded in December " * 2 + ".csv"
    path = write(tmp_path / "source.csv", quirky_rows())
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(
            "/admin/commitments/importrun/upload/", {"file": SimpleUploadedFile(name, path.read_bytes())}
        )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.file_name == name
    assert len(run.file.name or "") < 100
    assert run.status == "succeeded"


@pytest.mark.usefixtures("_media")
def test_confirming_a_preview_twice_starts_one_import(
    support_client: Client, django_capture_on_commit_callbacks: Callable[..., Any], tmp_path: Path
) -> None:
    path = write(tmp_path / "source.csv", quirky_rows())
    with django_capture_on_commit_callbacks(execute=True):
        support_client.post(
            "/admin/commitments/importrun/upload/", {"file": SimpleUploadedFile("q.csv", path.read_bytes())}
        )
    preview = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        first = support_client.post(f"/admin/commitments/importrun/{preview.pk}/confirm/")
        second = support_client.post(f"/admin/commitments/importrun/{preview.pk}/confirm/")
    run = ImportRun.objects.get(dry_run=False)
    assert first["Location"] == second["Location"] == f"/admin/commitments/importrun/{run.pk}/status/"
    assert Commitment.objects.count() == 5


@pytest.mark.usefixtures("_media")
def test_uploads_past_their_retention_are_deleted_and_the_run_keeps_its_report(
    support_client: Client, django_capture_on_commit_callbacks: Callable[..., Any], tmp_path: Path, settings: Any
) -> None:
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from commitments.tasks import delete_expired_import_uploads

    settings.OGP_IMPORT_UPLOAD_RETENTION_DAYS = 30
    path = write(tmp_path / "source.csv", quirky_rows())
    with django_capture_on_commit_callbacks(execute=True):
        support_client.post(
            "/admin/commitments/importrun/upload/", {"file": SimpleUploadedFile("q.csv", path.read_bytes())}
        )
    run = ImportRun.objects.get()
    stored = run.file.name or ""
    assert default_storage.exists(stored)
    assert delete_expired_import_uploads() == 0  # still within its retention

    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - datetime.timedelta(days=31))
    assert delete_expired_import_uploads() == 1

    run.refresh_from_db()
    assert not default_storage.exists(stored)
    assert not run.file
    assert run.report["commitments"]["created"] == 5


@pytest.mark.django_db
def test_a_workbook_whose_dimension_says_fewer_rows_is_read_whole(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for row in quirky_rows():
        workbook.active.append(row)
    honest = tmp_path / "honest.xlsx"
    workbook.save(honest)
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(honest) as source, zipfile.ZipFile(lying, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:AG2"/>', data)
                assert b'ref="A1:AG2"' in data
            target.writestr(info, data)

    report = import_ogp(path=lying, dry_run=True)

    assert report.ok, report.problems
    assert report.rows == 5


def _unknown_region_and_kind_rows() -> list[list[str]]:
    rows = quirky_rows()[:2]
    rows[0][HEADER.index("Region")] = "Oceania "
    rows[0][HEADER.index("National Or Local")] = "Subnational"
    for row in rows[1:]:  # every row of a member says the same about it
        row[HEADER.index("Region")] = "Oceania "
        row[HEADER.index("National Or Local")] = "Subnational"
    return rows


@pytest.mark.django_db
def test_an_unknown_region_and_kind_are_warnings_and_export_back_as_they_came(
    tmp_path: Path, client: Client, call_to_action: Any
) -> None:
    source = write(tmp_path / "unknown.csv", _unknown_region_and_kind_rows())
    report = import_ogp(path=source, dry_run=False)

    assert report.ok, report.problems
    assert report.commitments.created == 2
    warned = {(w.row, w.column, w.value) for w in report.warnings}
    assert {(2, "Region", "Oceania "), (2, "National Or Local", "Subnational")} <= warned
    assert {(3, "Region", "Oceania "), (3, "National Or Local", "Subnational")} <= warned
    member = Member.objects.get(code="FRD")
    assert (member.region, member.kind) == ("unrecognised", "unrecognised")
    assert Commitment.objects.get(ogp_id="FRD0001").raw_cells["Region"] == {"raw": "Oceania ", "read_as": None}

    exported = tmp_path / "export.csv"
    export_ogp(path=exported)
    before, after = read(source), read(exported)
    by_id = {row[0]: row for row in after[1:]}
    for row in before[1:]:
        assert by_id[row[0]] == [escape_cell(cell) for cell in row]

    again = import_ogp(path=exported, dry_run=False)
    assert again.ok, again.problems
    assert (again.commitments.created, again.commitments.updated, again.commitments.unchanged) == (0, 0, 2)
    assert (again.members.created, again.members.updated) == (0, 0)

    assert client.get("/members/").status_code == 200
    assert client.get("/members/?region=unrecognised&kind=unrecognised").status_code == 200
    assert client.get("/?region=unrecognised&kind=unrecognised&sort=region").status_code == 200
    page = client.get("/members/FRD/")
    assert page.status_code == 200
    assert "Unrecognised" in page.content.decode()
    assert client.get("/api/v1/members/FRD/").json()["region"] == "unrecognised"
    assert client.get("/api/v1/members/?region=unrecognised").status_code == 200


@pytest.mark.django_db
def test_an_unknown_region_does_not_replace_a_members_known_one(tmp_path: Path) -> None:
    assert import_ogp(path=write(tmp_path / "known.csv", quirky_rows()), dry_run=False).ok
    rows = quirky_rows()
    for row in rows:
        row[HEADER.index("Region")] = "Oceania"
    report = import_ogp(path=write(tmp_path / "unknown.csv", rows), dry_run=False)

    assert report.ok, report.problems
    kept = [w for w in report.warnings if w.column == "Region" and "keeps 'europe'" in w.message]
    assert [(w.row, w.value) for w in kept] == [(2, "Oceania")]
    assert Member.objects.get(code="FRD").region == "europe"
    assert report.members.updated == 0
