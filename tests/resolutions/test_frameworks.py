import pytest
from django.core.management import call_command

from commitments.models import Member, MemberGroup
from resolutions.frameworks import CALL_TO_ACTION_SLUG, MEETING_SLUG, WORK_PLAN_SLUG, load_frameworks
from resolutions.models import ActionItem, AgendaPoint, Attendance, Era, Meeting, NextStep, Resolution

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list[tuple]]:
    return {
        model.__name__: sorted(model.objects.values_list())
        for model in (Resolution, Era, ActionItem, Meeting, Attendance, AgendaPoint, NextStep, Member, MemberGroup)
    }


def test_the_call_to_action_has_three_eras_nine_member_actions_and_one_support_unit_action():
    load_frameworks()
    call = Resolution.objects.get(slug=CALL_TO_ACTION_SLUG)
    assert str(call.adopted_on) == "2019-05-29"
    assert call.issuing_body == "OGP Steering Committee"
    assert list(call.eras.values_list("key", flat=True)) == ["civic-space", "gender-inclusion", "digital-democracy"]
    items = call.action_items.all()
    assert items.filter(addressee=ActionItem.Addressee.MEMBERS).count() == 9
    support = items.get(addressee=ActionItem.Addressee.SUPPORT_UNIT)
    assert support.era is None
    assert support.text.startswith("Review all Partnership-wide recommendations and policy documents")
    for era in call.eras.all():
        assert era.action_items.count() == 3


def test_action_items_keep_the_endorsed_wording_and_their_kind_of_evidence():
    load_frameworks()
    item = ActionItem.objects.get(code="cta2019-civic-space-2")
    assert item.text == (
        "Consider commitments in OGP action plans that focus on defending democratic institutions and rights, "
        "especially the fundamental freedoms of association, assembly and expression"
    )
    assert item.evidence == ActionItem.Evidence.COMMITMENT
    forum = ActionItem.objects.get(code="cta2019-civic-space-1")
    assert forum.text.startswith("Strengthen the structure and deliberations of multi-stakeholder forums")
    assert forum.evidence == ActionItem.Evidence.PROCESS
    ai = ActionItem.objects.get(code="cta2019-digital-democracy-3")
    assert ai.text == "Develop and promote open, ethical algorithms and artificial intelligence."
    analysis = ActionItem.objects.get(code="cta2019-gender-inclusion-3")
    assert analysis.evidence == ActionItem.Evidence.PROCESS
    evidence = dict(ActionItem.objects.filter(addressee="members").values_list("code", "evidence"))
    assert sorted(code for code, kind in evidence.items() if kind == "commitment") == [
        "cta2019-civic-space-2",
        "cta2019-digital-democracy-2",
        "cta2019-digital-democracy-3",
        "cta2019-gender-inclusion-2",
    ]


def test_the_2021_work_plan_has_its_four_streams_and_the_february_meeting():
    load_frameworks()
    plan = Resolution.objects.get(slug=WORK_PLAN_SLUG)
    assert plan.eras.count() == 4
    assert plan.eras.get(order=2).title == "Accountability of the use of digital technologies by government"
    meeting = Meeting.objects.get(slug=MEETING_SLUG)
    assert str(meeting.held_on) == "2021-02-11"
    attendance = meeting.attendance
    assert attendance.filter(role=Attendance.Role.ATTENDEE).count() == 12
    assert attendance.filter(role=Attendance.Role.ATTENDEE, government="Government of Romania").count() == 3
    guest = attendance.get(role=Attendance.Role.GUEST)
    assert (guest.person, guest.position) == ("Maria Baron", "Lead Civil Society Co-Chair")
    assert sorted(attendance.filter(role="apology").values_list("government", "person")) == [
        ("", "Zuzana Wienk"),
        ("Government of France", ""),
        ("Government of Indonesia", ""),
    ]
    assert [item.number for item in meeting.agenda_items.all()] == ["I", "II", "III"]
    first = meeting.agenda_items.get(number="I")
    assert first.points.filter(kind=AgendaPoint.Kind.SUGGESTION).count() == 7
    assert meeting.agenda_items.get(number="II").points.filter(kind="question").count() == 2
    steps = list(NextStep.objects.filter(meeting=meeting).values_list("owner", "status"))
    assert steps == [("Support Unit", "open")] * 3


def test_the_leaders_network_names_its_five_members():
    call_command("load_frameworks")
    group = MemberGroup.objects.get(slug="leaders-network")
    assert sorted(group.members.values_list("code", flat=True)) == ["ARBA", "LVA", "MEX", "NGKD", "NZL"]


def test_loading_twice_changes_nothing():
    call_command("load_frameworks")
    before = snapshot()
    call_command("load_frameworks")
    assert snapshot() == before


def test_loading_again_keeps_the_support_units_follow_up_of_next_steps():
    load_frameworks()
    step = NextStep.objects.first()
    assert step is not None
    step.status = NextStep.Status.DONE
    step.save()
    load_frameworks()
    step.refresh_from_db()
    assert step.status == NextStep.Status.DONE
