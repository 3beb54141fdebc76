"""The admin speaks the staff member's language down to the names of models and fields.

Every model of the project's apps, every field, every app and every column the admin lists is named by a
lazy translation whose English text the project's compiled Spanish and French catalogues translate. A name
left as a plain string, or derived by Django from a field name, stays English in every language and fails
here. Some words are the same in a language (`version` in French), so the check is that the catalogue
holds a translation, not that it differs from the English.
"""

import gettext
import html
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth.models import User
from django.db import models
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst

from tests.factories import make_commitment

APPS = ["commitments", "resolutions", "partners"]
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
LOCALE = Path(settings.BASE_DIR) / "locale"


@cache
def compiled(language: str) -> dict[str, str]:
    """The project's own compiled catalogue (not Django's, which knows words such as "user")."""
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        return dict(gettext.GNUTranslations(mo)._catalog)  # type: ignore[attr-defined]


def english(text: object) -> str:
    with translation.override(None):  # no catalogue: a lazy translation gives its message id
        return str(text)


def assert_translated(name: object, what: str) -> None:
    assert isinstance(name, Promise), f"{what} is {name!r}, a plain string: wrap it in gettext_lazy"
    msgid = english(name)
    for language in LANGUAGES:
        msgstr = compiled(language).get(msgid, "")
        assert msgstr.strip(), f"{what}: {msgid!r} has no {language} translation in locale/{language}"
        with translation.override(language):
            assert str(name) == msgstr, f"{what} is not read from the {language} catalogue"


def project_models() -> list[type[models.Model]]:
    return [model for label in APPS for model in apps.get_app_config(label).get_models()]


def project_fields() -> list[tuple[str, models.Field]]:
    return [
        (f"{model._meta.label}.{field.name}", field)
        for model in project_models()
        for field in [*model._meta.fields, *model._meta.many_to_many]
        if not field.auto_created  # the implicit `id`, which Django names "ID" in every language
    ]


