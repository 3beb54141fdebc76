from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from commitments.models import Commitment, ImportRun
from commitments.roles import PARTNERS
from tests.conftest import bearer

SAMPLE = Path(__file__).parent.parent / "commitments" / "data" / "ogp_export_sample.csv"
URL = "/api/v1/imports/"


def upload(client, capture, path: Path = SAMPLE):
    with capture(execute=True), path.open("rb") as handle:
        return client.post(URL, {"file": handle})


def test_a_partner_previews_then_confirms_an_import_with_the_admins_report(
    import_client, partner, django_capture_on_commit_callbacks
):
    response = upload(import_client, django_capture_on_commit_callbacks)

    assert response.status_code == 202, response.json()
    preview = ImportRun.objects.get()
    assert response["Location"] == f"/api/v1/imports/{preview.pk}/"
    shown = import_client.get(f"/api/v1/imports/{preview.pk}/").json()
    assert (shown["dry_run"], shown["status"], shown["created"]) == (True, "succeeded", 7)
    assert shown["report"] == preview.report  # the very report the admin's status page shows
    assert shown["report"]["commitments"]["created"] == 7
    assert not Commitment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = import_client.post(shown["confirm_url"])

    assert confirmed.status_code == 202
    run = ImportRun.objects.get(dry_run=False)
    assert (run.status, run.created, run.uploaded_by) == ("succeeded", 7, partner)
    assert Commitment.objects.count() == 7


def test_a_broken_file_is_reported_row_by_row_and_cannot_be_confirmed(
    import_client, django_capture_on_commit_callbacks, tmp_path
):
    broken = tmp_path / "broken.csv"
    broken.write_text("Commitment Unique Identifier;Code\n", encoding="utf-8")

    response = upload(import_client, django_capture_on_commit_callbacks, broken)

    run = import_client.get(response["Location"]).json()
    assert run["status"] == "rejected" and run["report"]["problems"]
    assert run["confirm_url"] is None
    refused = import_client.post(f"/api/v1/imports/{run['id']}/confirm/")
    assert refused.status_code == 409 and refused.json()["code"] == "not_confirmable"
    assert not Commitment.objects.exists()


def test_an_upload_without_a_file_answers_400(import_client):
    response = import_client.post(URL, {})
    assert response.status_code == 400 and "file" in response.json()["fields"]


def test_a_file_over_the_limit_answers_400(import_client, settings, django_capture_on_commit_callbacks):
    settings.OGP_IMPORT_MAX_BYTES = 10
    response = upload(import_client, django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "file" in response.json()["fields"]
    assert not ImportRun.objects.exists()


@pytest.fixture
def other_partner_client(support_officer, issue) -> object:
    other = User.objects.create_user("opal.other", "opal@example.org")
    other.groups.add(Group.objects.get(name=PARTNERS))
    return bearer(issue("read", "import", user=other))


def test_a_partner_sees_and_confirms_only_its_own_runs(
    import_client, other_partner_client, django_capture_on_commit_callbacks
):
    response = upload(import_client, django_capture_on_commit_callbacks)
    run_id = ImportRun.objects.get().pk
    assert other_partner_client.get(response["Location"]).status_code == 404
    assert other_partner_client.post(f"/api/v1/imports/{run_id}/confirm/").status_code == 404
    assert other_partner_client.get(URL).json()["results"] == []
    assert [run["id"] for run in import_client.get(URL).json()["results"]] == [run_id]


def test_an_upload_with_a_long_name_is_stored_under_a_generated_one_as_in_the_admin(
    import_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    name = "OGP commitments export, as published, downloaded in December " * 2 + ".csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = import_client.post(URL, {"file": SimpleUploadedFile(name, SAMPLE.read_bytes())})
    assert response.status_code == 202, response.json()
    run = ImportRun.objects.get()
    assert run.file_name == name and run.status == "succeeded"
    assert len(run.file.name or "") < 100
