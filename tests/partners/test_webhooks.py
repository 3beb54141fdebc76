import datetime
import hashlib
import hmac
import json
import re
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from commitments.importer.runs import create_run, execute_run
from commitments.scoring.compute import recompute_members
from partners import targets, tasks, webhooks
from partners.models import Delivery, Event, Webhook
from tests.factories import make_member

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "tests" / "commitments" / "data" / "ogp_export_sample.csv"
PUBLIC = "93.184.216.34"  # a global address: only ever checked here, never connected to


def docs_verify():
    """The signature check printed in docs/api.md, run as a partner would copy it."""
    text = (ROOT / "docs" / "api.md").read_text()
    found = re.search(r"<!-- verify-example -->\s*```python\n(.*?)```", text, re.S)
    assert found, "docs/api.md shows how to check a signature"
    code = found.group(1)
    namespace: dict = {}
    exec(code, namespace)
    return namespace["verify"]


def hook(partner, url: str, events=(Event.SCORES_CHANGED, Event.IMPORT_LANDED)) -> Webhook:
    return webhooks.register_webhook(owner=partner, url=url, events=list(events))


def send(partner, receiver, django_capture_on_commit_callbacks) -> Delivery:
    hook(partner, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = webhooks.record_event(Event.IMPORT_LANDED, {"import": 1})
        tasks.deliver_webhook.delay(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_a_delivery_is_signed_over_timestamp_and_body_and_the_documented_check_accepts_it(
    partner, receiver, django_capture_on_commit_callbacks
):
    delivery = send(partner, receiver, django_capture_on_commit_callbacks)

    assert delivery.status == Delivery.Status.SUCCEEDED and delivery.attempts == 1
    [got] = receiver.received
    secret = Webhook.objects.get().secret
    expected = hmac.new(secret.encode(), got.headers["X-OGP-Timestamp"].encode() + b"." + got.body, hashlib.sha256)
    assert got.headers["X-OGP-Signature"] == f"v1={expected.hexdigest()}"
    assert got.headers["X-OGP-Event"] == "import.landed"
    assert got.headers["X-OGP-Delivery"] == str(delivery.uid)
    assert json.loads(got.body)["data"] == {"import": 1}
    verify = docs_verify()
    assert verify(secret, got.headers, got.body)
    assert not verify("another-secret", got.headers, got.body)
    assert not verify(secret, got.headers, got.body + b" ")
    assert not verify(secret, got.headers, got.body, now=time.time() + 301)  # outside the replay window


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "ftp://hooks.example.org/",
        "file:///etc/passwd",
        "http://user:pass@hooks.example.org/",
    ],
)
def test_with_debug_off_private_and_non_http_targets_are_refused_at_registration(partner, settings, url):
    settings.DEBUG = False
    with pytest.raises(ValidationError):
        hook(partner, url)
    assert not Webhook.objects.exists()


