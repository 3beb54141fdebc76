"""Edits to the catalogue (members, plans, commitments, tags, the crosswalk) and to the frameworks (resolutions,
eras, action items): the one place each such write goes through, whatever the door (admin, API, pages,
commands).

Each function validates (`full_clean`), writes, records an `EditRecord`, and marks in the same transaction
the work that must follow (`commitments.followup`):

- a commitment created, changed or deleted: its member's scores (both members' if it moved);
- a commitment's title or full text, or its policy-area tags: its suggestions, worked out again;
- a plan created, changed or deleted: its member's scores; a plan moved to another member takes its
  commitments and process evidence with it;
- a crosswalk link: the suggestions of every commitment tagged with its policy area;
- a resolution, era or action item: a full recompute of every live methodology version, since each changes
  what scores are over.

Alignments and process evidence are decided through `commitments.reviews`, which keeps their own history.
Deleting what a confirmed alignment or a decided process evidence hangs on is refused (`keep_decisions`).
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from commitments.followup import request_full_recompute, request_recompute, request_suggestions
from commitments.models import (
    ActionPlan,
    Commitment,
    CommitmentPolicyArea,
    EditRecord,
    PolicyAreaCrosswalk,
    ProcessEvidence,
    RecomputeRun,
)
from commitments.scoring.runs import live_versions
from commitments.search import detect_language
from resolutions.models import ActionItem, Era, Resolution

Actor = User | AnonymousUser | None
Door = str  # one of EditRecord.Door

SUGGESTION_FIELDS = frozenset({"title", "full_text"})
FRAMEWORK_MODELS: tuple[type[models.Model], ...] = (Resolution, Era, ActionItem)
CUT = 300  # characters of a text kept in an edit record, before and after


def _values(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _stored(obj: models.Model) -> dict[str, Any] | None:
    if obj.pk is None:
        return None
    row = type(obj)._default_manager.filter(pk=obj.pk).values(*(f.attname for f in obj._meta.concrete_fields))
    return next(iter(row), None)


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return text if len(text) <= CUT else text[:CUT] + "…"


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    names = set(before or {}) | set(after or {})
    return {
        name: [_shown((before or {}).get(name)), _shown((after or {}).get(name))]
        for name in sorted(names)
        if (before or {}).get(name) != (after or {}).get(name) and name not in {"updated_at", "created_at"}
    }


def _record(obj: models.Model, *, action: str, changes: dict[str, list[Any]], actor: Actor, door: Door) -> None:
    record = EditRecord(
        model=obj._meta.label_lower,
        object_pk=str(obj.pk),
        label=str(obj)[:300],
        action=action,
        changes=changes,
        actor=actor if isinstance(actor, User) else None,
        door=door,
        at=timezone.now(),
    )
    record.full_clean()
    record.save()


def _members(*values: dict[str, Any] | None, key: str = "member_id") -> set[int]:
    return {int(v[key]) for v in values if v is not None and v.get(key) is not None}


def _follow_up(obj: models.Model, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Mark the work an edit of `obj` calls for (the table in the module docstring)."""
    changed = set(_changes(before, after))
    if isinstance(obj, Commitment):
        request_recompute(_members(before, after))
        if after is not None and (before is None or changed & SUGGESTION_FIELDS):
            request_suggestions([obj.pk])
    elif isinstance(obj, ActionPlan | ProcessEvidence):
        request_recompute(_members(before, after))
    elif isinstance(obj, CommitmentPolicyArea):
        ids = {v["commitment_id"] for v in (before, after) if v is not None}
        request_suggestions(ids & set(Commitment.objects.filter(pk__in=ids).values_list("pk", flat=True)))
    elif isinstance(obj, PolicyAreaCrosswalk):
        areas = {v["policy_area_id"] for v in (before, after) if v is not None}
        request_suggestions(
            CommitmentPolicyArea.objects.filter(policy_area__in=areas).values_list("commitment_id", flat=True)
        )
    elif isinstance(obj, FRAMEWORK_MODELS):
        recompute_after_framework_change()


def recompute_after_framework_change() -> list[RecomputeRun]:
    """A framework changed what scores are over (items, eras, the adoption date that sets the scope): every
    live methodology version is recomputed in full, once however many edits come before it starts."""
    return [request_full_recompute(version=version, reuse_queued=True) for version in live_versions()]


def _move_plan(plan: ActionPlan, before: dict[str, Any] | None) -> None:
    """A plan moved to another member takes its commitments and process evidence with it."""
    if before is not None and before["member_id"] != plan.member_id:
        Commitment.objects.filter(action_plan=plan).update(member_id=plan.member_id, updated_at=timezone.now())
        ProcessEvidence.objects.filter(action_plan=plan).update(member_id=plan.member_id)


def save_row(*, obj: models.Model, actor: Actor, door: Door) -> models.Model:
    """Create or change one row of the catalogue or the frameworks, with its history and its follow-up."""
    if isinstance(obj, Commitment):
        if obj.action_plan_id is not None:
            obj.member_id = obj.action_plan.member_id  # a commitment belongs to its plan's member
        obj.language = detect_language(obj.title, obj.full_text)
    obj.full_clean()
    with transaction.atomic():
        before = _stored(obj)
        obj.save()
        if isinstance(obj, ActionPlan):
            _move_plan(obj, before)
        after = _values(obj)
        changes = _changes(before, after)
        if before is not None and not changes:
            return obj
        _record(
            obj,
            action=EditRecord.Action.CREATED if before is None else EditRecord.Action.CHANGED,
            changes=changes,
            actor=actor,
            door=door,
        )
        _follow_up(obj, before, after)
    return obj


def delete_row(*, obj: models.Model, actor: Actor, door: Door) -> None:
    """Delete one row, with its history and its follow-up.

    Raises `ProtectedError` when a confirmed alignment or a decided process evidence hangs on it, and
    nothing is deleted.
    """
    with transaction.atomic():
        before = _stored(obj)
        if before is None:
            return
        _record(obj, action=EditRecord.Action.DELETED, changes=_changes(before, None), actor=actor, door=door)
        tagged = _tagged_with(obj)
        obj.delete()
        _follow_up(obj, before, None)  # a deleted member needs nothing: its scores go with it
        if tagged:
            request_suggestions(tagged)


def _tagged_with(obj: models.Model) -> set[int]:
    """Commitments whose suggestions change when `obj`, a policy area, is deleted."""
    if obj._meta.label_lower == "commitments.policyarea":
        return set(CommitmentPolicyArea.objects.filter(policy_area_id=obj.pk).values_list("commitment_id", flat=True))
    return set()


def delete_rows(*, rows: Iterable[models.Model], actor: Actor, door: Door) -> None:
    """Delete several rows, all or nothing."""
    with transaction.atomic():
        for obj in rows:
            delete_row(obj=obj, actor=actor, door=door)
