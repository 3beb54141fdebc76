"""CSV for every list with the same filters, full-text search, OGP's export format, cursor pages, filters."""

import csv
import io

import pytest

from commitments.importer import format as fmt
from tests.api.conftest import list_urls

pytestmark = pytest.mark.django_db
CSV_LISTS = [url for url in list_urls() if "methodologies" not in url]


def read_csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("url", CSV_LISTS)
def test_every_list_downloads_as_streamed_csv(api, catalogue, url):
    response = api.get(url, {"format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert len(read_csv(response)) >= 1
    assert read_csv(api.get(url, HTTP_ACCEPT="text/csv"))


def test_csv_applies_the_same_filters_as_json(api, catalogue):
    member = catalogue.members[0]
    json_rows = api.get("/api/v1/commitments/", {"member": member.code}).json()["results"]
    csv_rows = read_csv(api.get("/api/v1/commitments/", {"member": member.code, "format": "csv"}))
    assert [row["ogp_id"] for row in csv_rows] == [row["ogp_id"] for row in json_rows]
    assert {row["member"] for row in csv_rows} == {member.code}
    assert {row["potential_impact"] for row in csv_rows} == {"transformative", "nd"}


def test_csv_escapes_formula_like_text(api, catalogue):
    commitment = catalogue.commitments[0]
    commitment.title = "=HYPERLINK(1)"
    commitment.save()
    rows = read_csv(api.get("/api/v1/commitments/", {"format": "csv", "member": commitment.member.code}))
    assert "'=HYPERLINK(1)" in {row["title"] for row in rows}


def test_the_ogp_export_format_has_ogp_headers_and_every_commitment(api, catalogue):
    rows = read_csv(api.get("/api/v1/commitments/export/"))
    assert list(rows[0])[: len(fmt.FIELD_COLUMNS)] == list(fmt.FIELD_COLUMNS)
    assert len(rows) == len(catalogue.commitments)


def test_search_ranks_and_highlights(api, catalogue):
    body = api.get("/api/v1/commitments/search/", {"q": "contracting"}).json()
    found = [row["ogp_id"] for row in body["results"]]
    assert found and set(found) == {c.ogp_id for c in catalogue.commitments[1::2]}
    assert "<mark>" in body["results"][0]["snippet"].lower() or body["results"][0]["rank"] > 0
    narrowed = api.get("/api/v1/commitments/search/", {"q": "contracting", "member": catalogue.members[0].code})
    assert len(narrowed.json()["results"]) == 1
    assert api.get("/api/v1/commitments/search/").status_code == 400


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"potential_impact": "transformative"}, 2),
        ({"completion_end_of_term": "nr"}, 2),
        ({"policy_area": "open-contracting"}, 2),
        ({"region": "europe", "kind": "national"}, 4),
        ({"region": "americas"}, 0),
        ({"alignment_status": "confirmed"}, 2),
        ({"updated_since": "2000-01-01T00:00:00Z"}, 4),
        ({"updated_since": "2999-01-01T00:00:00Z"}, 0),
    ],
)
def test_commitment_filters(api, catalogue, params, expected):
    assert len(api.get("/api/v1/commitments/", params).json()["results"]) == expected


def test_alignment_filters_by_status_origin_era_and_item(api, catalogue):
    era = catalogue.item.era.key
    assert len(api.get("/api/v1/alignments/", {"status": "confirmed", "era": era}).json()["results"]) == 2
    assert api.get("/api/v1/alignments/", {"origin": "classifier"}).json()["results"] == []
    assert len(api.get("/api/v1/alignments/", {"action_item": catalogue.item.code}).json()["results"]) == 2


def test_scores_filter_overall_and_by_group(api, catalogue):
    assert len(api.get("/api/v1/scores/", {"era": "overall"}).json()["results"]) == 2
    assert api.get("/api/v1/scores/", {"group": "leaders-network"}).json()["results"] == []


def test_large_lists_page_by_cursor_and_order(api, catalogue):
    first = api.get("/api/v1/commitments/", {"page_size": 3}).json()
    assert len(first["results"]) == 3 and "cursor=" in first["next"]
    rest = api.get(first["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    newest = api.get("/api/v1/commitments/", {"ordering": "-ogp_id"}).json()["results"]
    assert [r["ogp_id"] for r in newest] == sorted((c.ogp_id for c in catalogue.commitments), reverse=True)


def test_csv_rows_are_read_while_the_answer_is_sent_not_before(api, catalogue):
    """Streaming: the rows are fetched as the body is consumed, a chunk at a time, never gathered first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        response = api.get("/api/v1/commitments/", {"format": "csv"})
    assert not any("commitments_commitment" in query["sql"] for query in before.captured_queries)
    with CaptureQueriesContext(connection) as during:
        rows = read_csv(response)
    assert len(rows) == len(catalogue.commitments)
    assert any("commitments_commitment" in query["sql"] for query in during.captured_queries)
