import datetime
import hashlib

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from commitments.roles import PARTNERS
from partners.models import PartnerToken
from partners.tokens import issue_token, revoke_token
from tests.conftest import bearer

ENDPOINT = "/api/v1/webhooks/"  # any endpoint that needs a partner token


def test_only_a_hash_of_the_key_is_stored(issue):
    key = issue("read")
    token = PartnerToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(token.prefix) < len(key) - 20
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM partners_partnertoken")
        stored = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
    assert key not in stored


def test_a_valid_key_authenticates_with_bearer_or_token_and_records_its_last_use(issue):
    key = issue("read")
    assert bearer(key).get(ENDPOINT).status_code == 200
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(ENDPOINT).status_code == 200
    assert PartnerToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    ("spoil", "code"),
    [
        (lambda token: token.__class__.objects.filter(pk=token.pk).update(revoked_at=timezone.now()), "token_revoked"),
        (
            lambda token: token.__class__.objects.filter(pk=token.pk).update(
                expires_at=timezone.now() - datetime.timedelta(minutes=1)
            ),
            "token_expired",
        ),
        (lambda token: token.user.groups.clear(), "token_invalid"),
    ],
    ids=["revoked", "expired", "no-longer-a-partner"],
)
def test_a_key_that_may_no_longer_be_used_answers_401_in_the_shared_shape(issue, spoil, code):
    key = issue("read", "decide")
    spoil(PartnerToken.objects.get())
    response = bearer(key).get(ENDPOINT)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert set(response.json()) == {"code", "message", "fields"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_or_malformed_key_answers_401(db):
    assert bearer("ogpt_not-a-real-key").get(ENDPOINT).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer").get(ENDPOINT).status_code == 401


def test_a_key_expires_at_its_expiry(issue):
    key = issue("read")
    expires_at = PartnerToken.objects.get().expires_at
    with freeze_time(expires_at - datetime.timedelta(seconds=1)):
        assert bearer(key).get(ENDPOINT).status_code == 200
    with freeze_time(expires_at):
        assert bearer(key).get(ENDPOINT).status_code == 401


def test_tokens_are_only_for_partner_accounts_and_issued_only_by_the_support_unit(partner, reviewer, support_officer):
    with pytest.raises(ValidationError):
        issue_token(user=reviewer, name="x", scopes=["read"], issued_by=support_officer)
    with pytest.raises(PermissionDenied):
        issue_token(user=partner, name="x", scopes=["read"], issued_by=reviewer)
    with pytest.raises(ValidationError):
        issue_token(user=partner, name="x", scopes=["everything"], issued_by=support_officer)
    with pytest.raises(ValidationError):
        issue_token(user=partner, name="x", scopes=[], issued_by=support_officer)


def test_the_partners_group_comes_from_a_migration(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        group = Group.objects.get(name=PARTNERS)
        assert set(group.permissions.values_list("codename", flat=True)) >= {"review_alignment", "import_ogp_data"}


def test_support_unit_issues_a_token_in_the_admin_and_sees_the_key_once(support_client, support_officer, partner):
    response = support_client.post(
        "/admin/partners/partnertoken/add/",
        {"user": partner.pk, "name": "Portal sync", "scopes": ["read", "decide"], "expires_at": ""},
        follow=True,
    )
    token = PartnerToken.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    key = next(word for message in shown for word in message.split() if word.startswith("ogpt_"))
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_hash
    assert (token.scopes, token.created_by) == (["decide", "read"], support_officer)
    assert key not in support_client.get(f"/admin/partners/partnertoken/{token.pk}/change/").content.decode()
    assert key not in support_client.get("/admin/partners/partnertoken/").content.decode()


def test_support_unit_revokes_tokens_in_the_admin(support_client, support_officer, issue):
    key = issue("read")
    token = PartnerToken.objects.get()
    support_client.post(
        "/admin/partners/partnertoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == support_officer
    assert bearer(key).get(ENDPOINT).status_code == 401


def test_only_the_support_unit_reaches_the_token_admin(reviewer_client, partner):
    for url in ("/admin/partners/partnertoken/", "/admin/partners/partnertoken/add/"):
        assert reviewer_client.get(url).status_code in (302, 403)
    staff = User.objects.create_user("stan", "stan@example.org", "pw-stan-long-enough", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/partners/partnertoken/").status_code == 403


def test_revoking_needs_the_support_unit(issue, reviewer):
    issue("read")
    with pytest.raises(PermissionDenied):
        revoke_token(token=PartnerToken.objects.get(), revoked_by=reviewer)
