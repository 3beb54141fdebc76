"""Choosing the interface language: the browser's Accept-Language by default, a switcher that works without
JavaScript and remembers the choice over the browser's."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "lang", "heading"),
    [
        ("", "en", "What members were asked to do"),
        ("es-ES,es;q=0.9,en;q=0.5", "es", "Lo que se pidió a los miembros"),
        ("fr-CA,fr;q=0.9", "fr", "Ce qui a été demandé aux membres"),
        ("de-DE,de;q=0.9", "en", "What members were asked to do"),
    ],
)
def test_the_browsers_language_chooses_the_interface_by_default(call_to_action, accept_language, lang, heading):
    response = Client(HTTP_ACCEPT_LANGUAGE=accept_language).get("/call-to-action/")
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert heading in html


def test_every_page_offers_the_switcher_as_a_plain_form(call_to_action, anonymous_client):
    html = anonymous_client.get("/methodology/").content.decode()
    assert '<form class="language-switcher inline-form" method="post" action="/i18n/setlang/">' in html
    assert '<input type="hidden" name="next" value="/methodology/">' in html
    for code in ("en", "es", "fr"):
        assert f'<option value="{code}" lang="{code}"' in html


def test_the_switcher_remembers_the_choice_over_the_browsers_language(call_to_action):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/methodology/"})
    assert response.status_code == 302 and response["Location"] == "/methodology/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr" and int(cookie["max-age"]) >= 365 * 24 * 3600
    assert "Ce qui a été demandé aux membres" in client.get("/call-to-action/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "What members were asked to do" in client.get("/call-to-action/").content.decode()


def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(call_to_action):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://elsewhere.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
