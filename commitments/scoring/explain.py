"""A score spelled out for people: each action item's strength and the evidence behind it, with every
commitment's quality q worked out from its IRM assessment, so that anyone can recompute the score by hand.

The database computes scores (`commitments.scoring`); this module reads them back and explains them with the
same methodology, and a test holds the two to the same figures.
"""

from dataclasses import dataclass, field

from commitments.models import Alignment, Commitment, Member, ProcessEvidence, ReviewStatus, Score
from commitments.scoring.methodology import Grades, Methodology
from resolutions.models import ActionItem


@dataclass(frozen=True)
class Component:
    value: float
    source: str
    assessed: bool


@dataclass(frozen=True)
class Quality:
    """q = base + ambition weight * ambition + delivery weight * delivery."""

    ambition: float
    ambition_source: str
    delivery: float
    delivery_source: str
    q: float
    unassessed: bool


@dataclass
class Piece:
    commitment: Commitment
    alignment: Alignment
    quality: Quality


@dataclass
class ItemExplanation:
    action_item: ActionItem
    strength: float
    commitments: list[Piece] = field(default_factory=list)
    process_evidence: list[ProcessEvidence] = field(default_factory=list)


@dataclass
class EraExplanation:
    score: Score
    items: list[ItemExplanation]


def _component(methodology: Methodology, sources: list[tuple[str, str, str, Grades]]) -> Component:
    """The first source that holds a grade gives the component; with none, it counts as unassessed."""
    for name, code, label, grades in sources:
        value = dict(grades).get(code)
        if value is not None:
            return Component(value, f"{name} {label.lower()}", True)
    return Component(methodology.unassessed, "not assessed", False)


def commitment_quality(commitment: Commitment, methodology: Methodology) -> Quality:
    ambition = _component(
        methodology,
        [
            ("potential impact", commitment.potential_impact, commitment.get_potential_impact_display(),
             methodology.potential_impact),
            ("potential for results", commitment.potential_for_results,
             commitment.get_potential_for_results_display(), methodology.potential_for_results),
        ],
    )  # fmt: skip
    delivery = _component(
        methodology,
        [
            ("completion at end of term", commitment.completion_end_of_term,
             commitment.get_completion_end_of_term_display(), methodology.completion),
            ("completion at mid-term", commitment.completion_midterm, commitment.get_completion_midterm_display(),
             methodology.completion),
        ],
    )  # fmt: skip
    q = methodology.base + methodology.ambition_weight * ambition.value + methodology.delivery_weight * delivery.value
    return Quality(
        ambition=ambition.value,
        ambition_source=ambition.source,
        delivery=delivery.value,
        delivery_source=delivery.source,
        q=q,
        unassessed=not (ambition.assessed and delivery.assessed),
    )


def explain_scores(
    *, member: Member, scores: list[Score], methodology: Methodology, commitments: list[Commitment] | None = None
) -> list[EraExplanation]:
    """Each era score of `scores` with its items and their evidence, in four queries whatever the evidence
    (three when the member's `commitments` are given, as the member page has them already)."""
    era_scores = [score for score in scores if score.era_id is not None]
    components = {code: detail for score in era_scores for code, detail in score.components.get("items", {}).items()}
    ogp_ids = {ogp_id for detail in components.values() for ogp_id in detail.get("commitments", [])}
    evidence_ids = {pk for detail in components.values() for pk in detail.get("process_evidence", [])}
    items = ActionItem.objects.filter(
        era__in=[score.era_id for score in era_scores], addressee=ActionItem.Addressee.MEMBERS
    ).order_by("era__order", "order")
    if commitments is None:
        commitments = list(Commitment.objects.filter(member=member, ogp_id__in=ogp_ids))
    by_id = {c.ogp_id: c for c in commitments if c.ogp_id in ogp_ids}
    alignments = {
        (alignment.commitment_id, alignment.action_item_id): alignment
        for alignment in Alignment.objects.filter(
            commitment__in=list(by_id.values()), status=ReviewStatus.CONFIRMED
        ).select_related("decided_by")
    }
    evidence = {e.pk: e for e in ProcessEvidence.objects.filter(member=member, pk__in=evidence_ids)}

    explained: dict[int, list[ItemExplanation]] = {score.era_id: [] for score in era_scores if score.era_id}
    for item in items:
        detail = components.get(item.code, {})
        explanation = ItemExplanation(action_item=item, strength=float(detail.get("strength", 0)))
        for ogp_id in detail.get("commitments", []):
            commitment = by_id.get(ogp_id)
            alignment = alignments.get((commitment.pk, item.pk)) if commitment else None
            if commitment and alignment:
                explanation.commitments.append(
                    Piece(commitment, alignment, commitment_quality(commitment, methodology))
                )
        explanation.commitments.sort(key=lambda piece: (-piece.quality.q, piece.commitment.ogp_id))
        explanation.process_evidence = [evidence[pk] for pk in detail.get("process_evidence", []) if pk in evidence]
        if item.era_id in explained:
            explained[item.era_id].append(explanation)
    return [EraExplanation(score=score, items=explained[score.era_id]) for score in era_scores if score.era_id]
