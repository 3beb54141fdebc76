import pytest
from playwright.sync_api import Page, expect

from resolutions.frameworks import load_frameworks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_call_to_action_and_finds_the_way_to_log_in(live_server, page: Page):
    load_frameworks()
    page.goto(live_server.url + "/call-to-action/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Collective Leadership to Protect Participation")
    eras = page.locator("section.era")
    expect(eras).to_have_count(3)
    expect(eras.nth(2)).to_contain_text("Develop and promote open, ethical algorithms and artificial intelligence.")
    expect(page.locator("#cta2019-support-unit-1")).to_contain_text("OGP Support Unit")
    page.get_by_role("link", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/call-to-action/")
    expect(page.get_by_label("Username")).to_be_visible()


def test_the_home_page_is_usable_on_a_phone(live_server, page: Page):
    load_frameworks()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    expect(page.locator("section.era").first).to_be_visible()
