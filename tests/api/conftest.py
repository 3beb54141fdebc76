"""A small catalogue the API tests read: frameworks, a meeting, members with plans, commitments tagged and
assessed, alignments with history, process evidence and scores."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from commitments.models import (
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    Member,
    Origin,
    PolicyArea,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
    Score,
)
from resolutions.models import ActionItem, AgendaItem, AgendaPoint, Attendance, Meeting, NextStep, Resolution
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

UNTHROTTLED = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """Tests make many requests from one address; the throttling test sets its own rates."""
    settings.API_THROTTLE_RATES = UNTHROTTLED


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@dataclass
class Catalogue:
    resolution: Resolution
    item: ActionItem
    process_item: ActionItem
    members: list[Member]
    commitments: list[Commitment]
    alignment: Alignment
    area: PolicyArea
    meeting: Meeting


def add_rows(resolution: Resolution, item: ActionItem, process_item: ActionItem, area: PolicyArea, count: int):
    """`count` members, each with a plan, two commitments (one aligned, one tagged), evidence and scores."""
    now = timezone.now()
    made = []
    for _ in range(count):
        member = make_member()
        plan = make_action_plan(member)
        first = make_commitment(plan, potential_impact="transformative", completion_end_of_term="nr")
        second = make_commitment(plan, title="Open contracting registry", full_text="Publish contracts openly.")
        CommitmentPolicyArea.objects.create(commitment=second, policy_area=area)
        alignment = make_alignment(first, item, ReviewStatus.CONFIRMED, origin=Origin.REVIEWER, rationale="Fits")
        ReviewEvent.objects.create(
            alignment=alignment, subject="s", origin=Origin.CLASSIFIER, to_status="suggested", at=now
        )
        ReviewEvent.objects.create(
            alignment=alignment,
            subject="s",
            origin=Origin.REVIEWER,
            from_status="suggested",
            to_status="confirmed",
            at=now,
        )
        ProcessEvidence.objects.create(
            member=member, action_plan=plan, action_item=process_item, description="A forum met.", origin=Origin.IMPORT
        )
        for era in [None, item.era]:
            Score.objects.create(
                member=member,
                resolution=resolution,
                era=era,
                methodology_version="v1",
                value=Decimal("62.50"),
                coverage=Decimal("0.5"),
                uncertainty=Decimal("0.1"),
                evidence_count=1,
                components={item.code: {"strength": 0.8}},
                computed_at=now,
            )
        made.append((member, first, second, alignment))
    return made


@pytest.fixture
def catalogue(call_to_action: Resolution) -> Catalogue:
    item = ActionItem.objects.filter(resolution=call_to_action, evidence="commitment").order_by("code").first()
    process_item = ActionItem.objects.filter(evidence="process").order_by("code").first()
    assert item and process_item
    area = PolicyArea.objects.create(name="Open Contracting", slug="open-contracting")
    made = add_rows(call_to_action, item, process_item, area, 2)
    meeting = Meeting.objects.create(
        resolution=call_to_action, slug="sc-2024-05", body="Steering Committee", title="May call", held_on="2024-05-31"
    )
    Attendance.objects.create(meeting=meeting, role="attendee", government="Government of Testland", order=1)
    agenda = AgendaItem.objects.create(meeting=meeting, number="I", title="Welcome", order=1)
    AgendaPoint.objects.create(agenda_item=agenda, text="Share the dashboard", order=1)
    NextStep.objects.create(meeting=meeting, agenda_item=agenda, text="Circulate notes", owner="Support Unit", order=1)
    return Catalogue(
        resolution=call_to_action,
        item=item,
        process_item=process_item,
        members=[row[0] for row in made],
        commitments=[c for row in made for c in row[1:3]],
        alignment=made[0][3],
        area=area,
        meeting=meeting,
    )


def list_urls() -> list[str]:
    names = ["resolutions", "eras", "action-items", "meetings", "members", "action-plans", "commitments"]
    names += ["policy-areas", "alignments", "process-evidence", "scores", "methodologies"]
    return [f"/api/v1/{name}/" for name in names]


def detail_urls(c: Catalogue) -> list[str]:
    member, commitment, era = c.members[0], c.commitments[0], c.item.era
    assert era is not None
    return [
        f"/api/v1/resolutions/{c.resolution.slug}/",
        f"/api/v1/eras/{c.resolution.slug}.{era.key}/",
        f"/api/v1/action-items/{c.item.code}/",
        f"/api/v1/meetings/{c.meeting.slug}/",
        f"/api/v1/members/{member.code}/",
        f"/api/v1/members/{member.code}/action-plans/",
        f"/api/v1/members/{member.code}/scores/",
        f"/api/v1/members/{member.code}/scores/history/",
        f"/api/v1/action-plans/{commitment.action_plan.ogp_id}/",
        f"/api/v1/commitments/{commitment.ogp_id}/",
        f"/api/v1/commitments/{commitment.ogp_id}/alignments/",
        f"/api/v1/policy-areas/{c.area.slug}/",
        f"/api/v1/alignments/{commitment.ogp_id}.{c.item.code}/",
        "/api/v1/methodologies/v1/",
        f"/api/v1/compare/?members={member.code},{c.members[1].code}",
        "/api/v1/commitments/search/?q=budget",
        "/api/v1/commitments/export/",
    ]
