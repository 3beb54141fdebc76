"""Anonymous reads are throttled; every write to these read-only endpoints is refused and changes nothing."""

import pytest
from django.core.cache import cache

from commitments.models import Alignment, Commitment, Member
from tests.api.conftest import detail_urls, list_urls

pytestmark = pytest.mark.django_db


def test_every_write_method_is_refused_everywhere(api, catalogue, support_officer):
    before = (Member.objects.count(), Commitment.objects.count(), list(Alignment.objects.values("status", "version")))
    urls = [*list_urls(), *(url.split("?")[0] for url in detail_urls(catalogue))]
    for who in (None, support_officer):
        api.force_authenticate(who)
        for url in urls:
            for method in ("post", "put", "patch", "delete"):
                response = getattr(api, method)(url, {"status": "rejected"}, format="json")
                assert response.status_code in (401, 403, 405), (method, url, response.status_code)
                assert set(response.json()) == {"code", "message", "fields"}
    after = (Member.objects.count(), Commitment.objects.count(), list(Alignment.objects.values("status", "version")))
    assert after == before


def test_anonymous_reads_are_throttled(api, db, settings):
    settings.API_THROTTLE_RATES = {"anon": "3/minute", "user": "100000/minute"}
    address = "198.51.100.7"
    cache.delete(f"throttle_anon_{address}")
    statuses = [api.get("/api/v1/methodologies/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api.get("/api/v1/methodologies/", REMOTE_ADDR=address)
    assert refused.json()["code"] == "throttled" and int(refused["Retry-After"]) > 0
    cache.delete(f"throttle_anon_{address}")


def test_each_client_is_throttled_at_its_own_rate(api, db, settings, visitor):
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "user": "2/minute"}
    address = "198.51.100.8"
    cache.delete(f"throttle_anon_{address}")
    cache.delete(f"throttle_user_{visitor.pk}")
    anonymous = [api.get("/api/v1/methodologies/", REMOTE_ADDR=address).status_code for _ in range(3)]
    assert anonymous == [200, 200, 200]
    api.force_authenticate(visitor)
    signed_in = [api.get("/api/v1/methodologies/", REMOTE_ADDR=address).status_code for _ in range(3)]
    assert signed_in == [200, 200, 429]
    cache.delete(f"throttle_user_{visitor.pk}")
    cache.delete(f"throttle_anon_{address}")


def test_a_view_that_states_no_permissions_is_read_only(db, support_officer):
    """Deny by default: a writable viewset that names no permission classes still refuses writes."""
    from rest_framework import serializers, viewsets
    from rest_framework.test import APIRequestFactory, force_authenticate

    class MemberWrite(serializers.ModelSerializer):
        class Meta:
            model = Member
            fields = ["code", "name", "kind", "region"]

    class Writable(viewsets.ModelViewSet):
        queryset = Member.objects.all()
        serializer_class = MemberWrite

    request = APIRequestFactory().post(
        "/", {"code": "NEW", "name": "New", "kind": "national", "region": "europe"}, format="json"
    )
    force_authenticate(request, user=support_officer)
    response = Writable.as_view({"post": "create"})(request)
    assert response.status_code == 403 and response.data["code"] == "permission_denied"
    assert not Member.objects.filter(code="NEW").exists()
