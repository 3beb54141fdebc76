"""Framework texts in the visitor's language, with the English source as the fallback."""

import pytest
from django.utils import translation

from resolutions.framework_translations import ACTION_ITEMS, ERAS, RESOLUTIONS
from resolutions.frameworks import load_frameworks
from resolutions.models import ActionItem, Era, Resolution
from resolutions.translation import TRANSLATED_FIELDS, localized, localized_expression

pytestmark = pytest.mark.django_db

ITEM = "cta2019-digital-democracy-3"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Open, ethical algorithms and artificial intelligence"),
        ("es", "Algoritmos e inteligencia artificial abiertos y éticos"),
        ("fr", "Algorithmes et intelligence artificielle ouverts et éthiques"),
        ("es-ar", "Algoritmos e inteligencia artificial abiertos y éticos"),
        ("de", "Open, ethical algorithms and artificial intelligence"),
    ],
)
def test_an_action_item_reads_in_the_active_language(call_to_action, language, expected):
    item = ActionItem.objects.get(code=ITEM)
    with translation.override(language):
        assert localized(item, "short_title") == expected
        assert ActionItem.objects.annotate(title=localized_expression("short_title")).get(code=ITEM).title == expected


def test_a_text_without_a_translation_falls_back_to_the_english_source(call_to_action):
    era = Era.objects.get(key="civic-space")
    Era.objects.filter(pk=era.pk).update(title_fr="", description_es="")
    era.refresh_from_db()
    with translation.override("fr"):
        assert localized(era, "title") == "Closing civic space"
        assert Era.objects.annotate(t=localized_expression("title")).get(pk=era.pk).t == "Closing civic space"
    with translation.override("es"):
        assert localized(era, "title") == "Cierre del espacio cívico"
        assert localized(era, "description") == era.description
    assert localized(era, "title", language="fr") == "Closing civic space"


def test_only_translated_fields_can_be_asked_for(call_to_action):
    with pytest.raises(ValueError, match="key has no translations"):
        localized(Era.objects.get(key="civic-space"), "key")


@pytest.mark.parametrize("language", ["es", "fr"])
def test_loading_the_frameworks_translates_every_text_of_every_resolution_era_and_action_item(db, language):
    load_frameworks()
    models: dict[str, type[Resolution] | type[Era] | type[ActionItem]] = {
        "resolution": Resolution,
        "era": Era,
        "actionitem": ActionItem,
    }
    for name, fields in TRANSLATED_FIELDS.items():
        for obj in models[name].objects.all():
            for field in fields:
                source, translated = getattr(obj, field), getattr(obj, f"{field}_{language}")
                assert bool(translated) == bool(source), f"{obj} has no {language} {field}"
                assert translated != source or len(source) < 12, f"{obj}'s {language} {field} is the English"


def test_every_translation_names_a_seed_that_exists(db):
    load_frameworks()
    assert set(RESOLUTIONS) == set(Resolution.objects.values_list("slug", flat=True))
    assert set(ERAS) == set(Era.objects.values_list("resolution__slug", "key"))
    assert set(ACTION_ITEMS) == set(ActionItem.objects.values_list("code", flat=True))


def test_loading_again_changes_nothing_and_does_not_count_as_a_framework_change(db):
    load_frameworks()
    assert load_frameworks()["changed"] == 0
