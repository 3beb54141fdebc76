"""Who may call what under /api/v1/: every operation of the API against every persona, in one table.

Personas: an anonymous visitor; a reviewer and a Support Unit officer signed in to the site; a partner
account's tokens with the read, decide and import scopes; an expired token. A cell is the status answered:
401 or 403 is the refusal, anything else the endpoint doing its work. The table must name every operation
of the committed schema, so a new endpoint cannot go without its row.
"""

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.utils import timezone

from commitments.importer.runs import create_run, execute_run
from partners import snapshots, webhooks
from partners.models import Event, PartnerToken
from partners.tokens import hash_key
from tests.conftest import bearer
from tests.factories import make_alignment

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "commitments" / "data" / "ogp_export_sample.csv"
PERSONAS = ["anonymous", "reviewer", "partner_read", "partner_decide", "partner_import", "expired", "staff"]

DECISION = {
    "commitment": "{suggested}",
    "action_item": "{item}",
    "version": 1,
    "decision": "reject",
    "rationale": "No.",
}
BULK = {"decision": "reject", "rationale": "No.",
        "alignments": [{"commitment": "{suggested}", "action_item": "{item}", "version": 1}]}  # fmt: skip
HOOK = {"url": "http://127.0.0.1:9/hook", "events": ["scores.changed"]}

PUBLIC = (200, 200, 200, 200, 200, 401, 200)  # anyone reads; a bad token is refused even here
NO_SUCH_METHOD = (405,) * 7  # reads offer no write: the method is refused before anyone is asked who they are
TOKEN_ONLY = {200: (401, 403, 200, 200, 200, 401, 403), 201: (401, 403, 201, 201, 201, 401, 403),
              202: (401, 403, 202, 202, 202, 401, 403), 204: (401, 403, 204, 204, 204, 401, 403)}  # fmt: skip

# (method, path, body): the answer of each persona, in the order of PERSONAS.
#                                                                       anon reviewer read decide import expired staff
MATRIX: list[tuple[tuple[str, str, Any], tuple[int, ...]]] = [
    (("get", "/api/v1/resolutions/", None), PUBLIC),
    (("get", "/api/v1/resolutions/{slug}/", None), PUBLIC),
    (("get", "/api/v1/eras/", None), PUBLIC),
    (("get", "/api/v1/eras/{resolution_key}/", None), PUBLIC),
    (("get", "/api/v1/action-items/", None), PUBLIC),
    (("get", "/api/v1/action-items/{code}/", None), PUBLIC),
    (("get", "/api/v1/meetings/", None), PUBLIC),
    (("get", "/api/v1/meetings/{slug}/", None), PUBLIC),
    (("get", "/api/v1/members/", None), PUBLIC),
    (("get", "/api/v1/members/{code}/", None), PUBLIC),
    (("get", "/api/v1/members/{code}/action-plans/", None), PUBLIC),
    (("get", "/api/v1/members/{code}/scores/", None), PUBLIC),
    (("get", "/api/v1/members/{code}/scores/history/", None), PUBLIC),
    (("get", "/api/v1/action-plans/", None), PUBLIC),
    (("get", "/api/v1/action-plans/{ogp_id}/", None), PUBLIC),
    (("get", "/api/v1/commitments/", None), PUBLIC),
    (("get", "/api/v1/commitments/{ogp_id}/", None), PUBLIC),
    (("get", "/api/v1/commitments/{ogp_id}/alignments/", None), PUBLIC),
    (("get", "/api/v1/commitments/export/", None), PUBLIC),
    (("get", "/api/v1/commitments/search/", None), PUBLIC),
    (("get", "/api/v1/compare/", None), PUBLIC),
    (("get", "/api/v1/policy-areas/", None), PUBLIC),
    (("get", "/api/v1/policy-areas/{slug}/", None), PUBLIC),
    (("get", "/api/v1/alignments/", None), PUBLIC),
    (("get", "/api/v1/alignments/{pair}/", None), PUBLIC),
    (("get", "/api/v1/process-evidence/", None), PUBLIC),
    (("get", "/api/v1/scores/", None), PUBLIC),
    (("get", "/api/v1/methodologies/", None), PUBLIC),
    (("get", "/api/v1/methodologies/{version}/", None), PUBLIC),
    (("post", "/api/v1/members/", {"code": "NEW"}), NO_SUCH_METHOD),
    (("delete", "/api/v1/commitments/{ogp_id}/", None), NO_SUCH_METHOD),
    (("post", "/api/v1/alignment-decisions/", DECISION), (401, 201, 403, 201, 403, 401, 201)),
    (("post", "/api/v1/alignment-decisions/bulk/", BULK), (401, 200, 403, 200, 403, 401, 200)),
    (("get", "/api/v1/imports/", None), (401, 403, 403, 403, 200, 401, 200)),
    (("post", "/api/v1/imports/", "file"), (401, 403, 403, 403, 202, 401, 202)),
    (("get", "/api/v1/imports/{id}/", None), (401, 403, 403, 403, 200, 401, 200)),
    (("post", "/api/v1/imports/{id}/confirm/", None), (401, 403, 403, 403, 202, 401, 202)),
    (("get", "/api/v1/webhooks/", None), TOKEN_ONLY[200]),
    (("post", "/api/v1/webhooks/", HOOK), TOKEN_ONLY[201]),
    (("get", "/api/v1/webhooks/{id}/", None), TOKEN_ONLY[200]),
    (("put", "/api/v1/webhooks/{id}/", HOOK), TOKEN_ONLY[200]),
    (("patch", "/api/v1/webhooks/{id}/", {"is_active": False}), TOKEN_ONLY[200]),
    (("delete", "/api/v1/webhooks/{id}/", None), TOKEN_ONLY[204]),
    (("get", "/api/v1/webhook-deliveries/", None), TOKEN_ONLY[200]),
    (("get", "/api/v1/webhook-deliveries/{uid}/", None), TOKEN_ONLY[200]),
    (("post", "/api/v1/webhook-deliveries/{uid}/redeliver/", None), TOKEN_ONLY[202]),
    (("get", "/api/v1/snapshots/", None), PUBLIC),
    (("post", "/api/v1/snapshots/", None), (401, 403, 403, 403, 403, 401, 202)),
    (("get", "/api/v1/snapshots/latest/", None), PUBLIC),
    (("get", "/api/v1/snapshots/{id}/", None), PUBLIC),
    (("get", "/api/v1/snapshots/{id}/download/", None), PUBLIC),
]  # fmt: skip
# Paths whose placeholders name different objects on different resources.
OBJECT_OF = {"/api/v1/imports/": "run", "/api/v1/webhooks/": "hook", "/api/v1/snapshots/": "snapshot"}
QUERIES = {"/api/v1/commitments/search/": "?q=budget", "/api/v1/compare/": "?members={code},{other}"}


