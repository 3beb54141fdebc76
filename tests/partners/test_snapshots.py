import csv
import io
import json
import zipfile
from pathlib import Path

from django.test import Client

from commitments.models import Commitment
from partners import snapshots, tasks
from partners.models import Snapshot
from tests.factories import make_commitment

URL = "/api/v1/snapshots/"


def archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def table(zipped: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(zipped.read(f"{name}.csv").decode())))


def test_a_snapshot_holds_every_public_table_named_by_ogp_ids_and_is_served_to_anyone(call_to_action, support_officer):
    make_commitment(ogp_id="SN0001", title='=HYPERLINK("http://evil")')
    snapshot = tasks.build_snapshot.run(snapshots.request_snapshot(requested_by=support_officer).pk)
    assert snapshot == "ready"

    response = Client().get(f"{URL}latest/")

    assert response.status_code == 200
    zipped = archive(response)
    manifest = json.loads(zipped.read("manifest.json"))
    assert manifest["tables"]["commitments"] == 1 and manifest["tables"]["action_items"] > 0
    [row] = table(zipped, "commitments")
    assert row["ogp_id"] == "SN0001" and row["member.code"] == Commitment.objects.get().member.code
    assert row["title"].startswith("'=")  # a formula is escaped
    assert "id" not in row and "extra" not in row
    names = set(zipped.namelist())
    assert {"resolutions.csv", "alignments.csv", "review_history.csv", "scores.csv", "next_steps.csv"} <= names
    assert not any("user" in name or "token" in name or "import" in name for name in names)
    assert response["X-Snapshot-SHA256"] == Snapshot.objects.get().sha256


def test_snapshots_are_listed_and_the_latest_ready_one_is_served(support_officer):
    first = snapshots.build(snapshot_id=snapshots.request_snapshot(requested_by=None).pk)
    snapshots.request_snapshot(requested_by=None)  # still building: not served
    listed = Client().get(URL).json()["results"]
    assert [row["status"] for row in listed] == ["building", "ready"]
    assert listed[1]["download_url"] == f"/api/v1/snapshots/{first.pk}/download/"
    assert Client().get(listed[1]["download_url"]).status_code == 200
    assert Client().get(f"{URL}latest/")["Content-Disposition"].endswith(f'{Path(first.file.name or "").name}"')


def test_without_a_snapshot_latest_answers_404_in_the_shared_shape(db):
    response = Client().get(f"{URL}latest/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_support_unit_triggers_a_build_through_the_api_and_the_admin(
    support_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(URL)
    assert response.status_code == 202
    with django_capture_on_commit_callbacks(execute=True):
        support_client.post("/admin/partners/snapshot/start/")
    assert list(Snapshot.objects.values_list("status", flat=True)) == ["ready", "ready"]


def test_the_schedule_builds_a_snapshot(db, settings):
    assert settings.CELERY_BEAT_SCHEDULE["build-snapshot-daily"]["task"] == "partners.build_scheduled_snapshot"
    assert tasks.build_scheduled_snapshot() == "ready"
    assert Snapshot.objects.get().file


def test_a_failed_build_is_recorded_and_not_served(db, monkeypatch):
    def broken(handle):
        raise RuntimeError("disk full")

    monkeypatch.setattr(snapshots, "write_archive", broken)
    snapshot = snapshots.build(snapshot_id=snapshots.request_snapshot(requested_by=None).pk)
    assert (snapshot.status, snapshot.error) == ("failed", "RuntimeError: disk full")
    assert Client().get(f"{URL}latest/").status_code == 404


def test_the_command_builds_a_snapshot_and_prints_its_figures(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("build_snapshot", stdout=out)
    assert Snapshot.objects.get().status == "ready"
    assert "bytes" in out.getvalue() and "rows" in out.getvalue()
