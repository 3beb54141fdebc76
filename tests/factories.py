"""A few small factories: each makes one valid row with sensible defaults, overridable by keyword."""

import itertools
from typing import Any

from django.utils import timezone

from commitments.models import ActionPlan, Alignment, Commitment, Member, Origin, ReviewStatus
from commitments.search import detect_language
from resolutions.models import ActionItem

_sequence = itertools.count(1)


def make_member(**fields: Any) -> Member:
    n = next(_sequence)
    values: dict[str, Any] = {
        "code": f"T{n:03d}"[:8],
        "name": f"Testland {n}",
        "kind": Member.Kind.NATIONAL,
        "region": Member.Region.EUROPE,
        "joined_year": 2012,
    }
    values.update(fields)
    return Member.objects.create(**values)


def make_action_plan(member: Member | None = None, **fields: Any) -> ActionPlan:
    member = member or make_member()
    number = fields.pop("number", member.action_plans.count() + 1)
    values: dict[str, Any] = {
        "ogp_id": f"AP_{member.code}{number:02d}",
        "number": number,
        "submitted_year": 2019,
        "end_year": 2021,
        "duration_years": 2,
    }
    values.update(fields)
    return ActionPlan.objects.create(member=member, **values)


def make_commitment(action_plan: ActionPlan | None = None, **fields: Any) -> Commitment:
    action_plan = action_plan or make_action_plan()
    n = next(_sequence)
    values: dict[str, Any] = {
        "ogp_id": f"{action_plan.member.code[:4]}{n:04d}",
        "number": str(n),
        "title": f"Commitment {n}",
        "full_text": "Publish the budget in open formats and consult citizens on it.",
    }
    values.update(fields)
    values.setdefault("language", detect_language(values["title"], values.get("full_text", "")))
    return Commitment.objects.create(action_plan=action_plan, member=action_plan.member, **values)


def make_alignment(
    commitment: Commitment, action_item: ActionItem, status: str = ReviewStatus.SUGGESTED, **fields: Any
) -> Alignment:
    values: dict[str, Any] = {"origin": Origin.CLASSIFIER, "confidence": 0.8}
    if status != ReviewStatus.SUGGESTED:
        values["decided_at"] = timezone.now()
    values.update(fields)
    return Alignment.objects.create(commitment=commitment, action_item=action_item, status=status, **values)
