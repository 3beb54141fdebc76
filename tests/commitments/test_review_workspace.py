from typing import Any

import pytest
from django.test import Client

from commitments.models import Alignment, DisagreementFlag, Origin, ProcessEvidence, ReviewStatus
from commitments.reviews import confirm_alignment, edit_alignment
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

TEXT = "Publish the budget. Adopt a personal data protection law with an independent authority."
DIGITAL_RIGHTS = "cta2019-digital-democracy-2"
ALGORITHMS = "cta2019-digital-democracy-3"
CIVIC = "cta2019-civic-space-2"


def suggest(code: str = DIGITAL_RIGHTS, **fields: Any) -> Alignment:
    values: dict[str, Any] = {"passage_start": 20, "passage_end": len(TEXT), "excerpt": TEXT[20:]}
    values.update(fields)
    commitment = values.pop("commitment", None) or make_commitment(full_text=TEXT)
    return make_alignment(commitment, ActionItem.objects.get(code=code), **values)


def process_item() -> ActionItem:
    return ActionItem.objects.filter(
        addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.PROCESS
    ).first()  # type: ignore[return-value]


# --- who may use the workspace ------------------------------------------------------------------

WORKSPACE = [
    ("get", "/review/"),
    ("post", "/review/bulk/"),
    ("get", "/review/{pk}/"),
    ("post", "/review/{pk}/flag/"),
    ("get", "/review/evidence/"),
    ("post", "/review/evidence/"),
    ("get", "/review/evidence/{evidence}/"),
    ("post", "/review/evidence/{evidence}/"),
]


@pytest.fixture
def targets(call_to_action, support_officer) -> dict[str, int]:
    alignment = suggest()
    confirm_alignment(alignment=alignment, user=support_officer, version=1, rationale="Yes.")
    evidence = ProcessEvidence.objects.create(
        member=make_member(), action_item=process_item(), description="A forum.", origin=Origin.REVIEWER
    )
    return {"pk": alignment.pk, "evidence": evidence.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), WORKSPACE)
