"""Admin pages for score recomputes: who may see runs and start one, and edits that mark members."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from commitments.models import Member, PendingRecompute, RecomputeRun, ReviewStatus, Score
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

RUNS = "/admin/commitments/recomputerun/"
RECOMPUTE = "/admin/commitments/recomputerun/recompute/"


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
def test_deleting_a_confirmed_alignment_in_the_admin_recomputes_the_member(
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

    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(f"/admin/commitments/alignment/{alignment.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert Score.objects.get(member=member, era=item.era).value == Decimal("0.00")
    assert not PendingRecompute.objects.exists()
    assert Member.objects.filter(pk=member.pk).exists()
