"""Every list reads in a fixed number of queries, whatever the number of rows and the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import add_rows, list_urls

pytestmark = pytest.mark.django_db

# Queries per list (JSON): the rows and what they show, plus one for the Last-Modified date.
PINNED = {
    "/api/v1/resolutions/": 4,
    "/api/v1/eras/": 3,
    "/api/v1/action-items/": 3,
    "/api/v1/meetings/": 3,
    "/api/v1/members/": 4,
    "/api/v1/action-plans/": 3,
    "/api/v1/commitments/": 3,
    "/api/v1/policy-areas/": 2,
    "/api/v1/alignments/": 2,
    "/api/v1/process-evidence/": 2,
    "/api/v1/scores/": 2,
    "/api/v1/methodologies/": 0,
}


def queries_for(api, url: str, page_size: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, {"page_size": page_size})
    assert response.status_code == 200
    body = response.json()
    rows = len(body if isinstance(body, list) else body["results"])
    return len(captured), rows


@pytest.mark.parametrize("url", list_urls())
def test_queries_are_pinned_and_constant_in_the_page_size(api, catalogue, url):
    add_rows(catalogue.resolution, catalogue.item, catalogue.process_item, catalogue.area, 4)
    small, small_rows = queries_for(api, url, 2)
    large, large_rows = queries_for(api, url, 100)
    assert large_rows >= small_rows
    assert (small, large) == (PINNED[url], PINNED[url])
