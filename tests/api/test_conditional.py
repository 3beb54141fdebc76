"""Lists and details carry ETag and Last-Modified and answer 304 until something changes."""

import pytest

from tests.api.conftest import list_urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", list_urls())
def test_an_unchanged_list_answers_304(api, catalogue, url):
    first = api.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_change_gives_a_new_etag_and_a_full_answer(api, catalogue):
    url = f"/api/v1/commitments/{catalogue.commitments[0].ogp_id}/"
    first = api.get(url)
    assert first.has_header("Last-Modified")
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    commitment = catalogue.commitments[0]
    commitment.title = "A new title"
    commitment.save()
    changed = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_list_is_dated_by_its_newest_row(api, catalogue):
    response = api.get("/api/v1/members/")
    assert response.has_header("Last-Modified")
    assert api.get("/api/v1/members/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    catalogue.members[0].save()
    listed = api.get("/api/v1/members/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT")
    assert listed.status_code == 200
