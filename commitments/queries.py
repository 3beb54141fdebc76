"""Named reads that pages, the API and commands share, each with the joins and prefetches it needs."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from commitments.models import Alignment, Member, ReviewStatus, Score
from resolutions.frameworks import CALL_TO_ACTION_SLUG
from resolutions.models import Resolution


def review_queue_alignments(*, era_key: str = "", member_code: str = "") -> QuerySet[Alignment]:
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
    return alignments


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