def test_a_name_that_resolves_to_a_private_address_is_refused(partner, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(targets, "resolve", lambda host, port: [PUBLIC, "10.0.0.7"])
    with pytest.raises(ValidationError, match=r"10\.0\.0\.7"):
        hook(partner, "https://hooks.partner.test/ogp")


def test_with_debug_on_a_local_target_is_accepted(partner, settings):
    settings.DEBUG = True
    assert hook(partner, "http://127.0.0.1:9/hook").pk


def test_the_api_refuses_a_private_target_with_400(read_client, settings):
    settings.DEBUG = False
    response = read_client.post(
        "/api/v1/webhooks/", {"url": "http://10.0.0.1/", "events": ["scores.changed"]}, content_type="application/json"
    )
    assert response.status_code == 400 and "url" in response.json()["fields"]


def test_a_name_rebound_to_a_private_address_after_registration_is_refused_at_delivery(
    partner, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    monkeypatch.setattr(targets, "resolve", lambda host, port: [PUBLIC])
    hook(partner, f"http://hooks.partner.test:{receiver.port}/ogp")
    monkeypatch.setattr(targets, "resolve", lambda host, port: ["127.0.0.1"])  # the name now points home

    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = webhooks.record_event(Event.SCORES_CHANGED, {"members": ["T001"]})
    refused = webhooks.attempt_delivery(delivery_id=delivery.pk)

    assert receiver.received == []
    assert refused is not None
    assert refused.status == Delivery.Status.RETRYING and "127.0.0.1" in refused.error


def test_the_connection_goes_to_the_address_that_was_checked(partner, receiver, monkeypatch):
    """One resolution per attempt: the name is never looked up again by the connection (it would not resolve,
    and a rebinding name could answer differently the second time)."""
    answers = iter([["127.0.0.1"], ["127.0.0.1"], ["127.0.0.2"]])
    monkeypatch.setattr(targets, "resolve", lambda host, port: next(answers))
    hook(partner, f"http://hooks.partner.test:{receiver.port}/ogp")
    [delivery] = webhooks.record_event(Event.SCORES_CHANGED, {"members": []})

    delivered = webhooks.attempt_delivery(delivery_id=delivery.pk)

    assert delivered is not None
    assert delivered.status == Delivery.Status.SUCCEEDED, delivered.error
    assert receiver.received[0].headers["Host"] == f"hooks.partner.test:{receiver.port}"


def test_a_failing_target_is_tried_again_with_exponential_backoff_then_given_up(partner, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    receiver.status = 500
    hook(partner, receiver.url)
    [delivery] = webhooks.record_event(Event.SCORES_CHANGED, {"members": []})
    start = timezone.now()

    waits = []
    done = None
    for attempt in range(4):
        with freeze_time(start + datetime.timedelta(minutes=attempt)):
            done = webhooks.attempt_delivery(delivery_id=delivery.pk)
            assert done is not None
            if done.next_attempt_at:
                waits.append((done.next_attempt_at - timezone.now()).total_seconds())

    assert waits == [10, 20, 40]
    assert done is not None
    assert (done.status, done.attempts, done.response_status) == (Delivery.Status.FAILED, 4, 500)
    assert len(receiver.received) == 4
    assert webhooks.attempt_delivery(delivery_id=delivery.pk) is None  # given up: nothing more is sent


def test_the_task_enqueues_the_next_attempt_after_the_backoff(partner, receiver, settings, monkeypatch):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    receiver.status = 503
    hook(partner, receiver.url)
    [delivery] = webhooks.record_event(Event.SCORES_CHANGED, {"members": []})
    enqueued = []
    monkeypatch.setattr(
        tasks.deliver_webhook, "apply_async", lambda args, countdown: enqueued.append((args, countdown))
    )

    assert tasks.deliver_webhook(delivery.pk) == "retrying"
    assert enqueued == [((delivery.pk,), 10.0)]


def test_in_process_the_retries_run_until_the_last_attempt(
    partner, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    receiver.status = 500
    delivery = send(partner, receiver, django_capture_on_commit_callbacks)
    assert (delivery.status, delivery.attempts, len(receiver.received)) == (Delivery.Status.FAILED, 4, 4)


def test_a_partner_redelivers_through_the_api_with_the_same_event_and_a_new_delivery_id(
    partner, receiver, issue, django_capture_on_commit_callbacks
):
    from tests.conftest import bearer

    first = send(partner, receiver, django_capture_on_commit_callbacks)
    client = bearer(issue("read"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/webhook-deliveries/{first.uid}/redeliver/")

    assert response.status_code == 202
    assert response.json()["redelivery_of"] == str(first.uid)
    again = Delivery.objects.get(redelivery_of=first)
    assert again.status == Delivery.Status.SUCCEEDED
    assert [r.headers["X-OGP-Delivery"] for r in receiver.received] == [str(first.uid), str(again.uid)]
    assert json.loads(receiver.received[0].body) == json.loads(receiver.received[1].body)


def test_support_unit_redelivers_from_the_admin_and_reads_the_delivery_log(
    partner, receiver, support_client, django_capture_on_commit_callbacks
):
    first = send(partner, receiver, django_capture_on_commit_callbacks)
    assert "import.landed" in support_client.get("/admin/partners/delivery/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        support_client.post("/admin/partners/delivery/", {"action": "send_again", "_selected_action": [first.pk]})
    assert len(receiver.received) == 2


def test_a_score_change_records_a_delivery_with_the_members_codes(partner, call_to_action, receiver,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    hook(partner, receiver.url, events=[Event.SCORES_CHANGED])
    member = make_member(code="TSC")

    with django_capture_on_commit_callbacks(execute=True):
        recompute_members(member_ids=[member.pk])

    [got] = receiver.received
    assert json.loads(got.body)["data"]["members"] == ["TSC"]
    assert got.headers["X-OGP-Event"] == "scores.changed"
    with django_capture_on_commit_callbacks(execute=True):
        recompute_members(member_ids=[member.pk])  # nothing changed: nothing sent
    assert len(receiver.received) == 1


def test_an_import_that_lands_notifies_and_a_dry_run_does_not(partner, support_officer, receiver,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    hook(partner, receiver.url, events=[Event.IMPORT_LANDED])
    for dry_run in (True, False):
        run = create_run(path=SAMPLE, file_name="sample.csv", dry_run=dry_run, uploaded_by_id=support_officer.pk)
        with django_capture_on_commit_callbacks(execute=True):
            execute_run(run=run, path=SAMPLE)

    [got] = receiver.received
    assert json.loads(got.body)["data"]["created"] == 7


def test_the_sweep_sends_deliveries_whose_enqueue_was_lost(partner, receiver, settings,
                                                           django_capture_on_commit_callbacks):  # fmt: skip
    hook(partner, receiver.url)
    [delivery] = webhooks.record_event(Event.SCORES_CHANGED, {"members": []})  # never enqueued
    Delivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=settings.FOLLOW_UP_GRACE_SECONDS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_webhook_deliveries() == 1
    assert len(receiver.received) == 1


def test_a_partner_manages_only_its_own_webhooks(read_client, issue, partner, support_officer, receiver):
    from django.contrib.auth.models import Group, User

    from commitments.roles import PARTNERS
    from tests.conftest import bearer

    created = read_client.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["scores.changed"]}, content_type="application/json"
    )
    assert created.status_code == 201 and len(created.json()["secret"]) == 64
    assert "secret" not in read_client.get(f"/api/v1/webhooks/{created.json()['id']}/").json()
    other = User.objects.create_user("opal.other", "opal@example.org")
    other.groups.add(Group.objects.get(name=PARTNERS))
    other_client = bearer(issue("read", user=other))
    assert other_client.get(f"/api/v1/webhooks/{created.json()['id']}/").status_code == 404
    assert other_client.delete(f"/api/v1/webhooks/{created.json()['id']}/").status_code == 404
    assert read_client.delete(f"/api/v1/webhooks/{created.json()['id']}/").status_code == 204


def test_support_unit_registers_a_webhook_in_the_admin_and_sees_the_secret_once(support_client, partner, receiver):
    response = support_client.post(
        "/admin/partners/webhook/add/",
        {"owner": partner.pk, "url": receiver.url, "events": ["scores.changed"]},
        follow=True,
    )
    webhook = Webhook.objects.get()
    shown = " ".join(str(message) for message in response.context["messages"])
    assert webhook.secret in shown and webhook.owner == partner
    assert webhook.secret not in support_client.get(f"/admin/partners/webhook/{webhook.pk}/change/").content.decode()


def test_the_admin_refuses_a_private_target_in_the_form(support_client, partner, settings):
    settings.DEBUG = False
    response = support_client.post(
        "/admin/partners/webhook/add/", {"owner": partner.pk, "url": "http://10.0.0.1/", "events": ["scores.changed"]}
    )
    assert response.status_code == 200 and "private" in response.content.decode()
    assert not Webhook.objects.exists()


def test_changing_a_webhook_to_a_private_target_answers_400(read_client, partner, settings):
    settings.DEBUG = True
    webhook = hook(partner, "http://127.0.0.1:9/hook")
    settings.DEBUG = False
    response = read_client.patch(
        f"/api/v1/webhooks/{webhook.pk}/", {"url": "http://192.168.1.1/"}, content_type="application/json"
    )
    assert response.status_code == 400 and "url" in response.json()["fields"]
    assert Webhook.objects.get().url == "http://127.0.0.1:9/hook"


@pytest.mark.parametrize("url", ["http://[::1", "http://hooks.example.org:99999/", "http:///nohost", "//x"])
def test_a_malformed_url_is_refused_not_raised(partner, url):
    with pytest.raises(ValidationError):
        hook(partner, url)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_webhook_after_a_recompute_commits(
    celery_worker_process, call_to_action, partner, receiver
):
    """Through Redis and a worker process (which runs with DEBUG on, as `make test` starts it, so it may reach
    127.0.0.1): the delivery recorded in the recompute's transaction is sent once that transaction commits."""
    from tests.conftest import wait_until_worker_is_idle

    hook(partner, receiver.url, events=[Event.SCORES_CHANGED])
    member = make_member(code="TWK")

    recompute_members(member_ids=[member.pk])
    deadline = time.monotonic() + 60
    while Delivery.objects.get().status == Delivery.Status.PENDING and time.monotonic() < deadline:
        wait_until_worker_is_idle()  # the task may not have reached the worker yet: ask again

    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED
    assert json.loads(receiver.received[0].body)["data"]["members"] == ["TWK"]
