import pytest

from commitments.models import Alignment, Commitment, ReviewStatus
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment

TEXT = "Publish the budget. Adopt a personal data protection law with an independent authority."


def _suggestions(count: int) -> list[Alignment]:
    item = ActionItem.objects.get(code="cta2019-digital-democracy-2")
    plan = make_action_plan()
    return [
        make_alignment(make_commitment(plan, full_text=TEXT), item, passage_start=20, passage_end=len(TEXT))
        for _ in range(count)
    ]


@pytest.mark.django_db
def test_the_support_unit_confirms_selected_alignments_with_one_rationale(
    support_client, support_officer, call_to_action
):
    alignments = _suggestions(2)
    response = support_client.post(
        "/admin/commitments/alignment/",
        {
            "action": "confirm_selected",
            "_selected_action": [a.pk for a in alignments],
            "rationale": "Both create data protection law.",
        },
    )
    assert response.status_code == 302
    for alignment in alignments:
        alignment.refresh_from_db()
        assert (alignment.status, alignment.decided_by) == (ReviewStatus.CONFIRMED, support_officer)
        assert alignment.history.get().rationale == "Both create data protection law."


@pytest.mark.django_db
def test_an_admin_decision_without_a_rationale_is_refused_row_by_row(support_client, call_to_action):
    (alignment,) = _suggestions(1)
    response = support_client.post(
        "/admin/commitments/alignment/",
        {"action": "reject_selected", "_selected_action": [alignment.pk], "rationale": ""},
        follow=True,
    )
    assert "Not rejected" in response.content.decode()
    alignment.refresh_from_db()
    assert alignment.status == ReviewStatus.SUGGESTED


@pytest.mark.django_db
def test_reviewers_and_visitors_cannot_use_the_admin_actions(reviewer_client, visitor_client, call_to_action):
    (alignment,) = _suggestions(1)
    for client in (reviewer_client, visitor_client):
        response = client.post(
            "/admin/commitments/alignment/",
            {"action": "reject_selected", "_selected_action": [alignment.pk], "rationale": "No."},
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    alignment.refresh_from_db()
    assert alignment.status == ReviewStatus.SUGGESTED


@pytest.mark.django_db
def test_changing_a_commitments_text_in_the_admin_refreshes_its_suggestions(
    support_client, call_to_action, django_capture_on_commit_callbacks
):
    commitment = make_commitment(full_text="Publish the budget.")
    data = {
        "ogp_id": commitment.ogp_id,
        "action_plan": commitment.action_plan_id,
        "member": commitment.member_id,
        "number": commitment.number,
        "title": commitment.title,
        "full_text": TEXT,
        **{
            field.name: getattr(commitment, field.name)
            for field in Commitment._meta.concrete_fields
            if field.choices and not field.name.endswith("_precision")
        },
        "extra": "{}",
        "policy_area_values-TOTAL_FORMS": "0",
        "policy_area_values-INITIAL_FORMS": "0",
        "alignments-TOTAL_FORMS": "0",
        "alignments-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = support_client.post(f"/admin/commitments/commitment/{commitment.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(callbacks) == 1
    assert Alignment.objects.get(commitment=commitment).action_item.code == "cta2019-digital-democracy-2"
