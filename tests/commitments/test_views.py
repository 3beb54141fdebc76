import pytest
from django.test import Client

from commitments.models import Alignment, ReviewStatus
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

TEXT = "Publish the budget. Adopt a personal data protection law with an independent authority."
DIGITAL_RIGHTS = "cta2019-digital-democracy-2"


@pytest.fixture
def suggestion(call_to_action) -> Alignment:
    return make_alignment(
        make_commitment(full_text=TEXT),
        ActionItem.objects.get(code="cta2019-digital-democracy-2"),
        passage_start=20,
        passage_end=len(TEXT),
        excerpt=TEXT[20:],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/review/", "/review/1/"])
def test_anonymous_visitors_are_sent_to_log_in(anonymous_client, path):
    response = anonymous_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_logged_in_visitor_without_a_role_is_forbidden(visitor_client, suggestion):
    assert visitor_client.get("/review/").status_code == 403
    assert visitor_client.get(f"/review/{suggestion.pk}/").status_code == 403
    response = visitor_client.post(f"/review/{suggestion.pk}/", {"decision": "reject", "rationale": "No."})
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == ReviewStatus.SUGGESTED


@pytest.mark.django_db
def test_the_queue_lists_suggestions_most_confident_first_with_a_pinned_query_count(
    reviewer_client, call_to_action, django_assert_num_queries
):
    item = ActionItem.objects.get(code="cta2019-civic-space-2")
    plan = make_action_plan()
    for confidence in (0.55, 0.9, 0.7):
        make_alignment(make_commitment(plan, title=f"Commitment at {confidence}"), item, confidence=confidence)
    make_alignment(make_commitment(plan, title="Already decided"), item, status=ReviewStatus.CONFIRMED)
    # session, user, user permissions, group permissions, count, page of alignments, eras, action items
    with django_assert_num_queries(8):
        response = reviewer_client.get("/review/")
    assert response.status_code == 200
    titles = [alignment.commitment.title for alignment in response.context["page"]]
    assert titles == ["Commitment at 0.9", "Commitment at 0.7", "Commitment at 0.55"]


@pytest.mark.django_db
def test_the_queue_filters_by_era_and_member_and_paginates(reviewer_client, call_to_action):
    civic = ActionItem.objects.get(code="cta2019-civic-space-2")
    gender = ActionItem.objects.get(code="cta2019-gender-inclusion-2")
    alb = make_action_plan(make_member(code="ALB"))
    other = make_action_plan()
    for n in range(30):
        make_alignment(make_commitment(alb, title=f"ALB {n}"), civic)
    make_alignment(make_commitment(other, title="Other member"), civic)
    make_alignment(make_commitment(alb, title="Gender one"), gender)

    first = reviewer_client.get("/review/?era=civic-space&member=alb")
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"]) == 25
    second = reviewer_client.get("/review/?era=civic-space&member=ALB&page=2")
    assert len(second.context["page"]) == 5
    gender_page = reviewer_client.get("/review/?era=gender-inclusion")
    assert [a.commitment.title for a in gender_page.context["page"]] == ["Gender one"]


@pytest.mark.django_db
def test_the_review_page_highlights_the_passage(reviewer_client, suggestion):
    response = reviewer_client.get(f"/review/{suggestion.pk}/")
    assert response.status_code == 200
    assert "Publish the budget. <mark>Adopt a personal data protection law" in response.content.decode()


@pytest.mark.django_db
def test_a_reviewer_rejects_a_suggestion_from_the_page(reviewer_client, reviewer, suggestion):
    response = reviewer_client.post(
        f"/review/{suggestion.pk}/",
        {"decision": "reject", "rationale": "Only a portal.", "passage_start": "", "passage_end": "", "version": 1},
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by, suggestion.rationale) == ("rejected", reviewer, "Only a portal.")


@pytest.mark.django_db
def test_a_passage_outside_the_text_is_shown_as_a_form_error(reviewer_client, suggestion):
    response = reviewer_client.post(
        f"/review/{suggestion.pk}/",
        {"decision": "confirm", "rationale": "Yes.", "passage_start": "3", "passage_end": "5000", "version": 1},
    )
    assert response.status_code == 200
    assert "must lie within the text" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == ReviewStatus.SUGGESTED


@pytest.mark.django_db
def test_decisions_need_a_csrf_token(reviewer, suggestion):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(f"/review/{suggestion.pk}/", {"decision": "reject", "rationale": "No."})
    assert response.status_code == 403


@pytest.mark.django_db
def test_only_reviewers_can_add_an_alignment_by_hand(anonymous_client, visitor_client, call_to_action):
    commitment = make_commitment(ogp_id="AL0002", full_text=TEXT)
    assert anonymous_client.get("/review/commitment/AL0002/add/")["Location"].startswith("/accounts/login/")
    assert visitor_client.get("/review/commitment/AL0002/add/").status_code == 403
    assert not commitment.alignments.exists()


@pytest.mark.django_db
def test_a_reviewer_adds_an_alignment_the_suggester_missed(reviewer_client, reviewer, call_to_action):
    commitment = make_commitment(ogp_id="AL0002", full_text=TEXT)
    item = ActionItem.objects.get(code="cta2019-digital-democracy-2")
    assert reviewer_client.get("/review/commitment/AL0002/add/").status_code == 200
    response = reviewer_client.post(
        "/review/commitment/AL0002/add/",
        {"action_item": item.pk, "rationale": "Data protection law.", "passage_start": 20, "passage_end": len(TEXT)},
    )
    alignment = commitment.alignments.get()
    assert response["Location"] == f"/review/{alignment.pk}/"
    assert (alignment.status, alignment.origin, alignment.decided_by) == ("confirmed", "reviewer", reviewer)


@pytest.mark.django_db
def test_a_decision_made_on_a_page_someone_else_changed_meanwhile_is_refused_with_a_conflict(
    reviewer_client, support_client, call_to_action
):
    suggestion = make_alignment(make_commitment(full_text=TEXT), ActionItem.objects.get(code=DIGITAL_RIGHTS))
    page_a = reviewer_client.get(f"/review/{suggestion.pk}/")
    assert 'name="version" value="1"' in page_a.content.decode()
    algorithms = ActionItem.objects.get(code="cta2019-digital-democracy-3")
    moved = support_client.post(
        f"/review/{suggestion.pk}/",
        {"decision": "edit", "rationale": "About algorithms.", "action_item": algorithms.pk, "version": 1},
    )
    assert moved.status_code == 302

    # Reviewer A confirms from the page they opened before the move.
    response = reviewer_client.post(
        f"/review/{suggestion.pk}/",
        {"decision": "confirm", "rationale": "Data rights.", "passage_start": 0, "passage_end": 10, "version": 1},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this since you opened it" in page
    assert 'name="version" value="2"' in page  # the form now carries the state shown, for a deliberate retry
    assert "Data rights." in page  # the reviewer's words are kept
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.action_item, suggestion.version) == ("suggested", algorithms, 2)
    assert list(suggestion.history.values_list("to_status", "rationale")) == [("suggested", "About algorithms.")]
