"""The public journeys in a real browser, at desktop and phone width, with a screenshot of every page saved
under var/test-artifacts/screenshots/ (kept out of the repository) as the run's artifacts."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from commitments.scoring.runs import run_full_recompute_in_process
from commitments.seeds import load_member_groups
from demo.dataset import load_demo
from resolutions.frameworks import load_frameworks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def demo_site(live_server):
    load_frameworks()
    load_member_groups()
    load_demo(members=8, commitments_per_plan=6, seed=5)
    run_full_recompute_in_process()
    return live_server


def shoot(page: Page, name: str, width_name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width_name}.png"), full_page=True)
    width = WIDTHS[width_name][0]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways at {width} px"
    if width_name == "desktop":  # at 1280 px no table is clipped: none needs its own scroll bar
        clipped = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].filter(e => e.scrollWidth > e.clientWidth).length"
        )
        assert clipped == 0, f"{name}: {clipped} table(s) clipped at {width} px"


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_a_visitor_goes_from_the_dashboard_to_a_member_an_action_item_and_a_commitment(demo_site, page, width_name):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width_name], strict=True)))
    page.goto(demo_site.url + "/")
    expect(page.get_by_role("heading", level=2, name="Members and eras")).to_be_visible()
    shoot(page, "dashboard", width_name)
    heat = page.locator("table.heat")
    # the last era column is fully inside the page at desktop width, or scrolls inside its own box on a phone
    last_header = heat.locator("thead th").last
    expect(last_header).to_contain_text("Digital opportunities")

    page.get_by_label("Region").select_option(label="Americas")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(demo_site.url + "/?region=americas&kind=&group=#heat-map")
    heat.get_by_role("link", name="Mexico").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mexico")
    shoot(page, "member", width_name)

    page.locator("section.era-detail a[href^='/action-items/']").first.click()
    expect(page.get_by_role("heading", level=2, name="What it asks")).to_be_visible()
    shoot(page, "action-item", width_name)

    page.get_by_role("link", name="Mexico").first.click()
    page.locator("section.era-detail a[href^='/commitments/']").first.click()
    expect(page.get_by_role("heading", level=2, name="IRM assessment")).to_be_visible()
    expect(page.locator(".commitment-text mark").first).to_be_visible()
    shoot(page, "commitment", width_name)


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_a_visitor_searches_commitments_with_filters(demo_site, page, width_name):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width_name], strict=True)))
    page.goto(demo_site.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Words").fill("data")
    page.get_by_label("Alignment status").select_option("confirmed")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("found")
    expect(page.locator(".snippet mark").first).to_be_visible()
    shoot(page, "search", width_name)
    page.locator(".results a").first.click()
    expect(page.get_by_role("heading", level=2, name="Full text")).to_be_visible()


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_a_visitor_compares_members_and_shares_the_address(demo_site, page, width_name):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width_name], strict=True)))
    page.goto(demo_site.url + "/compare/")
    page.get_by_label("Member 1").select_option(label="Mexico")
    page.get_by_label("Member 2").select_option(label="New Zealand")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(demo_site.url + "/compare/?m=MEX&m=NZL&m=&m=")
    shared = page.url
    table = page.locator("table.compare")
    expect(table.locator("thead")).to_contain_text("Mexico")
    expect(table.locator("thead")).to_contain_text("New Zealand")
    shoot(page, "compare", width_name)
    page.goto(shared)
    expect(page.locator("table.compare thead")).to_contain_text("New Zealand")


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_other_public_pages_fit_the_screen(demo_site, page, width_name):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width_name], strict=True)))
    for name, path in (
        ("members", "/members/"),
        ("meeting", "/meetings/thematic-leadership-call-2021-02-11/"),
        ("meetings", "/meetings/"),
        ("about", "/about/"),
        ("not-found", "/no/such/page/"),
    ):
        page.goto(demo_site.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        shoot(page, name, width_name)
