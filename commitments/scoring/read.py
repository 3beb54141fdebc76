"""Reading scores back: a member's current scores, the history of one score, every current score of a resolution,
each action item's strength per member, and the strongest confirmed evidence of an action item."""

from django.db.models import Case, ExpressionWrapper, F, FloatField, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from commitments.models import Alignment, Member, ReviewStatus, Score, ScoreFields, ScoreSnapshot
from commitments.scoring.methodology import Grades, get_methodology
from resolutions.models import ActionItem, Era, Resolution


def member_scores(*, member: Member, version: str | None = None) -> QuerySet[Score]:
    """A member's current scores for one methodology version, eras in order, overall last."""
    return (
        Score.objects.filter(member=member, methodology_version=get_methodology(version).version)
        .select_related("era", "resolution")
        .order_by("resolution_id", F("era__order").asc(nulls_last=True))
    )


def score_history(
    *, member: Member, era: Era | None, resolution: Resolution | None = None, version: str | None = None
) -> list[ScoreFields]:
    """Every value a member's era (or overall, with `era=None`) score has had, oldest first, ending with the
    current one: the replaced values from the snapshots, then the score itself."""
    version = get_methodology(version).version
    snapshots = ScoreSnapshot.objects.filter(member=member, era=era, methodology_version=version)
    current = Score.objects.filter(member=member, era=era, methodology_version=version)
    if resolution is not None:
        snapshots, current = snapshots.filter(resolution=resolution), current.filter(resolution=resolution)
    return [*snapshots.order_by("computed_at", "pk"), *current.order_by("resolution_id")]


def score_snapshots(*, member: Member, resolution: Resolution, version: str | None = None) -> list[ScoreSnapshot]:
    """The values a member's overall score had before its current one, oldest first."""
    version = get_methodology(version).version
    return list(
        ScoreSnapshot.objects.filter(member=member, era=None, resolution=resolution, methodology_version=version)
        .defer("components")
        .order_by("computed_at", "pk")
    )


def quality_expression(version: str | None = None) -> "ExpressionWrapper":
    """q of a commitment as a database expression over `commitment__…` IRM columns, with the weights of the
    methodology: the same formula as `scoring.explain.commitment_quality`, for ordering evidence in SQL."""
    methodology = get_methodology(version)

    def grade(sources: list[tuple[str, Grades]]) -> Case:
        whens = [
            When(**{f"commitment__{column}": code}, then=Value(value))
            for column, grades in sources
            for code, value in grades
        ]
        return Case(*whens, default=Value(methodology.unassessed), output_field=FloatField())

    ambition = grade(
        [
            ("potential_impact", methodology.potential_impact),
            ("potential_for_results", methodology.potential_for_results),
        ]
    )
    delivery = grade(
        [("completion_end_of_term", methodology.completion), ("completion_midterm", methodology.completion)]
    )
    return ExpressionWrapper(
        Value(methodology.base)
        + Value(methodology.ambition_weight) * ambition
        + Value(methodology.delivery_weight) * delivery,
        output_field=FloatField(),
    )


def strong_examples(
    *,
    action_items: list[ActionItem],
    exclude_member: Member | None = None,
    per_item: int = 3,
    minimum_q: float = 0.75,
    version: str | None = None,
) -> dict[int, list[Alignment]]:
    """The strongest confirmed commitments answering each of `action_items` (q at least `minimum_q`), at most
    `per_item` each, best first, in one query: each alignment carries `q` and its commitment and member."""
    alignments = Alignment.objects.filter(action_item__in=action_items, status=ReviewStatus.CONFIRMED).annotate(
        q=quality_expression(version)
    )
    if exclude_member is not None:
        alignments = alignments.exclude(commitment__member=exclude_member)
    ranked = (
        alignments.filter(q__gte=minimum_q)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("action_item_id")], order_by=[F("q").desc(), F("commitment__ogp_id")]
            )
        )
        .filter(rank__lte=per_item)
        .select_related("commitment__member")
        .defer("commitment__full_text", "commitment__extra")
        .order_by("action_item_id", "rank")
    )
    found: dict[int, list[Alignment]] = {item.pk: [] for item in action_items}
    for alignment in ranked:
        found[alignment.action_item_id].append(alignment)
    return found


def current_scores(
    *, resolution: Resolution, version: str | None = None, member_ids: list[int] | None = None
) -> QuerySet[Score]:
    """Every current score (era and overall) of a resolution, or of some members, in one query."""
    scores = Score.objects.filter(resolution=resolution, methodology_version=get_methodology(version).version)
    if member_ids is not None:
        scores = scores.filter(member_id__in=member_ids)
    return scores


def item_strengths(scores: list[Score]) -> dict[tuple[int, str], float]:
    """(member id, action item code) -> strength, read from the components of era scores."""
    return {
        (score.member_id, code): float(detail.get("strength", 0))
        for score in scores
        if score.era_id is not None
        for code, detail in score.components.get("items", {}).items()
    }
