"""Edits to the catalogue and frameworks go through `commitments.editing`, whatever the door: each is recorded,
and marks in its own transaction the work that must follow. Deletions keep every review event."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from commitments.editing import delete_row, save_row
from commitments.models import (
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    EditRecord,
    Member,
    PendingRecompute,
    PendingSuggestion,
    PolicyArea,
    PolicyAreaCrosswalk,
    ProcessEvidence,
    RecomputeRun,
    ReviewEvent,
    ReviewStatus,
)
from commitments.reviews import add_process_evidence, reject_alignment
from commitments.suggestions.suggest import suggest_alignments
from resolutions.models import ActionItem, Era, Resolution
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

SPANISH = (
    "El Ministerio elaborará con la sociedad civil una ley de protección de datos personales y creará una "
    "autoridad independiente para los ciudadanos."
)
PRIVACY = "Adopt a personal data protection law with an independent authority, after consulting civil society."


def pending_members() -> set[int]:
    return set(PendingRecompute.objects.values_list("member_id", flat=True))


def pending_commitments() -> set[int]:
    return set(PendingSuggestion.objects.values_list("commitment_id", flat=True))


def clear_markers() -> None:
    PendingRecompute.objects.all().delete()
    PendingSuggestion.objects.all().delete()


@pytest.mark.django_db
def test_a_changed_text_is_suggested_again_and_a_changed_assessment_only_recomputes(call_to_action, support_officer):
    commitment = make_commitment(full_text="Publish the budget.")
    clear_markers()

    commitment.potential_impact = "transformative"
    save_row(obj=commitment, actor=support_officer, door=EditRecord.Door.ADMIN)
    assert (pending_members(), pending_commitments()) == ({commitment.member_id}, set())

    clear_markers()
    commitment.full_text = SPANISH
    save_row(obj=commitment, actor=support_officer, door=EditRecord.Door.API)
    assert (pending_members(), pending_commitments()) == ({commitment.member_id}, {commitment.pk})
    assert Commitment.objects.get(pk=commitment.pk).language == "es"

    record = EditRecord.objects.filter(object_pk=str(commitment.pk)).first()
    assert record is not None
    assert (record.action, record.door, record.actor) == ("changed", "api", support_officer)
    assert record.changes["full_text"] == ["Publish the budget.", SPANISH]


@pytest.mark.django_db
def test_saving_without_a_change_records_and_marks_nothing(call_to_action, support_officer):
    commitment = make_commitment()
    clear_markers()
    save_row(obj=Commitment.objects.get(pk=commitment.pk), actor=support_officer, door=EditRecord.Door.ADMIN)
    assert not EditRecord.objects.exists()
    assert not pending_members()


@pytest.mark.django_db
def test_a_plan_moved_to_another_member_takes_its_commitments_and_evidence_and_both_are_recomputed(
    call_to_action, support_officer, reviewer
):
    old, new = make_member(), make_member()
    plan = make_action_plan(old)
    commitment = make_commitment(plan)
    evidence = add_process_evidence(
        member_id=old.pk,
        action_item=ActionItem.objects.get(code="cta2019-civic-space-1"),
        user=reviewer,
        description="The forum met.",
        action_plan_id=plan.pk,
    )
    clear_markers()

    plan.member = new
    save_row(obj=plan, actor=support_officer, door=EditRecord.Door.ADMIN)

    assert Commitment.objects.get(pk=commitment.pk).member == new
    assert ProcessEvidence.objects.get(pk=evidence.pk).member == new
    assert pending_members() == {old.pk, new.pk}


@pytest.mark.django_db
def test_a_commitment_always_belongs_to_its_plans_member(call_to_action, support_officer):
    commitment = make_commitment()
    other_plan = make_action_plan(make_member())
    commitment.action_plan = other_plan
    save_row(obj=commitment, actor=support_officer, door=EditRecord.Door.ADMIN)
    assert Commitment.objects.get(pk=commitment.pk).member == other_plan.member


@pytest.mark.django_db
def test_tags_and_crosswalk_links_send_the_commitments_they_touch_back_to_the_suggester(
    call_to_action, support_officer
):
    tagged, untagged = make_commitment(), make_commitment()
    area = PolicyArea.objects.create(name="Data Stewardship and Privacy", slug="data-stewardship-and-privacy")
    clear_markers()
    save_row(
        obj=CommitmentPolicyArea(commitment=tagged, policy_area=area), actor=support_officer, door=EditRecord.Door.ADMIN
    )
    assert pending_commitments() == {tagged.pk}

    clear_markers()
    link = PolicyAreaCrosswalk(policy_area=area, era=Era.objects.get(key="digital-democracy"), weight=1)
    save_row(obj=link, actor=support_officer, door=EditRecord.Door.ADMIN)
    assert pending_commitments() == {tagged.pk}
    assert untagged.pk not in pending_commitments()


FRAMEWORK_EDITS: dict[str, Callable[[], object]] = {
    "an action item moved to another era": lambda: ActionItem.objects.get(code="cta2019-civic-space-2"),
    "an era renamed": lambda: Era.objects.get(key="civic-space"),
    "a resolution's adoption date": lambda: Resolution.objects.get(slug="call-to-action-2019"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("edit", FRAMEWORK_EDITS)
def test_a_framework_edit_queues_a_full_recompute_once_however_many_edits(edit, call_to_action, support_officer):
    import datetime

    obj = FRAMEWORK_EDITS[edit]()
    if isinstance(obj, ActionItem):
        obj.era = Era.objects.get(key="gender-inclusion")
    elif isinstance(obj, Era):
        obj.title = "Closing civic space"
    else:
        obj.adopted_on = datetime.date(2019, 6, 1)  # type: ignore[attr-defined]
    save_row(obj=obj, actor=support_officer, door=EditRecord.Door.ADMIN)  # type: ignore[arg-type]
    save_row(obj=obj, actor=support_officer, door=EditRecord.Door.ADMIN)  # type: ignore[arg-type]
    obj.order = 9  # type: ignore[attr-defined]
    save_row(obj=obj, actor=support_officer, door=EditRecord.Door.ADMIN)  # type: ignore[arg-type]

    runs = list(RecomputeRun.objects.values_list("kind", "status", "methodology_version"))
    assert runs == [("full", "queued", "v1")]


@pytest.mark.django_db
def test_a_framework_edit_in_the_admin_recomputes_every_score(
    support_client, call_to_action, django_capture_on_commit_callbacks
):
    member = make_member()
    commitment = make_commitment(make_action_plan(member), potential_impact="transformative")
    make_alignment(commitment, ActionItem.objects.get(code="cta2019-civic-space-2"), ReviewStatus.CONFIRMED)
    call_command("recompute_scores", sync=True)
    assert member.scores.get(era__key="civic-space").value == Decimal("29.17")

    item = ActionItem.objects.get(code="cta2019-civic-space-2")
    data = {
        "resolution": item.resolution_id,
        "era": Era.objects.get(key="gender-inclusion").pk,
        "code": item.code,
        "text": item.text,
        "short_title": item.short_title,
        "addressee": item.addressee,
        "evidence": item.evidence,
        "order": 9,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(f"/admin/resolutions/actionitem/{item.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    # The item now counts in the gender era (4 member items there), no longer in civic space.
    assert member.scores.get(era__key="civic-space").value == Decimal("0.00")
    assert member.scores.get(era__key="gender-inclusion").value == Decimal("21.88")  # 87.5 / 4 items


@pytest.mark.django_db
def test_loading_changed_frameworks_over_existing_scores_queues_a_full_recompute(call_to_action):
    make_member()
    call_command("recompute_scores", sync=True)
    call_command("load_frameworks")
    assert not RecomputeRun.objects.filter(status="queued").exists()  # nothing changed

    ActionItem.objects.filter(code="cta2019-civic-space-2").update(order=7)
    call_command("load_frameworks")
    assert RecomputeRun.objects.filter(kind="full", status="queued").count() == 1


# --- Deletions: every path the app offers keeps the review history ---------------------------------------


TWO_ASKS = (
    "Adopt a personal data protection law with an independent authority. Reform the law on associations to "
    "protect the freedom of association and assembly of civil society organisations."
)


def reviewed_commitment(reviewer: object) -> Commitment:
    """A commitment the suggester aligned with two action items, one of them then rejected: three events."""
    commitment = make_commitment(make_action_plan(make_member()), title="Data and associations", full_text=TWO_ASKS)
    suggest_alignments(commitment_ids=[commitment.pk])
    digital = Alignment.objects.get(commitment=commitment, action_item__code="cta2019-digital-democracy-2")
    reject_alignment(alignment=digital, version=digital.version, user=reviewer, rationale="Tools only.")  # type: ignore[arg-type]
    return commitment


def delete_in_admin(client: Client, path: str) -> None:
    response = client.post(path, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]


DELETION_PATHS: dict[str, Callable[[Client, Commitment, object], None]] = {
    "the commitment, in the admin": lambda client, c, user: delete_in_admin(
        client, f"/admin/commitments/commitment/{c.pk}/delete/"
    ),
    "its plan, in the admin": lambda client, c, user: delete_in_admin(
        client, f"/admin/commitments/actionplan/{c.action_plan_id}/delete/"
    ),
    "its member, in the admin's bulk action": lambda client, c, user: delete_in_admin_bulk(client, c.member_id),
    "the commitment, through the domain (API, commands)": lambda client, c, user: delete_row(
        obj=c,
        actor=user,  # type: ignore[arg-type]
        door=EditRecord.Door.API,
    ),
    "the suggester, when the text no longer supports a suggestion": lambda client, c, user: resuggest_elsewhere(c),
}


def delete_in_admin_bulk(client: Client, member_id: int) -> None:
    response = client.post(
        "/admin/commitments/member/", {"action": "delete_selected", "_selected_action": [member_id], "post": "yes"}
    )
    assert response.status_code == 302


def resuggest_elsewhere(commitment: Commitment) -> None:
    Commitment.objects.filter(pk=commitment.pk).update(title="Budget", full_text="Publish the budget in open formats.")
    assert suggest_alignments(commitment_ids=[commitment.pk]).withdrawn == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", DELETION_PATHS)
def test_every_deletion_path_keeps_the_review_history(path, support_client, support_officer, reviewer, call_to_action):
    commitment = reviewed_commitment(reviewer)
    before = list(ReviewEvent.objects.order_by("pk").values_list("pk", "subject", "to_status", "rationale"))
    assert len(before) == 3

    DELETION_PATHS[path](support_client, commitment, support_officer)

    after = list(ReviewEvent.objects.order_by("pk").values_list("pk", "subject", "to_status", "rationale"))
    assert after[: len(before)] == before


@pytest.mark.django_db
def test_what_a_confirmation_hangs_on_cannot_be_deleted_through_any_door(
    support_client, support_officer, call_to_action
):
    from django.db.models import ProtectedError

    commitment = make_commitment(full_text=PRIVACY)
    confirmed = make_alignment(commitment, ActionItem.objects.get(code="cta2019-civic-space-2"), ReviewStatus.CONFIRMED)

    page = support_client.get(f"/admin/commitments/commitment/{commitment.pk}/delete/")
    assert "protected" in page.content.decode().lower()
    support_client.post(f"/admin/commitments/commitment/{commitment.pk}/delete/", {"post": "yes"})
    support_client.post(
        "/admin/commitments/member/",
        {"action": "delete_selected", "_selected_action": [commitment.member_id], "post": "yes"},
    )
    assert (
        support_client.post(f"/admin/commitments/alignment/{confirmed.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    with pytest.raises(ProtectedError):
        delete_row(obj=commitment, actor=support_officer, door=EditRecord.Door.API)

    assert Alignment.objects.filter(pk=confirmed.pk, status="confirmed").exists()
    assert Member.objects.filter(pk=commitment.member_id).exists()


@pytest.mark.django_db
def test_decided_process_evidence_is_withdrawn_not_deleted_in_the_admin(support_client, reviewer, call_to_action):
    from commitments.reviews import decide_process_evidence

    evidence = add_process_evidence(
        member_id=make_member().pk,
        action_item=ActionItem.objects.get(code="cta2019-civic-space-1"),
        user=reviewer,
        description="The forum met.",
    )
    decide_process_evidence(evidence=evidence, version=1, user=reviewer, status="confirmed", rationale="Minutes.")
    response = support_client.post(f"/admin/commitments/processevidence/{evidence.pk}/delete/", {"post": "yes"})
    bulk = support_client.post(
        "/admin/commitments/processevidence/",
        {"action": "delete_selected", "_selected_action": [evidence.pk], "post": "yes"},
    )
    assert (response.status_code, bulk.status_code) == (403, 403)
    assert ProcessEvidence.objects.filter(pk=evidence.pk).exists()