def admin_columns() -> list[tuple[str, type[models.Model], admin.ModelAdmin]]:
    return [
        (str(name), model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
        for name in model_admin.list_display
        if name != "pk"  # Django's "ID", as for the implicit `id` above
    ]


@pytest.mark.parametrize("label", APPS)
def test_every_app_name_is_translated(label: str) -> None:
    assert_translated(apps.get_app_config(label).verbose_name, f"the app {label}")


@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_every_model_name_is_translated(model: type[models.Model]) -> None:
    assert_translated(model._meta.verbose_name, f"{model._meta.label}'s verbose_name")
    assert_translated(model._meta.verbose_name_plural, f"{model._meta.label}'s verbose_name_plural")


@pytest.mark.parametrize(("where", "field"), project_fields(), ids=[where for where, _field in project_fields()])
def test_every_field_name_is_translated(where: str, field: models.Field) -> None:
    assert_translated(field.verbose_name, where)


def test_the_tables_cover_every_model_and_field() -> None:
    """The parametrized tests above see the whole of the three apps, not a part of it."""
    assert len(project_models()) >= 30
    assert {"commitments.Commitment", "resolutions.ActionItem", "partners.Delivery"} <= {
        model._meta.label for model in project_models()
    }
    assert "commitments.Commitment.full_text" in dict(project_fields())
    assert "commitments.Member.groups" in dict(project_fields())  # many-to-many fields too
    assert {"commitments.Commitment", "partners.PartnerToken", "partners.Webhook"} <= {
        label for label, _model, _admin in admin_forms()
    }


@pytest.mark.parametrize(
    ("name", "model", "model_admin"),
    admin_columns(),
    ids=[f"{model._meta.label}.{name}" for name, model, _admin in admin_columns()],
)
def test_every_admin_column_header_is_translated(name: str, model: type[models.Model], model_admin) -> None:
    """A column of a field takes the field's name; a column of a method its `@admin.display` description."""
    with translation.override(None):
        msgid = str(label_for_field(name, model, model_admin))
    for language in LANGUAGES:
        msgstr = compiled(language).get(msgid, "")
        assert msgstr.strip(), f"{model._meta.label} column {name} ({msgid!r}) has no {language} translation"
        with translation.override(language):
            assert str(label_for_field(name, model, model_admin)) == msgstr


def admin_forms() -> list[tuple[str, type[models.Model], admin.ModelAdmin]]:
    return [
        (model._meta.label, model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
    ]


@pytest.mark.parametrize(
    ("label", "model", "model_admin"), admin_forms(), ids=[label for label, _model, _admin in admin_forms()]
)
def test_every_admin_form_label_is_translated(label: str, model: type[models.Model], model_admin) -> None:
    """Labels come from the model fields' names, and a form field the admin declares itself needs its own."""
    request = RequestFactory().get("/admin/")
    request.user = User(is_staff=True, is_superuser=True)
    form = model_admin.get_form(request, None)
    for name, field in form.base_fields.items():
        assert isinstance(field.label, Promise), f"{label} form field {name} is labelled {field.label!r}"
        text = english(field.label)
        msgid = text if text in compiled(LANGUAGES[0]) else text[:1].lower() + text[1:]
        for language in LANGUAGES:
            msgstr = compiled(language).get(msgid, "")
            assert msgstr.strip(), f"{label} form field {name} ({text!r}) has no {language} translation"
            with translation.override(language):
                assert str(field.label) == capfirst(msgstr)


# What a Spanish and a French staff member read where English says "Members, commitments and scores",
# "Commitments", "Action plans", "Import runs" (the index), "OGP id", "Short title", "By potential impact"
# (the list) and "Full text", "Lead institution", "Starred (2015 only)" (the form).
SEEN = {
    "es": {
        "index": ["Miembros, compromisos y puntuaciones", "Compromisos", "Planes de acción", "Importaciones"],
        "changelist": ["Identificador OGP", "Título corto", "Por impacto potencial", "Cumplimiento (fin de período)"],
        "change": ["Texto completo", "Institución responsable", "Estelar (solo 2015)", "Plan de acción"],
    },
    "fr": {
        "index": ["Membres, engagements et scores", "Engagements", "Plans d'action", "Importations"],
        "changelist": ["Identifiant OGP", "Titre court", "Par impact potentiel", "Mise en œuvre (fin de mandat)"],
        "change": ["Texte intégral", "Institution chef de file", "Étoilé (2015 uniquement)", "Plan d'action"],
    },
}
ENGLISH = {
    "index": ["Members, commitments and scores", "Action plans", "Import runs"],
    "changelist": ["Ogp id", "Short title", "By potential impact"],
    "change": ["Full text", "Lead institution", "Starred (2015 only)"],
}


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("chosen_by", ["accept_language", "cookie"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_names_models_and_fields_in_the_staff_members_language(
    support_client: Client, language: str, chosen_by: str
) -> None:
    commitment = make_commitment(short_title="Open budgets")
    if chosen_by == "cookie":
        support_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    else:
        support_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    pages = {
        "index": page(support_client, "/admin/"),
        "changelist": page(support_client, "/admin/commitments/commitment/"),
        "change": page(support_client, f"/admin/commitments/commitment/{commitment.pk}/change/"),
    }
    for name, text in pages.items():
        for words in SEEN[language][name]:
            assert words in text, f"{words!r} missing from the {language} admin {name} page"
        for words in ENGLISH[name]:
            assert words not in text, f"{words!r} left in English on the {language} admin {name} page"


@pytest.mark.django_db
def test_the_english_admin_keeps_its_names(support_client: Client) -> None:
    commitment = make_commitment(short_title="Open budgets")
    support_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert all(words in page(support_client, "/admin/") for words in ENGLISH["index"])
    assert all(words in page(support_client, "/admin/commitments/commitment/") for words in ENGLISH["changelist"])
    change = page(support_client, f"/admin/commitments/commitment/{commitment.pk}/change/")
    assert all(words in change for words in ENGLISH["change"])
