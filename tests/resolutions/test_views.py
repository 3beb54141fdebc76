import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from resolutions.models import ActionItem, Era, Meeting

pytestmark = pytest.mark.django_db


def test_the_call_to_action_page_shows_it_with_its_eras_and_action_items(call_to_action, anonymous_client):
    response = anonymous_client.get("/call-to-action/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Collective Leadership to Protect Participation" in html
    assert "endorsed 29 May 2019" in html
    for era in ("closing civic space", "continued exclusion and gender disparity",
                "digital opportunities for deepening democratic engagement"):  # fmt: skip
        assert f"In this era of {era}" in html
    assert "Develop and promote open, ethical algorithms and artificial intelligence." in html
    assert "OGP Support Unit:</strong> Review all Partnership-wide recommendations" in html
    assert html.count('class="tag commitment"') == 4 + 1  # four commitment items and the legend
    assert "Accountability of digital technologies used for political communication" in html


def home_page_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/call-to-action/").status_code == 200
    return len(queries)


def test_the_call_to_action_page_query_count_does_not_grow_with_the_framework(call_to_action):
    before = home_page_queries()
    era = Era.objects.create(resolution=call_to_action, key="more", title="More", order=9)
    for n in range(6):
        ActionItem.objects.create(
            resolution=call_to_action,
            era=era,
            code=f"more-{n}",
            text="Ask.",
            short_title="Ask",
            evidence="process",
            order=n,
        )
    Meeting.objects.create(slug="another", body="Subcommittee", title="Another call", held_on="2021-03-01")
    # resolutions, their eras, the eras' action items, the items outside eras, recent meetings
    assert home_page_queries() == before == 5


@pytest.mark.parametrize("path", ["/", "/call-to-action/"])
def test_the_home_page_says_what_to_do_when_no_framework_is_loaded(anonymous_client, path):
    response = anonymous_client.get(path)
    assert response.status_code == 200
    assert "load_frameworks" in response.content.decode()


def test_health_check_answers_without_login(anonymous_client):
    response = anonymous_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
