import pytest
from playwright.sync_api import Page, expect

from commitments.scoring.runs import run_full_recompute_in_process
from commitments.seeds import load_member_groups
from demo.dataset import load_demo
from resolutions.frameworks import load_frameworks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_filters_the_members_and_reads_how_one_score_is_made(live_server, page: Page):
    load_frameworks()
    load_member_groups()
    load_demo(members=8, commitments_per_plan=6, seed=5)
    run_full_recompute_in_process()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Members", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members and their scores")
    page.get_by_label("Group").select_option(label="Leaders Network")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("table.scores tbody tr")
    expect(rows).to_have_count(5)

    page.get_by_role("link", name="New Zealand").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New Zealand")
    expect(page.locator("section.era-detail")).to_have_count(3)
    expect(page.get_by_text("overall score")).to_be_visible()