def test_the_table_names_every_operation_of_the_schema():
    schema = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert {(method, path) for (method, path, _), _answers in MATRIX} >= operations


@pytest.fixture
def world(catalogue, partner, reviewer, support_officer, issue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    suggestion = make_alignment(catalogue.commitments[1], catalogue.item)  # a suggestion anyone reviewing may decide
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
    member, commitment, era = catalogue.members[0], catalogue.commitments[0], catalogue.item.era
    values = {
        "code": member.code,
        "other": catalogue.members[1].code,
        "ogp_id": commitment.ogp_id,
        "item": catalogue.item.code,
        "suggested": suggestion.commitment.ogp_id,
        "pair": f"{commitment.ogp_id}.{catalogue.item.code}",
        "resolution_key": f"{catalogue.resolution.slug}.{era.key if era else ''}",
        "version": "v1",
        "uid": str(delivery.uid),
        "run": run.pk,
        "hook": hook.pk,
        "snapshot": snapshot.pk,
    }
    slugs = {"resolutions": catalogue.resolution.slug, "meetings": catalogue.meeting.slug,
             "policy-areas": catalogue.area.slug}  # fmt: skip
    return clients, values, slugs


def url_of(path: str, values: dict[str, Any], slugs: dict[str, str]) -> str:
    resource = path.split("/")[3]
    filled = {**values, "slug": slugs.get(resource, ""), "id": values.get(OBJECT_OF.get(f"/api/v1/{resource}/", ""))}
    if resource == "action-items":
        filled["code"] = values["item"]
    if resource == "action-plans":
        filled["ogp_id"] = values["ogp_plan"]
    return (path + QUERIES.get(path, "")).format(**filled)


def body_of(body: Any, values: dict[str, Any]) -> Any:
    if isinstance(body, dict):
        return {key: body_of(value, values) for key, value in body.items()}
    if isinstance(body, list):
        return [body_of(value, values) for value in body]
    return body.format(**values) if isinstance(body, str) else body


@pytest.mark.parametrize(("request_", "answers"), [pytest.param(k, v, id=f"{k[0]} {k[1]}") for k, v in MATRIX])
def test_permission_matrix(world, catalogue, request_, answers):
    """Each persona asks from the same starting point: what one wrote is rolled back before the next asks."""
    clients, values, slugs = world
    values["ogp_plan"] = catalogue.commitments[0].action_plan.ogp_id
    method, path, body = request_
    url = url_of(path, values, slugs)
    got = []
    for persona in PERSONAS:
        client = clients[persona]
        savepoint = transaction.savepoint()
        if body == "file":
            with SAMPLE.open("rb") as handle:
                response = client.post(url, {"file": handle})
        elif body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, json.dumps(body_of(body, values)), content_type="application/json")
        transaction.savepoint_rollback(savepoint)
        got.append(response.status_code)
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message", "fields"}, (persona, response.content[:200])
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, answers, strict=True))
