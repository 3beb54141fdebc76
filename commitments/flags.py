"""Disagreements between reviewers, raised for the Support Unit and resolved by it.

Rules:
- A reviewer (``commitments.review_alignment``) may flag a decision (confirmed, rejected or withdrawn)
  another person made; not a suggestion, not their own decision.
- The flag names the version of the alignment it disagrees with: if the alignment changed since the reviewer
  looked, the flag is refused with `StaleDecision`, like a decision.
- One open flag per reviewer and alignment.
- Only the Support Unit (``commitments.adjudicate_alignment``) resolves a flag, with a note; changing the
  decision itself goes through `commitments.reviews`, as any adjudication.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Alignment, DisagreementFlag
from commitments.models.review import alignment_subject
from commitments.reviews import ADJUDICATE_PERMISSION, DECIDED, REVIEW_PERMISSION, Actor, StaleDecision


def may_flag(user: Actor, alignment: Alignment) -> bool:
    return bool(
        user.is_authenticated
        and user.has_perm(REVIEW_PERMISSION)
        and alignment.status in DECIDED
        and alignment.decided_by_id is not None
        and alignment.decided_by_id != user.pk
    )


def flag_disagreement(*, alignment: Alignment, user: Actor, version: int, reason: str) -> DisagreementFlag:
    """Record that `user` disagrees with the decision on `alignment` as it stood at `version`."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you disagree.")})
    with transaction.atomic():
        locked = (
            Alignment.objects.select_for_update(of=("self",))
            .select_related("commitment", "action_item", "decided_by")
            .get(pk=alignment.pk)
        )
        if locked.version != version:
            raise StaleDecision(locked, version)
        if not may_flag(user, locked):
            raise PermissionDenied(_("Only a reviewer may flag a decision, and only one another person made."))
        if DisagreementFlag.objects.filter(
            alignment=locked, raised_by_id=user.pk, status=DisagreementFlag.Status.OPEN
        ).exists():
            raise ValidationError({"reason": _("You already flagged this decision; the Support Unit will look at it.")})
        flag = DisagreementFlag(
            alignment=locked,
            subject=alignment_subject(ogp_id=locked.commitment.ogp_id, item_code=locked.action_item.code),
            alignment_version=locked.version,
            decision_status=locked.status,
            decided_by=locked.decided_by,
            raised_by=user if isinstance(user, User) else None,
            raised_at=timezone.now(),
            reason=reason,
        )
        flag.full_clean()
        flag.save()
    return flag


def resolve_flag(*, flag: DisagreementFlag, user: Actor, resolution: str) -> DisagreementFlag:
    """The Support Unit closes a flag with a note saying what it decided."""
    if not (user.is_authenticated and user.has_perm(ADJUDICATE_PERMISSION)):
        raise PermissionDenied(_("Only the Support Unit resolves disagreements."))
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say how the disagreement was resolved.")})
    with transaction.atomic():
        locked = DisagreementFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.status != DisagreementFlag.Status.OPEN:
            raise ValidationError({"status": _("This flag is already resolved.")})
        locked.status = DisagreementFlag.Status.RESOLVED
        locked.resolved_by = user if isinstance(user, User) else None
        locked.resolved_at = timezone.now()
        locked.resolution = resolution
        locked.full_clean()
        locked.save()
    return locked
