"""Every operation of the live schema, fuzzed by schemathesis with all its checks (docs/api.md, "Fuzzing").

The application is called in-process through its WSGI handler, against the schema it serves at
/api/v1/schema/. Each operation runs as an anonymous visitor and as a partner token holding every scope,
over the small catalogue of tests/api/conftest.py; about half the positive cases have their path
parameters replaced by the ids of real objects, so details, nested lists and writes do real work and
not only answer 404. Examples are few and derandomized, so the run is deterministic and bounded;
`API_FUZZ_EXAMPLES=500` runs more.
"""

import os
import zlib
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.files.storage import default_storage
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from commitments.importer.runs import create_run, execute_run
from partners import snapshots, webhooks
from partners.models import Event
from tests.api.conftest import UNTHROTTLED
from tests.factories import make_alignment

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "commitments" / "data" / "ogp_export_sample.csv"
# Valid by the schema yet refused by the data: these name objects the schema cannot list (member codes to
# compare, an era by key), and an unknown one answers 400 naming the parameter, as docs/api.md documents. Only
# the check that every schema-valid request succeeds is left out for them; every other check still runs.
NAMES_ROWS = {"GET /api/v1/compare/", "GET /api/v1/members/{code}/scores/history/"}
# A webhook's address must resolve to a public address when it is registered (the guard against rebinding,
# docs/api.md); whether a generated host name resolves depends on the network, not on the schema.
RESOLVES_HOSTS = {"POST /api/v1/webhooks/", "PUT /api/v1/webhooks/{id}/", "PATCH /api/v1/webhooks/{id}/"}
# Schemathesis sends a `format: binary` form field as a plain part without a file name, which no server
# reads as an uploaded file; tests/api/test_permissions.py and tests/partners cover real uploads.
UPLOADS = {"POST /api/v1/imports/"}
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))


# Read once, at collection, from the running application (the schema view reads no database).
with override_settings(API_THROTTLE_RATES=UNTHROTTLED):  # collection must not spend the throttle's budget
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _connection_kept(db):
    """The WSGI handler closes the database connection around each request, as it must in production; here
    the connection holds the test's transaction, so it stays open (as Django's own test client does)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def partner_key(issue) -> str:
    return issue("read", "decide", "import")


@pytest.fixture
def real(catalogue, partner, settings, tmp_path) -> dict[str, dict[str, Any]]:
    """The ids of real objects, by path and parameter name; writes land under tmp_path, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    make_alignment(catalogue.commitments[1], catalogue.item)
    stored = default_storage.save("imports/fuzz/sample.csv", SAMPLE.open("rb"))
    path = Path(default_storage.path(stored))
    run = create_run(path=path, file_name="sample.csv", dry_run=True, uploaded_by_id=partner.pk, stored_name=stored)
    execute_run(run=run, path=path)
    hook = webhooks.register_webhook(owner=partner, url="http://127.0.0.1:9/hook", events=[Event.SCORES_CHANGED])
    [delivery] = webhooks.record_event(Event.SCORES_CHANGED, {"members": []})
    snapshot = snapshots.build(snapshot_id=snapshots.request_snapshot(requested_by=None).pk)
    member, commitment, era = catalogue.members[0], catalogue.commitments[0], catalogue.item.era
    assert era is not None
    by_resource = {
        "action-items": {"code": catalogue.item.code},
        "action-plans": {"ogp_id": commitment.action_plan.ogp_id},
        "alignments": {"pair": f"{commitment.ogp_id}.{catalogue.item.code}"},
        "commitments": {"ogp_id": commitment.ogp_id},
        "eras": {"resolution_key": f"{catalogue.resolution.slug}.{era.key}"},
        "imports": {"id": run.pk},
        "meetings": {"slug": catalogue.meeting.slug},
        "members": {"code": member.code},
        "methodologies": {"version": "v1"},
        "policy-areas": {"slug": catalogue.area.slug},
        "resolutions": {"slug": catalogue.resolution.slug},
        "snapshots": {"id": snapshot.pk},
        "webhook-deliveries": {"uid": str(delivery.uid)},
        "webhooks": {"id": hook.pk},
    }
    return by_resource


def aim_at_real_objects(case, real: dict[str, dict[str, Any]]) -> None:
    """Half the positive cases ask for real objects (chosen by a checksum of what was generated: deterministic)."""
    if not case.path_parameters or case.meta is None or case.meta.generation.mode.is_negative:
        return
    if zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 2:
        return
    known = real.get(case.operation.path.split("/")[3], {})
    for name in case.path_parameters:
        if name in known:
            case.path_parameters[name] = known[name]


def excluded(case) -> list[Any]:
    return [positive_data_acceptance] if case.operation.label in NAMES_ROWS | RESOLVES_HOSTS | UPLOADS else []


FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schema.parametrize()
@FUZZ
def test_anonymous_visitors_get_what_the_schema_promises(case, real):
    """No server error, and every answer (status, content type, headers, body) is one the schema promises."""
    aim_at_real_objects(case, real)
    case.call_and_validate(excluded_checks=excluded(case))


@schema.parametrize()
@FUZZ
def test_partners_with_every_scope_get_what_the_schema_promises(case, real, partner_key):
    aim_at_real_objects(case, real)
    case.call_and_validate(headers={"Authorization": f"Bearer {partner_key}"}, excluded_checks=excluded(case))
