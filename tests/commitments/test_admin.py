"""Admin pages for score recomputes: who may see runs and start one, and edits that mark members."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from commitments.models import Alignment, Commitment, PendingRecompute, RecomputeRun, ReviewStatus, Score
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

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
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(f"/admin/commitments/commitment/{commitment.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Alignment.objects.get(commitment=commitment).action_item.code == "cta2019-digital-democracy-2"


RUNS = "/admin/commitments/recomputerun/"
RECOMPUTE = "/admin/commitments/recomputerun/start/"


@pytest.fixture
def staff_without_recompute_client(db):
    user = User.objects.create_user("stan.staff", "stan@example.org", "a-long-staff-password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_member"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_support_officer_sees_recompute_runs_and_starts_a_full_recompute(
    support_client, support_officer, call_to_action, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(RECOMPUTE)

    assert response.status_code == 302
    run = RecomputeRun.objects.get()
    assert (run.kind, run.status, run.requested_by, run.members_total) == ("full", "done", support_officer, 5)
    page = support_client.get(RUNS)
    assert page.status_code == 200
    assert b"Recompute scores" in page.content
    assert b"Full recompute" in page.content


@pytest.mark.django_db
def test_runs_are_read_only_even_for_the_support_unit(support_client, call_to_action):
    run = RecomputeRun.objects.create(kind="full", methodology_version="v1")

    assert support_client.get(f"{RUNS}add/").status_code == 403
    assert support_client.post(f"{RUNS}{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RecomputeRun.objects.filter(pk=run.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous_client", "visitor_client", "reviewer_client"])
def test_people_who_are_not_staff_are_sent_to_log_in(persona, request):
    client = request.getfixturevalue(persona)
    member = make_member()
    action = {"action": "recompute_scores", "_selected_action": [member.pk]}

    for response in (client.get(RUNS), client.post(RECOMPUTE), client.post("/admin/commitments/member/", action)):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert not RecomputeRun.objects.exists()
    assert not PendingRecompute.objects.exists()


@pytest.mark.django_db
def test_staff_without_the_recompute_permission_can_neither_see_runs_nor_start_one(staff_without_recompute_client):
    assert staff_without_recompute_client.get(RUNS).status_code == 403
    assert staff_without_recompute_client.post(RECOMPUTE).status_code == 403
    assert not RecomputeRun.objects.exists()


@pytest.mark.django_db
def test_the_member_action_marks_the_selected_members_for_recompute(support_client, call_to_action):
    member = make_member()

    response = support_client.post(
        "/admin/commitments/member/", {"action": "recompute_scores", "_selected_action": [member.pk]}
    )

    assert response.status_code == 302
    assert PendingRecompute.objects.filter(member=member).exists()


@pytest.mark.django_db
def test_the_member_action_is_not_offered_without_the_recompute_permission(staff_without_recompute_client):
    member = make_member()

    response = staff_without_recompute_client.post(
        "/admin/commitments/member/", {"action": "recompute_scores", "_selected_action": [member.pk]}
    )

    assert not PendingRecompute.objects.filter(member=member).exists()
    assert response.status_code == 200  # the changelist again, saying no such action was chosen


@pytest.mark.django_db
def test_withdrawing_a_confirmed_alignment_in_the_admin_recomputes_the_member_and_keeps_it(
    support_client, call_to_action, django_capture_on_commit_callbacks
):
    member = make_member()
    commitment = make_commitment(make_action_plan(member), potential_impact="transformative")
    item = ActionItem.objects.get(code="cta2019-civic-space-2")
    alignment = make_alignment(commitment, item, ReviewStatus.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        support_client.post(
            "/admin/commitments/member/", {"action": "recompute_scores", "_selected_action": [member.pk]}
        )
    assert Score.objects.get(member=member, era=item.era).value == Decimal("29.17")

    refused = support_client.post(f"/admin/commitments/alignment/{alignment.pk}/delete/", {"post": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(
            "/admin/commitments/alignment/",
            {"action": "withdraw_selected", "_selected_action": [alignment.pk], "rationale": "Tagged in error."},
        )

    assert refused.status_code == 403  # a confirmation is withdrawn, never deleted
    assert response.status_code == 302
    alignment.refresh_from_db()
    assert alignment.status == ReviewStatus.WITHDRAWN
    assert list(alignment.history.values_list("to_status", "rationale")) == [("withdrawn", "Tagged in error.")]
    assert Score.objects.get(member=member, era=item.era).value == Decimal("0.00")
    assert not PendingRecompute.objects.exists()


@pytest.mark.django_db
def test_staff_without_the_snapshot_permission_may_not_start_a_snapshot(staff_without_recompute_client):
    from partners.models import Snapshot

    assert staff_without_recompute_client.get("/admin/partners/snapshot/").status_code == 403
    refused = staff_without_recompute_client.post("/admin/partners/snapshot/start/")
    assert refused.status_code == 403 and b"You may not build snapshots." in refused.content
    assert not Snapshot.objects.exists()


def test_a_view_only_admin_admits_nobody_unless_it_says_whom(rf):
    from django.contrib.admin.sites import AdminSite

    from commitments.admin.base import ViewOnlyAdmin
    from commitments.models import RecomputeRun

    class Unsaid(ViewOnlyAdmin):
        pass

    request = rf.get("/admin/")
    request.user = User(is_staff=True, is_superuser=True, is_active=True)
    unsaid = Unsaid(RecomputeRun, AdminSite())
    assert not unsaid.has_module_permission(request) and not unsaid.has_view_permission(request)
    assert not unsaid.has_add_permission(request) and not unsaid.has_change_permission(request)
    assert not unsaid.has_delete_permission(request)
