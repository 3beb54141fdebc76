"""The seed crosswalk from OGP policy-area tags to the Call to Action, and its idempotent loader.

Weights say how strongly a tag alone points at the target. A tag with weight 1 is enough for a suggestion
(see ``suggestions.CROSSWALK_FACTOR``); a weaker one needs the commitment's text to agree. Tags only ever
make *suggested* alignments. Participation tags point at the process item on co-creation: they are kept
for reviewers looking for process evidence, and never turn into commitment alignments.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from commitments.models import PolicyArea, PolicyAreaCrosswalk
from resolutions.frameworks import CALL_TO_ACTION_SLUG
from resolutions.models import ActionItem, Era

CIVIC_SPACE_ITEM = "cta2019-civic-space-2"
CO_CREATION_ITEM = "cta2019-civic-space-3"
GENDER_ITEM = "cta2019-gender-inclusion-2"
DIGITAL_RIGHTS_ITEM = "cta2019-digital-democracy-2"
ALGORITHMS_ITEM = "cta2019-digital-democracy-3"
DIGITAL_ERA = "digital-democracy"
# A link to one item this strong makes its tag a weak label for the item; weaker item links ("a gender gap
# must show in the text") do not. A link to a whole era always does: it says what the commitment is about.
WEAK_LABEL_MIN_WEIGHT = 0.7


@dataclass(frozen=True)
class Link:
    policy_area: str
    weight: float
    action_item: str = ""
    era: str = ""
    note: str = ""


CROSSWALK_SEED: tuple[Link, ...] = (
    # civic space
    Link("Civic Space and Enabling Environment", 1.0, CIVIC_SPACE_ITEM),
    Link("Freedom of Assembly", 1.0, CIVIC_SPACE_ITEM),
    Link("Freedom of Association", 1.0, CIVIC_SPACE_ITEM),
    Link("Freedom of Expression", 1.0, CIVIC_SPACE_ITEM),
    Link("Online Civic Space", 0.5, CIVIC_SPACE_ITEM),
    # inclusion and gender: the item asks for women's, girls' and non-binary people's needs
    Link("Gender", 1.0, GENDER_ITEM),
    Link("Gender-Based Violence", 1.0, GENDER_ITEM),
    Link("LGBTQIA+", 1.0, GENDER_ITEM),
    Link("Inclusion", 0.5, GENDER_ITEM, note="Inclusion in general; a gender gap must show in the text."),
    Link("People with Disabilities", 0.5, GENDER_ITEM, note="A gender gap must show in the text."),
    Link("Youth", 0.5, GENDER_ITEM, note="A gender gap must show in the text."),
    Link("Economic Inclusion", 0.5, GENDER_ITEM, note="A gender gap must show in the text."),
    # digital governance
    Link("Digital Governance", 0.5, era=DIGITAL_ERA, note="Broad tag; also given to commitments that only use IT."),
    Link("Automated Decision-making", 1.0, ALGORITHMS_ITEM),
    Link("Data Stewardship and Privacy", 1.0, DIGITAL_RIGHTS_ITEM),
    Link("Digital Inclusion", 0.7, DIGITAL_RIGHTS_ITEM, note="Internet access and control."),
    Link("Disinformation/Misinformation", 1.0, DIGITAL_RIGHTS_ITEM),
    Link("Online Civic Space", 1.0, DIGITAL_RIGHTS_ITEM),
    # participation and co-creation: a process item, evidenced by ProcessEvidence rather than commitments
    Link("Democratizing Decision-Making", 0.5, CO_CREATION_ITEM),
    Link("Public Participation", 0.5, CO_CREATION_ITEM),
    Link("Digital Participation", 0.5, CO_CREATION_ITEM, note="Uses digital tools; not digital governance."),
    Link("Mainstreaming Participation", 0.5, CO_CREATION_ITEM),
)


@transaction.atomic
def load_crosswalk() -> dict[str, int]:
    """Add the seed's policy areas and links that are missing; weights edited since are left as they are.

    Needs the Call to Action loaded (``load_frameworks``).
    """
    created = 0
    for link in CROSSWALK_SEED:
        area, _ = PolicyArea.objects.get_or_create(name=link.policy_area, defaults={"slug": slugify(link.policy_area)})
        if link.action_item:
            target: dict[str, object] = {"action_item": ActionItem.objects.get(code=link.action_item)}
        else:
            target = {"era": Era.objects.get(resolution__slug=CALL_TO_ACTION_SLUG, key=link.era)}
        row = PolicyAreaCrosswalk.objects.filter(policy_area=area, **target).first()
        if row is None:
            row = PolicyAreaCrosswalk(policy_area=area, weight=link.weight, note=link.note, **target)
            row.full_clean()
            row.save()
            created += 1
    return {"links": PolicyAreaCrosswalk.objects.count(), "created": created}


def crosswalk_targets(items: Sequence[ActionItem]) -> dict[int, dict[int, float]]:
    """policy area id -> {action item id: weight}; an era target stands for each of its commitment items."""
    by_era: dict[int, list[int]] = defaultdict(list)
    for item in items:
        if item.era_id is not None:
            by_era[item.era_id].append(item.pk)
    wanted = {item.pk for item in items}
    targets: dict[int, dict[int, float]] = defaultdict(dict)
    for area_id, era_id, item_id, weight in PolicyAreaCrosswalk.objects.values_list(
        "policy_area_id", "era_id", "action_item_id", "weight"
    ):
        for target in by_era.get(era_id, []) if era_id else ([item_id] if item_id in wanted else []):
            targets[area_id][target] = max(weight, targets[area_id].get(target, 0.0))
    return targets


def weak_label_areas(items: Sequence[ActionItem]) -> dict[int, set[int]]:
    """action item id -> the policy areas whose `yes` tag makes a commitment a positive example for it.

    Links to the item's era count whatever their weight; links to the item itself from WEAK_LABEL_MIN_WEIGHT.
    Links to other items (process items among them) never do.
    """
    by_era: dict[int, list[int]] = defaultdict(list)
    for item in items:
        if item.era_id is not None:
            by_era[item.era_id].append(item.pk)
    wanted = {item.pk for item in items}
    areas: dict[int, set[int]] = {item.pk: set() for item in items}
    for area_id, era_id, item_id, weight in PolicyAreaCrosswalk.objects.values_list(
        "policy_area_id", "era_id", "action_item_id", "weight"
    ):
        if era_id is not None:
            for target in by_era.get(era_id, []):
                areas[target].add(area_id)
        elif item_id in wanted and weight >= WEAK_LABEL_MIN_WEIGHT:
            areas[item_id].add(area_id)
    return areas
