"""Named reads that pages, the API and commands share, each with the joins and prefetches it needs."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    ImportRun,
    Member,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
    Score,
    ScoreSnapshot,
)
from commitments.models.irm import SENTINEL_VALUES
from resolutions.frameworks import CALL_TO_ACTION_SLUG
from resolutions.models import ActionItem, Era, Resolution


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


def scored_resolution(*, with_items: bool = False) -> Resolution | None:
    """The resolution the public pages score members on: the Call to Action, with its eras (and their action
    items, with `with_items`)."""
    eras = Era.objects.prefetch_related("action_items") if with_items else Era.objects.all()
    return Resolution.objects.filter(slug=CALL_TO_ACTION_SLUG).prefetch_related(Prefetch("eras", queryset=eras)).first()


def call_to_action() -> Resolution | None:
    """The Call to Action alone, for pages that read its eras through their scores."""
    return Resolution.objects.filter(slug=CALL_TO_ACTION_SLUG).first()


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


def action_item_with_era(code: str) -> ActionItem | None:
    """One action item by its code, with its era and resolution."""
    return ActionItem.objects.select_related("era", "resolution").filter(code=code).first()


def public_commitment(ogp_id: str) -> Commitment | None:
    """A commitment with its member and plan, its policy-area tags, and its alignments with their review trail."""
    return (
        Commitment.objects.select_related("member", "action_plan")
        .prefetch_related(
            Prefetch(
                "policy_area_values",
                queryset=CommitmentPolicyArea.objects.select_related("policy_area").order_by("policy_area__name"),
            ),
            Prefetch(
                "alignments",
                queryset=Alignment.objects.select_related("action_item__era", "decided_by").order_by(
                    "action_item__era__order", "action_item__order"
                ),
            ),
            Prefetch("alignments__history", queryset=ReviewEvent.objects.select_related("actor").order_by("at", "pk")),
        )
        .filter(ogp_id=ogp_id.upper())
        .first()
    )


def member_plans_with_commitments(member: Member) -> QuerySet[ActionPlan]:
    """A member's action plans, oldest first, each with its commitments (titles and IRM fields, not texts)."""
    return member.action_plans.order_by("number").prefetch_related(
        Prefetch(
            "commitments",
            queryset=Commitment.objects.defer("full_text", "extra").order_by("number", "ogp_id"),
        )
    )


def members_for_filters() -> QuerySet[Member]:
    """Every member's code and name, for the choices of a filter."""
    return Member.objects.only("code", "name").order_by("name")


def filtered_members(*, region: str = "", kind: str = "", group: str = "") -> QuerySet[Member]:
    members = Member.objects.only("code", "name", "region", "kind").order_by("name")
    if region:
        members = members.filter(region=region)
    if kind:
        members = members.filter(kind=kind)
    if group:
        members = members.filter(groups__slug=group)
    return members


def recent_changes(*, limit: int = 8) -> dict[str, list[Any]]:
    """What changed lately, as the public may see it: scores that moved (with the value they replaced),
    decisions made on alignments, and imports that landed (real, successful ones: never dry runs, file names
    or who uploaded them)."""
    return {
        "scores": list(
            ScoreSnapshot.objects.select_related("member", "era")
            .defer("components")
            .order_by("-superseded_at", "-pk")[:limit]
        ),
        "decisions": list(
            ReviewEvent.objects.filter(
                to_status__in=[ReviewStatus.CONFIRMED, ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN],
                alignment__isnull=False,
            )
            .select_related("alignment__commitment", "alignment__action_item")
            .defer("alignment__commitment__full_text", "alignment__commitment__extra")
            .order_by("-at", "-pk")[:limit]
        ),
        "imports": list(
            ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED, dry_run=False)
            .only("finished_at", "created", "updated", "unchanged")
            .order_by("-finished_at", "-pk")[:limit]
        ),
    }


@dataclass(frozen=True)
class Assessed:
    """One IRM field of a commitment as the public page shows it: a grade, an ND/NR/NA state, or a value
    this application does not recognise, shown as it is stored rather than hidden."""

    label: str
    code: str
    display: str
    state: str  # "grade", "nd", "nr", "na" or "unrecognised"


def irm_assessment(commitment: Commitment) -> list[Assessed]:
    """Every IRM field of the commitment, in the model's order."""
    rows = []
    for field in Commitment._meta.get_fields():
        choices = getattr(field, "choices", None)
        if not choices or not {code for code, _ in choices} >= SENTINEL_VALUES:
            continue
        code = getattr(commitment, field.name)
        labels = dict(choices)
        if code in SENTINEL_VALUES:
            state = code
        elif code in labels:
            state = "grade"
        else:
            state = "unrecognised"
        rows.append(Assessed(str(getattr(field, "verbose_name", field.name)), code, str(labels.get(code, code)), state))
    return rows


def confirmed_process_evidence(*, action_item: ActionItem, limit: int) -> list[ProcessEvidence]:
    """The latest confirmed process evidence answering a process action item, with its member and plan."""
    return list(
        ProcessEvidence.objects.filter(action_item=action_item, status=ReviewStatus.CONFIRMED)
        .select_related("member", "action_plan")
        .order_by("-decided_at", "-pk")[:limit]
    )
