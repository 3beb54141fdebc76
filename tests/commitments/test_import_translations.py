"""The import's pages and messages speak the reader's language; the file format does not change with it.

A problem keeps its English text and values (`commitments.importer.report`), and is put into words when it is
shown: on the admin's status page, in the API's report, from `Problem.message`.
"""

import ast
import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from commitments.importer.apply import import_ogp
from commitments.importer.exporter import write_xlsx
from commitments.importer.report import ImportReport, Problem, localized_report
from commitments.models import ImportRun

SAMPLE = Path(__file__).parent / "data" / "ogp_export_sample.csv"
UPLOAD = "/admin/commitments/importrun/upload/"
CHANGELIST = "/admin/commitments/importrun/"
IMPORTER = Path(settings.BASE_DIR) / "commitments" / "importer"

HEADER = [
    "Commitment Unique Identifier",
    "Code",
    "Action Plan ID",
    "Country/Locality",
    "Region",
    "National Or Local",
    "Action Plan Number",
    "Year Of Submission",
    "Action Plan End Year",
    "Commitment Title",
    "Verifiable",
    "URL",
]
GOOD = ["TST0001", "TST", "AP_TST01", "Testland", "Europe", "National", "1", "2019", "2021", "A title", "Yes", ""]
# Row 3: no id and a year that is not one (problems); row 4: values imported as they stand (warnings).
BAD = [
    ["", "TST", "AP_TST01", "Testland", "Europe", "National", "1", "20x9", "2021", "Another", "Yes", ""],
    ["OTH0001", "OTH", "AP_OTH01", "Otherland", "Atlantis", "National", "1", "2019", "2021", "Third", "1", "nowhere"],
]

# A phrase of each language's catalogue that the English never contains.
PHRASES = {
    "es": {
        "upload": "Suba la exportación de compromisos de OGP",
        "preview": "Vista previa",
        "changelist": "Importar una exportación de OGP",
        "would_create": "Se crearían",
        "confirm": "Confirmar: importar este archivo",
        "problems": "2 problemas: no se escribió nada",
        "warnings": "3 advertencias: cada valor se importa tal cual",
        "no_id": "Un compromiso necesita su identificador de OGP",
        "year": "Se esperaba un año de cuatro cifras.",
        "region": "No reconocido (se esperaba uno de estos valores: Africa and the Middle East",
        "semicolon": "El archivo está delimitado por punto y coma",
    },
    "fr": {
        "upload": "Téléversez l’export des engagements de l’OGP",
        "preview": "Aperçu",
        "changelist": "Importer un export de l’OGP",
        "would_create": "Seraient créés",
        "confirm": "Confirmer : importer ce fichier",
        "problems": "2 problèmes : rien n’a été écrit",
        "warnings": "3 avertissements : chaque valeur est importée telle quelle",
        "no_id": "Un engagement a besoin de son identifiant OGP",
        "year": "Une année à quatre chiffres était attendue.",
        "region": "Non reconnu (l’une de ces valeurs était attendue : Africa and the Middle East",
        "semicolon": "Le fichier est délimité par des points-virgules",
    },
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def upload(client: Client, capture: Callable[..., Any], path: Path) -> Any:
    with capture(execute=True), path.open("rb") as handle:
        return client.post(UPLOAD, {"file": handle})


def messages(report: ImportReport) -> list[str]:
    return [problem.message for problem in [*report.problems, *report.warnings]]


# The admin's import pages ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_admin_import_pages_read_in_the_staff_members_language(
    support_client: Client, django_capture_on_commit_callbacks: Callable[..., Any], tmp_path: Path, language: str
) -> None:
    support_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    phrases = PHRASES[language]

    page = support_client.get(UPLOAD).content.decode()
    assert phrases["upload"] in page and f'value="{phrases["preview"]}"' in page
    assert "Upload OGP's commitment export" not in page
    assert phrases["changelist"] in support_client.get(CHANGELIST).content.decode()

    # A file whose values are imported as they stand: a preview, with its warnings.
    response = upload(support_client, django_capture_on_commit_callbacks, write(tmp_path / "odd.csv", [GOOD, BAD[1]]))
    status = support_client.get(response["Location"]).content.decode()
    assert phrases["would_create"] in status and phrases["confirm"] in status
    assert phrases["warnings"] in status and phrases["region"] in status
    assert "Would create" not in status and "Confirm: import this file" not in status
    assert "each value is imported as it stands" not in status and "kept as it stands" not in status


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_admin_status_page_shows_the_files_problems_in_the_staff_members_language(
    support_client: Client, django_capture_on_commit_callbacks: Callable[..., Any], tmp_path: Path, language: str
) -> None:
    response = upload(support_client, django_capture_on_commit_callbacks, write(tmp_path / "bad.csv", [GOOD, *BAD]))
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    # Kept in English, with the text and values to put it into any language.
    kept = run.report["problems"][0]
    assert kept["message"] == "A commitment needs its OGP identifier (at most 12 characters)."
    assert kept["text"] == kept["message"] and kept["params"] == {}

    support_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    status = support_client.get(response["Location"]).content.decode()
    for phrase in ("problems", "no_id", "year"):
        assert PHRASES[language][phrase] in status, phrase
    assert "A commitment needs its OGP identifier" not in status


