import json
from typing import Any

import pytest
from django.test import Client

from commitments.models import Alignment, Origin, ReviewEvent, ReviewStatus
from resolutions.models import ActionItem
from tests.factories import make_alignment, make_commitment

URL = "/api/v1/alignment-decisions/"
BULK = "/api/v1/alignment-decisions/bulk/"
TEXT = "Publish the budget. Adopt a personal data protection law with an independent authority."
ITEM = "cta2019-digital-democracy-2"


@pytest.fixture
def suggestion(call_to_action) -> Alignment:
    return make_alignment(
        make_commitment(full_text=TEXT, ogp_id="TS0001"), ActionItem.objects.get(code=ITEM), passage_start=20,
        passage_end=len(TEXT),
    )  # fmt: skip


def post(client: Client, url: str, body: dict) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def decision(alignment: Alignment, **fields: object) -> dict:
    return {
        "commitment": alignment.commitment.ogp_id,
        "action_item": alignment.action_item.code,
        "version": alignment.version,
        "decision": "confirm",
        "rationale": "A data protection law with an independent authority.",
        **fields,
    }


def test_a_partner_confirms_an_alignment_and_history_shows_the_partner(decide_client, suggestion, partner):
    response = post(decide_client, URL, decision(suggestion))

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "confirmed" and response.json()["version"] == 2
    event = ReviewEvent.objects.get(alignment=suggestion)
    assert (event.origin, event.actor, event.to_status) == (Origin.PARTNER, partner, ReviewStatus.CONFIRMED)


def test_a_reviewer_deciding_in_a_session_is_recorded_as_a_reviewer(reviewer_client, suggestion, reviewer):
    assert post(reviewer_client, URL, decision(suggestion, decision="reject")).status_code == 201
    assert ReviewEvent.objects.get(alignment=suggestion).origin == Origin.REVIEWER


def test_a_decision_on_a_stale_version_answers_409_with_the_alignment_as_it_is_and_writes_nothing(
    decide_client, suggestion
):
    seen = decision(suggestion)
    assert post(decide_client, URL, {**seen, "decision": "reject"}).status_code == 201

    response = post(decide_client, URL, seen)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_decision"
    assert body["current"]["status"] == "rejected" and body["current"]["version"] == 2
    assert Alignment.objects.get().status == ReviewStatus.REJECTED
    assert ReviewEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": "two"}, "version"),
        ({"decision": "approve"}, "decision"),
        ({"rationale": ""}, "rationale"),
        ({"rationale": "   "}, "rationale"),
        ({"passage_start": 5, "passage_end": 999}, "passage_start"),
        ({"decision": "edit", "new_action_item": "no-such-item"}, "new_action_item"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_writes_nothing(decide_client, suggestion, change, field):
    response = post(decide_client, URL, decision(suggestion, **change))
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not ReviewEvent.objects.exists()


def test_a_decision_on_an_unknown_alignment_answers_404(decide_client, suggestion):
    response = post(decide_client, URL, decision(suggestion, commitment="XX9999"))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_malformed_json_answers_400(decide_client, suggestion):
    response = decide_client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_a_partner_may_not_overrule_a_reviewers_decision(decide_client, suggestion, reviewer_client):
    post(reviewer_client, URL, decision(suggestion))
    response = post(decide_client, URL, decision(Alignment.objects.get(), decision="reject"))
    assert response.status_code == 403
    assert Alignment.objects.get().status == ReviewStatus.CONFIRMED


def test_an_edit_moves_a_suggestion_and_makes_it_the_partners(decide_client, suggestion):
    other = ActionItem.objects.get(code="cta2019-digital-democracy-3")
    response = post(decide_client, URL, decision(suggestion, decision="edit", new_action_item=other.code))
    assert response.status_code == 201, response.json()
    row = Alignment.objects.get()
    assert (row.action_item, row.origin, row.status) == (other, Origin.PARTNER, ReviewStatus.SUGGESTED)


def test_bulk_decisions_decide_each_on_its_own(decide_client, suggestion, call_to_action):
    fresh = make_alignment(make_commitment(full_text=TEXT, ogp_id="TS0002"), ActionItem.objects.get(code=ITEM),
                           passage_start=0, passage_end=10)  # fmt: skip
    stale = {"commitment": fresh.commitment.ogp_id, "action_item": ITEM, "version": 7}
    body = {
        "decision": "reject",
        "rationale": "Uses digital tools; does not govern them.",
        "alignments": [
            {"commitment": "TS0001", "action_item": ITEM, "version": 1},
            stale,
            {"commitment": "NO0000", "action_item": ITEM, "version": 1},
        ],
    }

    response = post(decide_client, BULK, body)

    assert response.status_code == 200
    assert [row["commitment"] for row in response.json()["decided"]] == ["TS0001"]
    assert sorted(row["commitment"] for row in response.json()["refused"]) == ["NO0000", "TS0002"]
    assert set(ReviewEvent.objects.values_list("origin", flat=True)) == {Origin.PARTNER}
    assert Alignment.objects.get(pk=fresh.pk).status == ReviewStatus.SUGGESTED


def test_bulk_decisions_refuse_an_empty_list(decide_client, suggestion):
    response = post(decide_client, BULK, {"decision": "reject", "rationale": "x", "alignments": []})
    assert response.status_code == 400 and "alignments" in response.json()["fields"]


def test_a_partner_account_in_a_session_is_still_recorded_as_the_partner(partner, suggestion):
    client = Client()
    client.force_login(partner)
    assert post(client, URL, decision(suggestion)).status_code == 201
    assert ReviewEvent.objects.get(alignment=suggestion).origin == Origin.PARTNER


@pytest.mark.parametrize(
    "body",
    [
        [],
        "confirm",
        {"commitment": ["TS0001"], "action_item": ITEM, "version": 1, "decision": "confirm", "rationale": "x"},
        {"commitment": "TS0001", "action_item": ITEM, "version": -1, "decision": "confirm", "rationale": "x"},
        {"commitment": "TS0001", "action_item": ITEM, "version": 1, "decision": "confirm", "rationale": "x",
         "passage_start": 2**70, "passage_end": 2**71},
        {"commitment": "TS0001", "action_item": ITEM, "version": 1, "decision": "confirm", "rationale": "x",
         "passage_start": 30, "passage_end": 10},
        {"commitment": "TS0001" * 10, "action_item": ITEM, "version": 1, "decision": "confirm", "rationale": "x"},
    ],
)  # fmt: skip
def test_junk_answers_a_4xx_in_the_shared_shape_never_a_server_error(decide_client, suggestion, body):
    response = decide_client.post(URL, json.dumps(body), content_type="application/json")
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "fields"}
    assert not ReviewEvent.objects.exists()
