"""Named reads that pages, the API and commands share, each with the joins and prefetches it needs."""

from django.db.models import Case, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    Member,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
    Score,
)
from resolutions.frameworks import CALL_TO_ACTION_SLUG
from resolutions.models import ActionItem, Resolution


def review_queue_alignments(
    *, era_key: str = "", member_code: str = "", item_code: str = "", origin: str = ""
) -> QuerySet[Alignment]:
    """Suggested alignments, most confident first, with what the queue shows."""
    alignments = (
        Alignment.objects.filter(status=ReviewStatus.SUGGESTED)
        .select_related("commitment__member", "action_item__era")
        .order_by("-confidence", "pk")
    )
    if era_key:
        alignments = alignments.filter(action_item__era__key=era_key)
    if member_code:
        alignments = alignments.filter(commitment__member__code=member_code.upper())
    if item_code:
        alignments = alignments.filter(action_item__code=item_code)
    if origin:
        alignments = alignments.filter(origin=origin)
    return alignments


def reviewable_action_items() -> QuerySet[ActionItem]:
    """The action items a commitment can answer, for the queue's filter."""
    return (
        ActionItem.objects.filter(addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT)
        .select_related("era")
        .order_by("era__order", "order", "pk")
    )


def process_action_items() -> QuerySet[ActionItem]:
    """The member-directed action items answered by what a member did rather than by a commitment."""
    return (
        ActionItem.objects.filter(addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.PROCESS)
        .select_related("era")
        .order_by("era__order", "order", "pk")
    )


def process_evidence_for_review() -> QuerySet[ProcessEvidence]:
    """Process evidence, suggestions first and newest first, with what the list shows."""
    return ProcessEvidence.objects.select_related("member", "action_item", "action_plan", "decided_by").order_by(
        Case(When(status=ReviewStatus.SUGGESTED, then=0), default=1), "-created_at", "-pk"
    )


def changes_since(alignment: Alignment, seen_version: int) -> list[ReviewEvent]:
    """The review events written since `seen_version`, oldest first: every change of an alignment raises its
    version by one and writes one event, so they are the newest `version - seen_version` events."""
    missed = max(alignment.version - seen_version, 0)
    if not missed:
        return []
    events = alignment.history.select_related("actor").order_by("-at", "-pk")[:missed]
    return list(reversed(events))


def passage_parts(text: str, start: int | None, end: int | None, *, context: int | None = None) -> tuple[str, str, str]:
    """The text before, inside and after a passage, cut to `context` characters either side when given."""
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return (text[:context] if context else text), "", ""
    before, passage, after = text[:start], text[start:end], text[end:]
    if context is not None:
        before = ("…" + before[-context:].lstrip()) if len(before) > context else before
        after = (after[:context].rstrip() + "…") if len(after) > context else after
    return before, passage, after


def scored_resolution() -> Resolution | None:
    """The resolution the public pages score members on: the Call to Action."""
    return Resolution.objects.filter(slug=CALL_TO_ACTION_SLUG).prefetch_related("eras").first()


def members_with_scores(
    *, resolution: Resolution, version: str, region: str = "", kind: str = "", group: str = "", query: str = ""
) -> QuerySet[Member]:
    """Members with their overall score annotated and their era scores prefetched, for the members list."""
    overall = Score.objects.filter(
        member=OuterRef("pk"), resolution=resolution, era__isnull=True, methodology_version=version
    )
    members = Member.objects.annotate(
        overall=Subquery(overall.values("value")[:1]),
        overall_coverage=Subquery(overall.values("coverage")[:1]),
    ).prefetch_related(
        "groups",
        Prefetch(
            "scores",
            queryset=Score.objects.filter(resolution=resolution, methodology_version=version, era__isnull=False),
            to_attr="era_scores",
        ),
    )
    if region:
        members = members.filter(region=region)
    if kind:
        members = members.filter(kind=kind)
    if group:
        members = members.filter(groups__slug=group)
    if query:
        members = members.filter(Q(name__icontains=query) | Q(code__iexact=query))
    return members


