"""The weights of each methodology version, in one versioned place.

The formula is documented in docs/methodology.md; the weights live only in `METHODOLOGIES` below.
"""

from dataclasses import dataclass, field

Grades = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Methodology:
    """The weights of one methodology version; a change of any of them is a new version.

    q(commitment) = base + ambition_weight * ambition + delivery_weight * delivery, where ambition comes
    from the potential impact grade, else the potential for results grade, and delivery from completion at
    end of term, else at mid-term. A component with no grade in either source counts `unassessed`.
    A confirmed process evidence counts `process_evidence`.
    """

    version: str
    base: float
    ambition_weight: float
    delivery_weight: float
    unassessed: float
    process_evidence: float
    potential_impact: Grades
    potential_for_results: Grades
    completion: Grades
    notes: str = field(default="", compare=False)


METHODOLOGY_V1 = Methodology(
    version="v1",
    base=0.5,
    ambition_weight=0.25,
    delivery_weight=0.25,
    unassessed=0.5,
    process_evidence=1.0,
    potential_impact=(("none", 0.0), ("minor", 1 / 3), ("moderate", 2 / 3), ("transformative", 1.0)),
    potential_for_results=(("unclear", 0.0), ("modest", 0.5), ("substantial", 1.0)),
    completion=(("not_started", 0.0), ("limited", 1 / 3), ("substantial", 2 / 3), ("complete", 1.0)),
    notes="DESIGN.md, Alignment scores (methodology v1).",
)

# Old versions stay here so their scores stay readable and reproducible; the last one is current.
METHODOLOGIES: dict[str, Methodology] = {m.version: m for m in (METHODOLOGY_V1,)}
CURRENT_VERSION = METHODOLOGY_V1.version


def get_methodology(version: str | None = None) -> Methodology:
    try:
        return METHODOLOGIES[version or CURRENT_VERSION]
    except KeyError:
        raise ValueError(f"Unknown methodology version {version!r}; known: {', '.join(METHODOLOGIES)}") from None
