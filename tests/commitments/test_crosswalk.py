import pytest
from django.core.management import call_command

from commitments.models import PolicyArea, PolicyAreaCrosswalk
from commitments.suggestions.crosswalk import CROSSWALK_SEED, load_crosswalk


@pytest.mark.django_db
def test_the_seed_crosswalk_loads_once_and_keeps_edited_weights(call_to_action):
    first = load_crosswalk()
    assert first["created"] == len(CROSSWALK_SEED)
    link = PolicyAreaCrosswalk.objects.get(policy_area__name="Gender")
    link.weight = 0.3
    link.save()
    assert load_crosswalk() == {"links": len(CROSSWALK_SEED), "created": 0}
    link.refresh_from_db()
    assert link.weight == 0.3


@pytest.mark.django_db
def test_it_reuses_policy_areas_an_import_already_created(call_to_action):
    area = PolicyArea.objects.create(name="Freedom of Expression", slug="freedom-of-expression")
    call_command("load_crosswalk")
    assert PolicyArea.objects.filter(name="Freedom of Expression").get() == area
    link = area.crosswalk.get()
    assert link.action_item is not None
    assert link.action_item.code == "cta2019-civic-space-2"


@pytest.mark.django_db
def test_the_digital_governance_tag_points_at_the_era(call_to_action):
    load_crosswalk()
    link = PolicyAreaCrosswalk.objects.get(policy_area__name="Digital Governance")
    assert link.era is not None
    assert (link.era.key, link.action_item) == ("digital-democracy", None)
