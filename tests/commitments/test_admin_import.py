from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.test import Client

from commitments.importer.runs import create_run, progress_key
from commitments.models import Commitment, ImportRun

SAMPLE = Path(__file__).parent / "data" / "ogp_export_sample.csv"
UPLOAD = "/admin/commitments/importrun/upload/"
CHANGELIST = "/admin/commitments/importrun/"
EXPORT_CSV = "/admin/commitments/importrun/export/csv/"
EXPORT_XLSX = "/admin/commitments/importrun/export/xlsx/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_without_role_client(db: None) -> Client:
    user = User.objects.create_user("stan.staff", "stan@example.org", "a-long-staff-password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_commitment"))
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, capture: Callable[..., Any], path: Path = SAMPLE) -> Any:
    with capture(execute=True), path.open("rb") as handle:
        return client.post(UPLOAD, {"file": handle})


def test_support_unit_previews_then_confirms_an_import(
    support_client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    response = upload(support_client, django_capture_on_commit_callbacks)

    preview = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/commitments/importrun/{preview.pk}/status/"
    assert (preview.dry_run, preview.status, preview.created) == (True, "succeeded", 7)
    assert not Commitment.objects.exists()
    page = support_client.get(f"/admin/commitments/importrun/{preview.pk}/status/")
    assert page.status_code == 200
    assert "Would create" in page.content.decode()
    assert "Confirm: import this file" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(f"/admin/commitments/importrun/{preview.pk}/confirm/")

    run = ImportRun.objects.get(dry_run=False)
    assert response["Location"] == f"/admin/commitments/importrun/{run.pk}/status/"
    assert (run.status, run.created, run.rows_total, run.uploaded_by.username) == (  # type: ignore[union-attr]
        "succeeded",
        7,
        7,
        "sam.support",
    )
    assert Commitment.objects.count() == 7
    history = support_client.get(CHANGELIST).content.decode()
    assert history.count("ogp_export_sample.csv") >= 2


def test_a_broken_upload_shows_every_problem_and_offers_no_confirm(
    support_client: Client, django_capture_on_commit_callbacks: Callable[..., Any], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("Commitment Unique Identifier;Code\n", encoding="utf-8")

    upload(support_client, django_capture_on_commit_callbacks, broken)

    run = ImportRun.objects.get()
    page = support_client.get(f"/admin/commitments/importrun/{run.pk}/status/").content.decode()
    assert run.status == "rejected"
    assert "semicolon-delimited" in page
    assert "Confirm" not in page
    assert support_client.post(f"/admin/commitments/importrun/{run.pk}/confirm/").status_code == 404


def test_the_status_page_shows_progress_while_a_run_is_running(support_client: Client, support_officer: User) -> None:
    run = create_run(path=SAMPLE, file_name="big.csv", dry_run=False, uploaded_by_id=support_officer.pk)
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    cache.set(progress_key(run.pk), {"phase": "writing", "done": 5000, "total": 20000})

    page = support_client.get(f"/admin/commitments/importrun/{run.pk}/status/").content.decode()

    assert "writing: 5000 rows of 20000" in page
    assert 'http-equiv="refresh"' in page


def test_support_unit_exports_csv_and_xlsx_from_the_admin(
    support_client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    upload(support_client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        support_client.post(f"/admin/commitments/importrun/{ImportRun.objects.get().pk}/confirm/")

    csv_response = support_client.get(EXPORT_CSV)
    xlsx_response = support_client.get(EXPORT_XLSX)

    assert csv_response.status_code == 200
    body = b"".join(csv_response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "Commitment Unique Identifier" in body.splitlines()[0]
    assert body.count("\r\n") > 7
    assert xlsx_response.status_code == 200
    assert b"".join(xlsx_response.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]
    assert "attachment" in xlsx_response["Content-Disposition"]
    links = support_client.get(CHANGELIST).content.decode()
    assert EXPORT_CSV in links and EXPORT_XLSX in links and UPLOAD in links


@pytest.mark.parametrize("client_name", ["anonymous_client", "visitor_client", "reviewer_client"])
@pytest.mark.parametrize("url", [UPLOAD, CHANGELIST, EXPORT_CSV, EXPORT_XLSX, "/admin/commitments/importrun/1/status/"])
def test_people_outside_the_admin_are_sent_to_log_in(
    client_name: str, url: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(client_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", [UPLOAD, CHANGELIST, EXPORT_CSV, EXPORT_XLSX, "/admin/commitments/importrun/1/status/"])
def test_staff_without_the_import_permission_are_refused(staff_without_role_client: Client, url: str) -> None:
    assert staff_without_role_client.get(url).status_code == 403


def test_staff_without_the_import_permission_cannot_upload(staff_without_role_client: Client) -> None:
    with SAMPLE.open("rb") as handle:
        response = staff_without_role_client.post(UPLOAD, {"file": handle})

    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_import_runs_are_read_only_even_for_the_support_unit(support_client: Client, support_officer: User) -> None:
    run = create_run(path=SAMPLE, file_name="x.csv", dry_run=True, uploaded_by_id=support_officer.pk)

    assert support_client.get(f"/admin/commitments/importrun/{run.pk}/change/").status_code == 200
    assert support_client.get("/admin/commitments/importrun/add/").status_code == 403
    assert support_client.post(f"/admin/commitments/importrun/{run.pk}/delete/").status_code == 403


def test_the_upload_page_offers_a_file_field(support_client: Client) -> None:
    page = support_client.get(UPLOAD)

    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()


def test_the_import_history_lists_runs_in_a_fixed_number_of_queries(
    support_client: Client, support_officer: User, django_assert_num_queries: Callable[..., Any]
) -> None:
    for name in ("a.csv", "b.csv", "c.csv"):
        create_run(path=SAMPLE, file_name=name, dry_run=True, uploaded_by_id=support_officer.pk)

    # session, user, the user's own permissions, its groups' permissions (then cached),
    # count of filtered runs, count of all runs, the page of runs joined with their uploaders.
    with django_assert_num_queries(7):
        page = support_client.get(CHANGELIST)

    assert page.status_code == 200
    assert all(name in page.content.decode() for name in ("a.csv", "b.csv", "c.csv"))