def test_anonymous_visitors_are_sent_to_log_in_and_write_nothing(anonymous_client, targets, method, path):
    response = getattr(anonymous_client, method)(path.format(**targets), {"rationale": "x", "reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not DisagreementFlag.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), WORKSPACE)
def test_logged_in_people_without_the_reviewer_role_are_forbidden(visitor_client, targets, method, path):
    data = {"rationale": "x", "reason": "x", "version": 2, "selected": [f"{targets['pk']}:2"], "decision": "rejected"}
    response = getattr(visitor_client, method)(path.format(**targets), data)
    assert response.status_code == 403
    assert not DisagreementFlag.objects.exists()
    assert Alignment.objects.get(pk=targets["pk"]).status == ReviewStatus.CONFIRMED


# --- logging in -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "next_path", "lands_on"),
    [
        ("reviewer", "", "/review/"),
        ("reviewer", "/", "/review/"),
        ("reviewer", "/members/", "/members/"),
        ("reviewer", "https://elsewhere.example/", "/review/"),
        ("visitor", "", "/"),
    ],
)
def test_logging_in_takes_a_reviewer_to_the_queue(request, who, next_path, lands_on):
    user = request.getfixturevalue(who)
    password = {"reviewer": "a-long-reviewer-password", "visitor": "a-long-visitor-password"}[who]
    url = "/accounts/login/" + (f"?next={next_path}" if next_path else "")
    response = Client().post(url, {"username": user.username, "password": password})
    assert response.status_code == 302
    assert response["Location"] == lands_on


# --- the queue --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_queue_filters_by_action_item_and_origin(reviewer_client, call_to_action):
    suggest(DIGITAL_RIGHTS, origin=Origin.CLASSIFIER)
    suggest(ALGORITHMS, origin=Origin.PARTNER)
    suggest(CIVIC, origin=Origin.CLASSIFIER)

    def codes(query: str) -> list[str]:
        response = reviewer_client.get("/review/?" + query)
        return sorted(row["alignment"].action_item.code for row in response.context["rows"])

    assert codes(f"item={ALGORITHMS}") == [ALGORITHMS]
    assert codes("origin=classifier") == [CIVIC, DIGITAL_RIGHTS]
    assert codes("origin=partner&item=" + DIGITAL_RIGHTS) == []


@pytest.mark.django_db
def test_the_queue_highlights_the_passage_in_its_context(reviewer_client, call_to_action):
    suggest()
    page = reviewer_client.get("/review/").content.decode()
    assert f"Publish the budget. <mark>{TEXT[20:]}</mark>" in page


# --- bulk decisions -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bulk_decision_applies_one_rationale_and_reports_the_stale_ones(
    reviewer_client, reviewer, support_officer, call_to_action
):
    first, second, moved = suggest(), suggest(), suggest()
    edit_alignment(
        alignment=moved, user=support_officer, version=1, rationale="Narrower.", passage_start=0, passage_end=10
    )

    response = reviewer_client.post(
        "/review/bulk/",
        {
            "selected": [f"{first.pk}:1", f"{second.pk}:1", f"{moved.pk}:1"],
            "decision": "confirmed",
            "rationale": "Data protection law.",
            "era": "digital-democracy",
        },
        follow=True,
    )

    assert response.redirect_chain[0][0] == "/review/?era=digital-democracy"
    page = response.content.decode()
    assert "2 confirmed" in page
    assert f"Not decided: alignment {moved.pk}. Someone else changed this since you opened it" in page
    for row in (first, second):
        row.refresh_from_db()
        assert (row.status, row.rationale, row.decided_by) == ("confirmed", "Data protection law.", reviewer)
    moved.refresh_from_db()
    assert (moved.status, moved.version) == ("suggested", 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"selected": ["1:x"], "decision": "confirmed", "rationale": "Yes."}, "The selection could not be read"),
        ({"decision": "confirmed", "rationale": "Yes."}, "Select at least one suggestion."),
        ({"selected": ["{pk}:1"], "decision": "confirmed", "rationale": ""}, "This field is required."),
        ({"selected": ["{pk}:1"], "decision": "withdrawn", "rationale": "No."}, "Select a valid choice."),
    ],
)
def test_a_bulk_decision_that_cannot_be_read_changes_nothing(reviewer_client, call_to_action, data, message):
    alignment = suggest()
    if "selected" in data:
        data = {**data, "selected": [value.format(pk=alignment.pk) for value in data["selected"]]}
    response = reviewer_client.post("/review/bulk/", data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    alignment.refresh_from_db()
    assert (alignment.status, alignment.version) == ("suggested", 1)


# --- the conflict answer --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_conflict_answer_shows_what_changed_and_allows_a_second_decision(
    reviewer_client, support_officer, call_to_action
):
    alignment = suggest()
    edit_alignment(alignment=alignment, user=support_officer, version=1, rationale="Only the authority.",
                   passage_start=28, passage_end=len(TEXT))  # fmt: skip

    seen = {"decision": "reject", "rationale": "A budget, not rights.", "passage_start": 20, "passage_end": len(TEXT)}
    stale = reviewer_client.post(f"/review/{alignment.pk}/", {**seen, "version": 1})

    assert stale.status_code == 409
    page = stale.content.decode()
    assert "What changed since you opened it" in page
    assert "You decided on version 1; it is now version 2." in page
    changes = page[page.index('<section class="conflict"') : page.index("</section>")]
    assert "sam.support" in changes and "Only the authority." in changes and TEXT[28:] in changes
    assert "A budget, not rights." in page

    assert stale.context["form"]["passage_start"].value() == 28  # the current passage, not the one they saw
    again = reviewer_client.post(f"/review/{alignment.pk}/", {**seen, "version": 2, "passage_start": 28})
    assert again.status_code == 302
    alignment.refresh_from_db()
    assert (alignment.status, alignment.version) == ("rejected", 3)


# --- disagreement flags ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reviewer_flags_another_reviewers_decision_for_the_support_unit(
    reviewer_client, reviewer, support_officer, call_to_action
):
    alignment = suggest()
    confirm_alignment(alignment=alignment, user=support_officer, version=1, rationale="Yes.")
    assert "Flag a disagreement" in reviewer_client.get(f"/review/{alignment.pk}/").content.decode()

    response = reviewer_client.post(f"/review/{alignment.pk}/flag/", {"version": 2, "reason": "It is a budget item."})

    assert response.status_code == 302
    flag = DisagreementFlag.objects.get()
    assert (flag.alignment, flag.raised_by, flag.decided_by, flag.alignment_version, flag.status) == (
        alignment, reviewer, support_officer, 2, "open"
    )  # fmt: skip
    again = reviewer_client.post(f"/review/{alignment.pk}/flag/", {"version": 2, "reason": "Again."})
    assert "You already flagged this decision" in again.content.decode()
    assert DisagreementFlag.objects.count() == 1


@pytest.mark.django_db
def test_a_flag_on_a_decision_that_changed_meanwhile_is_a_conflict(reviewer_client, support_officer, call_to_action):
    alignment = suggest()
    confirm_alignment(alignment=alignment, user=support_officer, version=1, rationale="Yes.")
    response = reviewer_client.post(f"/review/{alignment.pk}/flag/", {"version": 1, "reason": "No."})
    assert response.status_code == 409
    assert not DisagreementFlag.objects.exists()


@pytest.mark.django_db
def test_nobody_flags_a_suggestion_or_their_own_decision(reviewer_client, reviewer, call_to_action):
    suggestion = suggest()
    assert reviewer_client.post(f"/review/{suggestion.pk}/flag/", {"version": 1, "reason": "No."}).status_code == 403
    own = suggest()
    confirm_alignment(alignment=own, user=reviewer, version=1, rationale="Yes.")
    assert "Flag a disagreement" not in reviewer_client.get(f"/review/{own.pk}/").content.decode()
    assert reviewer_client.post(f"/review/{own.pk}/flag/", {"version": 2, "reason": "No."}).status_code == 403
    assert not DisagreementFlag.objects.exists()


