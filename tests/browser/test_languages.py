import pytest
from playwright.sync_api import Page, expect

from resolutions.frameworks import load_frameworks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_switches_to_spanish_then_french_and_the_choice_is_remembered(live_server, page: Page):
    load_frameworks()
    page.goto(live_server.url + "/methodology/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2).first).to_have_text("What counts")

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(live_server.url + "/methodology/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Qué cuenta")
    page.get_by_role("link", name="Panel").click()
    page.get_by_role("link", name="El texto completo del Llamado a la Acción").click()
    expect(page.locator("#cta2019-digital-democracy-3")).to_contain_text(
        "Desarrollar y promover algoritmos e inteligencia artificial abiertos y éticos."
    )

    page.get_by_label("Idioma").select_option("fr")
    page.get_by_role("button", name="Cambiar idioma").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Ce qui a été demandé aux membres")
    expect(page.locator("#cta2019-support-unit-1")).to_contain_text("Unité d’appui de l’OGP")
    page.goto(live_server.url + "/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les membres et leurs scores")


def test_the_browsers_language_is_the_default(live_server, browser):
    load_frameworks()
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(live_server.url + "/call-to-action/")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Lo que se pidió a los miembros")
    context.close()
