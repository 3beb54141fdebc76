"""Who may call which partner endpoint: every endpoint and method against every persona, in one table.

Personas: an anonymous visitor, a reviewer and a Support Unit officer signed in to the site, and a partner
account's tokens with the read, decide and import scopes, and an expired one. A cell is the status answered.
A 401 or 403 is the refusal; anything else is the endpoint doing its work.
"""

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.utils import timezone

from commitments.importer.runs import create_run, execute_run
from partners import snapshots, webhooks
from partners.models import Event, PartnerToken
from partners.tokens import hash_key
from resolutions.models import ActionItem
from tests.conftest import bearer
from tests.factories import make_alignment, make_commitment

SAMPLE = Path(__file__).parent.parent / "commitments" / "data" / "ogp_export_sample.csv"
PERSONAS = ["anonymous", "reviewer", "partner_read", "partner_decide", "partner_import", "expired", "staff"]
TEXT = "Publish the budget. Adopt a personal data protection law with an independent authority."
ITEM = "cta2019-digital-democracy-2"

DECISION = {"commitment": "PM0001", "action_item": ITEM, "version": 1, "decision": "reject", "rationale": "No."}
BULK = {"decision": "reject", "rationale": "No.", "alignments": [{"commitment": "PM0001", "action_item": ITEM,
                                                                  "version": 1}]}  # fmt: skip
HOOK = {"url": "http://127.0.0.1:9/hook", "events": ["scores.changed"]}

# (method, path, body), then the answer for each persona in the order of PERSONAS.
#                                                                      anon reviewer read decide import expired staff
MATRIX = [
    (("post", "/api/v1/alignment-decisions/", DECISION),                (401, 201, 403, 201, 403, 401, 201)),
    (("post", "/api/v1/alignment-decisions/bulk/", BULK),               (401, 200, 403, 200, 403, 401, 200)),
    (("get", "/api/v1/alignment-decisions/", None),                     (401, 405, 403, 405, 403, 401, 405)),
    (("get", "/api/v1/imports/", None),                                 (401, 403, 403, 403, 200, 401, 200)),
    (("post", "/api/v1/imports/", "file"),                              (401, 403, 403, 403, 202, 401, 202)),
    (("get", "/api/v1/imports/{run}/", None),                           (401, 403, 403, 403, 200, 401, 200)),
    (("post", "/api/v1/imports/{run}/confirm/", None),                  (401, 403, 403, 403, 202, 401, 202)),
    (("delete", "/api/v1/imports/{run}/", None),                        (401, 403, 403, 403, 405, 401, 405)),
    (("get", "/api/v1/webhooks/", None),                                (401, 403, 200, 200, 200, 401, 403)),
    (("post", "/api/v1/webhooks/", HOOK),                               (401, 403, 201, 201, 201, 401, 403)),
    (("get", "/api/v1/webhooks/{hook}/", None),                         (401, 403, 200, 200, 200, 401, 403)),
    (("patch", "/api/v1/webhooks/{hook}/", {"is_active": False}),       (401, 403, 200, 200, 200, 401, 403)),
    (("delete", "/api/v1/webhooks/{hook}/", None),                      (401, 403, 204, 204, 204, 401, 403)),
    (("get", "/api/v1/webhook-deliveries/", None),                      (401, 403, 200, 200, 200, 401, 403)),
    (("get", "/api/v1/webhook-deliveries/{delivery}/", None),           (401, 403, 200, 200, 200, 401, 403)),
    (("post", "/api/v1/webhook-deliveries/{delivery}/redeliver/", None), (401, 403, 202, 202, 202, 401, 403)),
    (("get", "/api/v1/snapshots/", None),                               (200, 200, 200, 200, 200, 401, 200)),
    (("post", "/api/v1/snapshots/", None),                              (401, 403, 403, 403, 403, 401, 202)),
    (("get", "/api/v1/snapshots/latest/", None),                        (200, 200, 200, 200, 200, 401, 200)),
    (("get", "/api/v1/snapshots/{snapshot}/", None),                    (200, 200, 200, 200, 200, 401, 200)),
    (("get", "/api/v1/snapshots/{snapshot}/download/", None),           (200, 200, 200, 200, 200, 401, 200)),
    (("delete", "/api/v1/snapshots/{snapshot}/", None),                 (405, 405, 405, 405, 405, 401, 405)),
]  # fmt: skip

ROWS = [pytest.param(request, answers, id=f"{request[0]} {request[1]}") for request, answers in MATRIX]


@pytest.fixture
def world(call_to_action, partner, reviewer, support_officer, issue, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    make_alignment(make_commitment(full_text=TEXT, ogp_id="PM0001"), ActionItem.objects.get(code=ITEM),
                   passage_start=20, passage_end=len(TEXT))  # fmt: skip
    stored = default_storage.save("imports/matrix/sample.csv", SAMPLE.open("rb"))
    run = create_run(path=Path(default_storage.path(stored)), file_name="sample.csv", dry_run=True,
                     uploaded_by_id=partner.pk, stored_name=stored)  # fmt: skip
    execute_run(run=run, path=Path(default_storage.path(stored)))
    hook = webhooks.register_webhook(owner=partner, url="http://127.0.0.1:9/hook", events=[Event.SCORES_CHANGED])
    [delivery] = webhooks.record_event(Event.SCORES_CHANGED, {"members": []})
    snapshot = snapshots.build(snapshot_id=snapshots.request_snapshot(requested_by=None).pk)
    expired = issue("read", "decide", "import")
    PartnerToken.objects.filter(key_hash=hash_key(expired)).update(expires_at=timezone.now() - datetime.timedelta(1))
    reviewer_client, staff_client = Client(), Client()
    reviewer_client.force_login(reviewer)
    staff_client.force_login(support_officer)
    clients = {
        "anonymous": Client(),
        "reviewer": reviewer_client,
        "partner_read": bearer(issue("read")),
        "partner_decide": bearer(issue("read", "decide")),
        "partner_import": bearer(issue("read", "import")),
        "expired": bearer(expired),
        "staff": staff_client,
    }
    ids = {"run": run.pk, "hook": hook.pk, "delivery": delivery.uid, "snapshot": snapshot.pk}
    return clients, ids


def call(client: Client, method: str, url: str, body: object) -> Any:
    if body == "file":
        with SAMPLE.open("rb") as handle:
            return client.post(url, {"file": handle})
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("request_", "answers"), ROWS)
def test_permission_matrix(world, request_, answers):
    """Each persona asks from the same starting point: what one wrote is rolled back before the next asks."""
    clients, ids = world
    method, path, body = request_
    url = path.format(**ids)
    got = []
    for persona in PERSONAS:
        savepoint = transaction.savepoint()
        response = call(clients[persona], method, url, body)
        transaction.savepoint_rollback(savepoint)
        got.append(response.status_code)
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message", "fields"}, (persona, response.content[:200])
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, answers, strict=True))