@pytest.mark.django_db
def test_the_support_unit_resolves_flags_in_the_admin_and_reviewers_cannot(
    reviewer, support_officer, support_client, reviewer_client, call_to_action
):
    from commitments.flags import flag_disagreement

    alignment = suggest()
    confirm_alignment(alignment=alignment, user=support_officer, version=1, rationale="Yes.")
    flag = flag_disagreement(alignment=alignment, user=reviewer, version=2, reason="A budget item.")

    assert reviewer_client.get("/admin/commitments/disagreementflag/")["Location"].startswith("/admin/login/")
    reviewer.is_staff = True  # even with the admin open to them, a reviewer does not see the flags
    reviewer.save()
    assert reviewer_client.get("/admin/commitments/disagreementflag/").status_code == 403
    listing = support_client.get("/admin/commitments/disagreementflag/")
    assert listing.status_code == 200 and "A budget item." not in listing.content.decode()  # the list shows subjects
    assert support_client.get(f"/admin/commitments/disagreementflag/{flag.pk}/change/").status_code == 200

    empty = support_client.post(
        "/admin/commitments/disagreementflag/",
        {"action": "resolve_selected", "_selected_action": [flag.pk], "resolution": ""},
        follow=True,
    )
    assert "Say how the disagreement was resolved." in empty.content.decode()
    support_client.post(
        "/admin/commitments/disagreementflag/",
        {"action": "resolve_selected", "_selected_action": [flag.pk], "resolution": "Kept: the law is the point."},
    )
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by, flag.resolution) == (
        "resolved",
        support_officer,
        "Kept: the law is the point.",
    )
    assert flag.resolved_at is not None


# --- process evidence -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reviewer_enters_process_evidence_with_its_source_and_another_decides_it(
    reviewer_client, reviewer, support_client, support_officer, call_to_action
):
    member = make_member(name="Forumland")
    plan = make_action_plan(member)
    item = process_item()
    missing_source = reviewer_client.post(
        "/review/evidence/", {"member": member.pk, "action_item": item.pk, "description": "A forum met monthly."}
    )
    assert missing_source.status_code == 200 and not ProcessEvidence.objects.exists()

    response = reviewer_client.post(
        "/review/evidence/",
        {
            "member": member.pk,
            "action_item": item.pk,
            "action_plan": plan.pk,
            "description": "A multi-stakeholder forum met monthly.",
            "source_url": "https://example.org/forum-minutes",
        },
    )
    evidence = ProcessEvidence.objects.get()
    assert response["Location"] == f"/review/evidence/{evidence.pk}/"
    assert (evidence.status, evidence.source_url, evidence.action_plan) == (
        "suggested", "https://example.org/forum-minutes", plan
    )  # fmt: skip
    assert "Forumland" in reviewer_client.get("/review/evidence/").content.decode()

    decided = support_client.post(
        f"/review/evidence/{evidence.pk}/", {"decision": "confirmed", "rationale": "Minutes show it.", "version": 1}
    )
    assert decided.status_code == 302
    stale = reviewer_client.post(
        f"/review/evidence/{evidence.pk}/", {"decision": "rejected", "rationale": "No.", "version": 1}
    )
    assert stale.status_code == 409
    evidence.refresh_from_db()
    assert (evidence.status, evidence.decided_by, evidence.version) == ("confirmed", support_officer, 2)
    assert list(evidence.history.values_list("to_status", flat=True)) == ["suggested", "confirmed"]


@pytest.mark.django_db
def test_process_evidence_cannot_be_entered_for_a_commitment_item(reviewer_client, call_to_action):
    member = make_member()
    response = reviewer_client.post(
        "/review/evidence/",
        {
            "member": member.pk,
            "action_item": ActionItem.objects.get(code=CIVIC).pk,
            "description": "Something.",
            "source_url": "https://example.org/",
        },
    )
    assert response.status_code == 200
    assert not ProcessEvidence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 12])
def test_the_workspace_lists_pin_their_query_count_whatever_their_length(
    reviewer_client, call_to_action, django_assert_num_queries, size
):
    member = make_member()
    for _ in range(size):
        suggest()
        ProcessEvidence.objects.create(
            member=member, action_item=process_item(), description="A forum.", origin=Origin.REVIEWER
        )
    # session, user, user permissions, group permissions, count, page of alignments, eras, action items
    with django_assert_num_queries(8):
        assert reviewer_client.get("/review/").status_code == 200
    # session, user, user permissions, group permissions, count, page of evidence, members, process items, plans
    with django_assert_num_queries(9):
        assert reviewer_client.get("/review/evidence/").status_code == 200