# --- the API's lists: each with what its serializer reads, in a number of queries that does not grow with rows


def api_members() -> QuerySet[Member]:
    """Members; their group slugs come with `with_group_slugs`."""
    return Member.objects.defer("created_at").order_by("code")


def with_group_slugs(members: list[Member]) -> list[Member]:
    """Sets `api_groups` on each member: the slugs of its groups, in one query."""
    slugs: dict[int, list[str]] = {member.pk: [] for member in members}
    rows = Member.groups.through.objects.filter(member_id__in=list(slugs)).order_by("membergroup__slug")
    for member_id, slug in rows.values_list("member_id", "membergroup__slug"):
        slugs[member_id].append(slug)
    for member in members:
        member.api_groups = slugs[member.pk]  # type: ignore[attr-defined]
    return members


def api_action_plans() -> QuerySet[ActionPlan]:
    return ActionPlan.objects.select_related("member").order_by("ogp_id")


def api_commitments() -> QuerySet[Commitment]:
    """Commitments with the code of their member and the id of their plan; tags come with `with_policy_areas`."""
    return (
        Commitment.objects.select_related("member", "action_plan")
        .defer("extra", "created_at", *(f"member__{name}" for name in _MEMBER_UNREAD))
        .defer(*(f"action_plan__{name}" for name in _PLAN_UNREAD))
        .order_by("ogp_id")
    )


_MEMBER_UNREAD = ("name", "kind", "region", "joined_year", "created_at", "updated_at")
_PLAN_UNREAD: tuple[str, ...] = ("number", "submitted_year", "end_year", "duration_years", "multistakeholder_forum")
_PLAN_UNREAD += ("co_creation_notes", "url", "created_at", "updated_at")


def with_policy_areas(commitments: list[Commitment]) -> list[Commitment]:
    """Sets `api_tags` on each commitment: its policy-area values as {slug, name, value}, in one query."""
    tags: dict[int, list[dict[str, str]]] = {commitment.pk: [] for commitment in commitments}
    rows = (
        CommitmentPolicyArea.objects.filter(commitment_id__in=list(tags))
        .order_by("policy_area__name")
        .values_list("commitment_id", "policy_area__slug", "policy_area__name", "value")
    )
    for commitment_id, slug, name, value in rows:
        tags[commitment_id].append({"slug": slug, "name": name, "value": value})
    for commitment in commitments:
        commitment.api_tags = tags[commitment.pk]  # type: ignore[attr-defined]
    return commitments


def api_alignments(*, with_history: bool = False) -> QuerySet[Alignment]:
    alignments = Alignment.objects.select_related("commitment", "action_item").order_by(
        "commitment__ogp_id", "action_item__code"
    )
    if with_history:
        alignments = alignments.prefetch_related("history")
    return alignments


def api_process_evidence() -> QuerySet[ProcessEvidence]:
    return ProcessEvidence.objects.select_related("member", "action_plan", "action_item").order_by(
        "member__code", "action_item__code", "pk"
    )


def api_scores() -> QuerySet[Score]:
    return Score.objects.select_related("member", "resolution", "era").order_by(
        "member__code", "resolution__slug", F("era__order").asc(nulls_first=True)
    )


def compared_members(codes: list[str], *, version: str) -> list[tuple[Member, list[Score]]]:
    """Up to four members side by side, in the order asked, each with its current scores for `version`."""
    members = {
        member.code: member
        for member in Member.objects.filter(code__in=codes).prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.filter(methodology_version=version)
                .select_related("resolution", "era")
                .order_by("resolution__slug", F("era__order").asc(nulls_first=True)),
                to_attr="compared_scores",
            )
        )
    }
    return [(members[code], members[code].compared_scores) for code in codes if code in members]
