"""The API's page cache (ogp_tracker/api_cache.py) over the real Redis: a repeated read asks the database
nothing, and any committed write to the data, by whatever path, is seen by the next read.

The tests commit their data (`transactional_db`), since the cache follows commits.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commitments import reviews
from commitments.models import Alignment, Commitment, Member, Origin, ReviewStatus
from ogp_tracker import api_cache

pytestmark = pytest.mark.django_db(transaction=True)

SHARED_CACHE = "ogp_tracker.redis_cache.SharedClientRedisCache"


@pytest.fixture(autouse=True)
def page_cache(settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": SHARED_CACHE, "LOCATION": redis_url}}
    settings.API_RESPONSE_CACHE_SECONDS = 300
    api_cache.advance_generation()  # nothing cached by an earlier test is read
    return settings


def queries_of(api, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, **headers)
    return response, len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/api/v1/commitments/", "/api/v1/members/", "/api/v1/scores/", "/api/v1/eras/"])
def test_a_repeated_read_is_answered_from_the_cache(api, catalogue, url):
    first, asked = queries_of(api, url)
    again, asked_again = queries_of(api, url)
    assert first.status_code == again.status_code == 200
    assert asked > 0 and asked_again == 0
    assert again.content == first.content
    assert again["ETag"] == first["ETag"] and again.get("Last-Modified") == first.get("Last-Modified")


def test_each_query_string_has_its_own_page(api, catalogue):
    codes = [row["code"] for row in api.get("/api/v1/members/").json()["results"]]
    reverse = [row["code"] for row in api.get("/api/v1/members/?ordering=-code").json()["results"]]
    assert len(codes) > 1 and reverse == codes[::-1]


def test_each_host_has_its_own_page(api, catalogue):
    """Pages link to the next page by absolute address: one reached by another name links by that name."""
    here = api.get("/api/v1/members/?page_size=1").json()["next"]
    there = api.get("/api/v1/members/?page_size=1", HTTP_HOST="localhost").json()["next"]
    assert here.startswith("http://testserver/") and there.startswith("http://localhost/")


def test_a_cached_page_answers_304_to_its_etag(api, catalogue):
    first = api.get("/api/v1/members/")
    cached = api.get("/api/v1/members/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert cached.status_code == 304
    assert api.get("/api/v1/members/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_committed_save_is_seen_by_the_next_read(api, catalogue):
    commitment = catalogue.commitments[0]
    url = f"/api/v1/commitments/{commitment.ogp_id}/"
    assert api.get(url).json()["title"] == commitment.title
    with transaction.atomic():
        commitment.title = "A title written after the page was cached"
        commitment.save()
    assert api.get(url).json()["title"] == "A title written after the page was cached"


def test_bulk_writes_that_send_no_signals_are_seen_too(api, catalogue):
    """A queryset update, as imports and scoring write, sends no model signal: the connection still sees it."""
    api.get("/api/v1/members/")
    Member.objects.filter(pk=catalogue.members[0].pk).update(name="Renamed in bulk")
    names = [row["name"] for row in api.get("/api/v1/members/").json()["results"]]
    assert "Renamed in bulk" in names


def test_a_decision_through_the_domain_function_is_seen(api, catalogue, reviewer):
    Alignment.objects.filter(pk=catalogue.alignment.pk).update(status=ReviewStatus.SUGGESTED, origin=Origin.CLASSIFIER)
    alignment = Alignment.objects.get(pk=catalogue.alignment.pk)
    url = f"/api/v1/alignments/{alignment.commitment.ogp_id}.{alignment.action_item.code}/"
    before = api.get(url).json()
    reviews.reject_alignment(
        alignment=alignment, user=reviewer, version=alignment.version, rationale="Not what the item asks."
    )
    after = api.get(url).json()
    assert before["status"] == "suggested" and after["status"] == "rejected"


def test_a_rolled_back_write_leaves_the_cache_alone(api, catalogue):
    api.get("/api/v1/members/")
    before = api_cache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Member.objects.filter(pk=catalogue.members[0].pk).update(name="Never committed")
        raise RuntimeError
    assert api_cache.generation() == before
    assert queries_of(api, "/api/v1/members/")[1] == 0


def test_an_open_transaction_reads_its_own_writes_and_caches_nothing(api, catalogue):
    api.get("/api/v1/members/")
    with transaction.atomic():
        Member.objects.filter(pk=catalogue.members[0].pk).update(name="Still uncommitted")
        inside, asked = queries_of(api, "/api/v1/members/")
        assert asked > 0
        assert "Still uncommitted" in [row["name"] for row in inside.json()["results"]]
        transaction.set_rollback(True)
    names = [row["name"] for row in api.get("/api/v1/members/").json()["results"]]
    assert "Still uncommitted" not in names


def test_the_generation_moves_when_the_transaction_commits_not_before(catalogue):
    before = api_cache.generation()
    assert before is not None
    with transaction.atomic():
        Commitment.objects.filter(pk=catalogue.commitments[0].pk).update(updated_at=timezone.now())
        assert api_cache.generation() == before
    assert api_cache.generation() == before + 1


def test_writes_to_tables_the_api_does_not_read_move_nothing(catalogue, django_user_model):
    before = api_cache.generation()
    django_user_model.objects.create_user("someone", "someone@example.org", "a-long-password-for-someone")
    assert api_cache.generation() == before


def test_throttling_still_applies_to_cached_pages(api, catalogue, settings):
    settings.API_THROTTLE_RATES = {"anon": "3/minute", "user": "3/minute"}
    from django.core.cache import cache

    cache.delete_many([f"throttle_anon_{address}" for address in ("127.0.0.1",)])
    statuses = [api.get("/api/v1/members/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_off_when_set_to_zero(api, catalogue, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    api.get("/api/v1/members/")
    assert queries_of(api, "/api/v1/members/")[1] > 0


def test_an_unreachable_cache_is_a_miss_not_an_error(api, catalogue, settings):
    settings.API_THROTTLE_RATES = {"anon": None, "user": None}
    settings.CACHES = {"default": {"BACKEND": SHARED_CACHE, "LOCATION": "redis://127.0.0.1:9/0"}}
    assert api.get("/api/v1/members/").status_code == 200
    Member.objects.filter(pk=catalogue.members[0].pk).update(name="Written while the cache is away")
    assert api.get("/api/v1/members/").status_code == 200


def test_writes_are_recognised_by_their_statement():
    assert api_cache.writes_watched_table('UPDATE "commitments_member" SET "name" = %s')
    assert api_cache.writes_watched_table('INSERT INTO "resolutions_era" ("key") VALUES (%s)')
    assert api_cache.writes_watched_table("delete from commitments_alignment where id = 1")
    assert api_cache.writes_watched_table('TRUNCATE "auth_user", "commitments_score" CASCADE')
    assert not api_cache.writes_watched_table('UPDATE "auth_user" SET "last_login" = %s')
    assert not api_cache.writes_watched_table('SELECT * FROM "commitments_member"')
    assert not api_cache.writes_watched_table('UPDATE "partners_partnertoken" SET "last_used_at" = %s')


def test_the_redis_cache_makes_one_client_per_pool(page_cache):
    from django.core.cache import cache

    assert cache._cache.get_client() is cache._cache.get_client()  # type: ignore[attr-defined]