# The importer's messages -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_problem_and_warning_of_a_bad_file_is_told_in_the_active_language(tmp_path: Path, language: str) -> None:
    path = write(tmp_path / "bad.csv", [GOOD, *BAD])
    with translation.override("en"):
        english = import_ogp(path=path, dry_run=True)
        in_english = messages(english)
    with translation.override(language):
        report = import_ogp(path=path, dry_run=True)
        told = messages(report)
        kept = report.as_dict()

    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (3, "Commitment Unique Identifier", ""),
        (3, "Year Of Submission", "20x9"),
    ]
    assert [(w.row, w.column) for w in report.warnings] == [(4, "Region"), (4, "URL"), (4, "Verifiable")]
    assert len(told) == 5 and all(message not in in_english for message in told)
    assert PHRASES[language]["no_id"] in told[0] and told[1] == PHRASES[language]["year"]
    assert told[2].startswith(PHRASES[language]["region"])
    # The cell values and the file's own labels stay as they are in the file.
    assert "'Yes'" in told[4] and "Atlantis" not in told[2]
    # What a run keeps is the English, whatever the language the import ran in.
    assert [p["message"] for p in kept["problems"] + kept["warnings"]] == in_english


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_file_refused_as_a_whole_is_told_in_the_active_language(tmp_path: Path, language: str) -> None:
    path = tmp_path / "semicolons.csv"
    path.write_text("Commitment Unique Identifier;Code;Action Plan ID\nX1;ABC;AP\n", encoding="utf-8")
    with translation.override(language):
        report = import_ogp(path=path, dry_run=True)
        assert report.problems[0].message.startswith(PHRASES[language]["semicolon"])
    with translation.override("en"):
        assert report.problems[0].message.startswith("The file is semicolon-delimited")


@pytest.mark.django_db
def test_counts_in_a_message_are_grouped_as_the_language_groups_digits(tmp_path: Path, settings: Any) -> None:
    settings.OGP_IMPORT_MAX_BYTES = 1000
    path = write(tmp_path / "big.csv", [[*GOOD[:9], "x" * 1200, *GOOD[10:]]])
    size = path.stat().st_size
    report = import_ogp(path=path, dry_run=True)
    with translation.override("en"):
        assert report.problems[0].message == f"The file is {size:,} bytes; the largest accepted is 1,000 bytes."
    with translation.override("es"):
        # Spanish groups digits with a no-break space: 1 000.
        spanish = f"El archivo ocupa {size:,} bytes; el máximo aceptado es de 1,000 bytes.".replace(",", "\xa0")
        assert report.problems[0].message == spanish


def test_a_report_kept_before_messages_were_translated_is_shown_as_it_was() -> None:
    old = {"problems": [{"row": 2, "column": "Code", "value": "", "message": "Something in English."}]}
    with translation.override("fr"):
        assert localized_report(old)["problems"] == old["problems"]
        new = {"problems": [Problem(2, "Code", "", "Expected a whole number.").as_dict()]}
        assert localized_report(new)["problems"][0]["message"] == "Un nombre entier était attendu."
        # Values that no longer fit the text: the English kept beside them, never an error.
        text = "Row %(row)s cannot be read as CSV (%(error)s); the file may be truncated."
        unfit = {"row": None, "column": "", "value": "", "text": text, "params": {"line": 4}}
        unfit["message"] = "Row 4 cannot be read as CSV (bad quote); the file may be truncated."
        assert localized_report({"problems": [unfit]})["problems"][0]["message"] == unfit["message"]


IMPORTER_MESSAGE_ARGUMENTS = {"Problem": 3, "FileProblem": 0, "problem": 1, "warning": 1}


def test_no_importer_message_is_written_as_a_bare_string() -> None:
    """Each message is marked with gettext_noop (or is a name bound to one), so makemessages extracts it and
    the catalogue test requires its translations: a bare string would stay English in every language."""
    bare = []
    for module in sorted(IMPORTER.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = IMPORTER_MESSAGE_ARGUMENTS.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant | ast.JoinedStr | ast.BinOp):
                bare.append(f"{module.name}:{node.lineno}")
    assert bare == []


# The API's report --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_api_report_and_errors_follow_the_requests_language(
    import_client: Client, django_capture_on_commit_callbacks: Callable[..., Any], tmp_path: Path, language: str
) -> None:
    import_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    with django_capture_on_commit_callbacks(execute=True), write(tmp_path / "bad.csv", [GOOD, *BAD]).open("rb") as f:
        response = import_client.post("/api/v1/imports/", {"file": f})
    report = import_client.get(response["Location"]).json()["report"]
    assert PHRASES[language]["no_id"] in report["problems"][0]["message"]
    assert report["problems"][0]["column"] == "Commitment Unique Identifier"  # the file's own words
    assert set(report["problems"][0]) == {"row", "column", "value", "message"}

    refused = import_client.post(f"/api/v1/imports/{response.json()['id']}/confirm/")
    assert refused.status_code == 409 and refused.json()["code"] == "not_confirmable"
    assert refused.json()["message"] != "Only a dry run that succeeded can be confirmed."
    missing = import_client.post("/api/v1/imports/", {})
    assert missing.status_code == 400 and missing.json()["code"] == "invalid"
    assert missing.json()["message"] != "The request is not valid; see fields."


# The file format ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_admin_exports_the_same_file_whatever_the_staff_members_language(
    support_client: Client, tmp_path: Path, language: str
) -> None:
    assert import_ogp(path=SAMPLE, dry_run=False).ok
    english = b"".join(support_client.get(f"{CHANGELIST}export/csv/").streaming_content)  # type: ignore[attr-defined]
    support_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    translated = b"".join(support_client.get(f"{CHANGELIST}export/csv/").streaming_content)  # type: ignore[attr-defined]
    assert translated == english and b"Commitment Unique Identifier" in english

    write_xlsx(tmp_path / "en.xlsx")
    with translation.override(language):
        write_xlsx(tmp_path / f"{language}.xlsx")

    def cells(path: Path) -> list[tuple[Any, ...]]:
        return list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))

    assert cells(tmp_path / f"{language}.xlsx") == cells(tmp_path / "en.xlsx")
