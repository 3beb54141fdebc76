"""Reading scores back: a member's current scores and the history of one score."""

from django.db.models import F, QuerySet

from commitments.models import Member, Score, ScoreFields, ScoreSnapshot
from commitments.scoring.methodology import get_methodology
from resolutions.models import Era, Resolution


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
