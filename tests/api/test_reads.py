"""Every resource answers, addressed by OGP ids and codes, with what a partner needs to read."""

import pytest

from tests.api.conftest import detail_urls, list_urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", list_urls())
def test_every_list_answers_json(api, catalogue, url):
    response = api.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body if isinstance(body, list) else body["results"]


def test_every_detail_and_nested_route_answers(api, catalogue):
    for url in detail_urls(catalogue):
        assert api.get(url).status_code == 200, url


def test_the_api_root_lists_the_resources(api, db):
    body = api.get("/api/v1/").json()
    assert {"members", "commitments", "alignments", "scores", "methodologies"} <= set(body)


def test_a_commitment_shows_its_assessment_with_states_and_policy_areas(api, catalogue):
    first, second = catalogue.commitments[:2]
    body = api.get(f"/api/v1/commitments/{first.ogp_id}/").json()
    assert body["member"] == first.member.code and body["action_plan"] == first.action_plan.ogp_id
    assert body["assessment"]["potential_impact"] == {
        "value": "transformative",
        "label": "Transformative",
        "state": "value",
    }
    assert body["assessment"]["completion_end_of_term"] == {"value": "nr", "label": "NR", "state": "nr"}
    assert body["assessment"]["specificity"]["state"] == "nd"
    assert "id" not in body and "pk" not in body
    tagged = api.get(f"/api/v1/commitments/{second.ogp_id}/").json()
    assert tagged["policy_areas"] == [{"slug": "open-contracting", "name": "Open Contracting", "value": "yes"}]


def test_an_alignment_carries_its_review_history(api, catalogue):
    commitment = catalogue.commitments[0]
    body = api.get(f"/api/v1/alignments/{commitment.ogp_id}.{catalogue.item.code}/").json()
    assert body["status"] == "confirmed" and body["version"] == 1
    assert [event["to_status"] for event in body["history"]] == ["suggested", "confirmed"]
    nested = api.get(f"/api/v1/commitments/{commitment.ogp_id}/alignments/").json()
    assert nested[0]["action_item"] == catalogue.item.code and len(nested[0]["history"]) == 2


def test_a_meeting_carries_attendance_agenda_and_next_steps(api, catalogue):
    body = api.get(f"/api/v1/meetings/{catalogue.meeting.slug}/").json()
    assert body["attendance"][0]["government"] == "Government of Testland"
    assert body["agenda"][0]["points"][0]["text"] == "Share the dashboard"
    assert body["next_steps"][0]["agenda_item"] == "I"


def test_member_scores_and_history_are_nested_under_the_member(api, catalogue):
    member = catalogue.members[0]
    scores = api.get(f"/api/v1/members/{member.code.lower()}/scores/").json()
    assert {score["era"] for score in scores} == {catalogue.item.era.key, None}
    assert scores[0]["components"] == {catalogue.item.code: {"strength": 0.8}}
    history = api.get(f"/api/v1/members/{member.code}/scores/history/?era={catalogue.item.era.key}").json()
    assert [entry["value"] for entry in history] == ["62.50"]


def test_comparison_takes_up_to_four_members_in_the_order_asked(api, catalogue):
    first, second = catalogue.members
    body = api.get(f"/api/v1/compare/?members={second.code},{first.code}").json()
    assert [entry["member"]["code"] for entry in body["members"]] == [second.code, first.code]
    too_many = api.get("/api/v1/compare/?members=A,B,C,D,E")
    assert too_many.status_code == 400 and too_many.json()["code"] == "invalid"
    assert "members" in too_many.json()["fields"]
    unknown = api.get(f"/api/v1/compare/?members={first.code},NOPE")
    assert unknown.status_code == 400 and "NOPE" in unknown.json()["fields"]["members"][0]


def test_methodologies_show_their_weights(api, db):
    body = api.get("/api/v1/methodologies/v1/").json()
    assert body["current"] is True and body["potential_impact"]["transformative"] == 1.0
    assert api.get("/api/v1/methodologies/v9/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/api/v1/members/NOPE/", "/api/v1/commitments/XX9999/", "/api/v1/alignments/XX1.nothing/", "/api/v1/eras/a.b/"],
)
def test_unknown_objects_answer_not_found_in_the_error_shape(api, db, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": response.json()["message"], "fields": {}}


def test_a_bad_filter_names_its_field(api, db):
    response = api.get("/api/v1/commitments/?updated_since=yesterday")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["updated_since"]


def test_an_unknown_path_answers_in_the_error_shape(api, db):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_serializers_written_directly_equal_their_declared_fields(catalogue):
    """Members, commitments and scores are written without REST framework's field machinery, for speed;
    the schema comes from the declared fields, so the two must agree."""
    from commitments import queries
    from commitments.api import serializers as s

    cases: list[tuple[type, object]] = [
        (s.MemberSerializer, queries.with_group_slugs(list(queries.api_members()))),
        (s.CommitmentSerializer, queries.with_policy_areas(list(queries.api_commitments()))),
        (s.ScoreSerializer, queries.api_scores()),
    ]
    for serializer_class, rows in cases:
        for row in rows:  # type: ignore[attr-defined]
            serializer = serializer_class(row)
            direct = serializer.to_representation(row)
            declared = super(serializer_class, serializer).to_representation(row)  # type: ignore[arg-type]
            assert direct == dict(declared), serializer_class.__name__
            assert list(direct) == list(declared)
