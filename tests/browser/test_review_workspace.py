"""The reviewer's journeys in a real browser: keyboard decisions that move a member's score, the conflict
answer, bulk decisions without JavaScript, and accessibility scans with screenshots of every page."""

import pytest
from playwright.sync_api import Browser, Page, expect

from commitments.models import Alignment, Member, ReviewStatus
from commitments.reviews import edit_alignment
from commitments.scoring.runs import run_full_recompute_in_process
from resolutions.frameworks import load_frameworks
from resolutions.models import ActionItem, Meeting
from tests.browser.helpers import DESKTOP, PHONE, assert_accessible, assert_no_page_overflow, save_screenshots
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "The Ministry will adopt a personal data protection law and create an independent data protection authority."
PASSAGE = (26, 56)
ITEM = "cta2019-digital-democracy-2"


def suggestion(member_name: str = "Keyboardia", confidence: float = 0.9) -> Alignment:
    plan = make_action_plan(make_member(name=member_name))
    commitment = make_commitment(plan, title="A data protection law", full_text=TEXT)
    start, end = PASSAGE
    return make_alignment(
        commitment,
        ActionItem.objects.get(code=ITEM),
        confidence=confidence,
        passage_start=start,
        passage_end=end,
        excerpt=TEXT[start:end],
    )


def log_in_from_the_home_page(page: Page, base: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("rita.reviewer")
    page.get_by_label("Password").fill("a-long-reviewer-password")
    page.get_by_role("button", name="Log in").click()


def era_score(page: Page) -> str:
    return page.locator("section.era-detail.digital-democracy h2").inner_text()


def test_a_reviewer_lands_on_the_queue_and_confirms_with_the_keyboard_and_the_score_moves(
    live_server, page: Page, reviewer
):
    load_frameworks()
    alignment = suggestion()
    run_full_recompute_in_process()
    member = alignment.commitment.member
    page.goto(f"{live_server.url}/members/{member.code}/")
    before = era_score(page)
    assert before.endswith(": 0.00")

    log_in_from_the_home_page(page, live_server.url)
    expect(page).to_have_url(live_server.url + "/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggested alignments to review")
    expect(page.locator("tbody mark")).to_have_text(TEXT[PASSAGE[0] : PASSAGE[1]])
    assert_accessible(page)
    save_screenshots(page, "review-queue")

    page.keyboard.press("?")
    expect(page.locator("#keyboard-help")).to_have_attribute("open", "")
    page.keyboard.press("?")
    page.keyboard.press("j")
    expect(page.locator("tr.is-current")).to_contain_text("Keyboardia")
    page.keyboard.press("c")
    expect(page.get_by_label("Select", exact=False).first).to_be_checked()
    expect(page.get_by_role("textbox", name="Rationale")).to_be_focused()
    page.keyboard.type("The law is the data protection the item asks for.")
    page.keyboard.press("Enter")

    expect(page.locator(".message")).to_contain_text("1 confirmed")
    alignment.refresh_from_db()
    assert (alignment.status, alignment.decided_by) == (ReviewStatus.CONFIRMED, reviewer)
    page.goto(f"{live_server.url}/members/{member.code}/")
    expect(page.locator("section.era-detail.digital-democracy h2")).not_to_have_text(before)


def test_a_reviewer_meets_a_conflict_sees_what_changed_and_decides_again(
    live_server, page: Page, reviewer, support_officer
):
    load_frameworks()
    alignment = suggestion()
    log_in_from_the_home_page(page, live_server.url)
    page.goto(f"{live_server.url}/review/{alignment.pk}/")
    save_screenshots(page, "review-detail")
    assert_accessible(page)

    edit_alignment(alignment=alignment, user=support_officer, version=1, rationale="Only the authority.",
                   passage_start=71, passage_end=len(TEXT))  # fmt: skip

    page.keyboard.press("r")
    expect(page.get_by_label("Decision")).to_have_value("reject")
    expect(page.get_by_label("Rationale")).to_be_focused()
    page.keyboard.type("Not about rights.")
    page.keyboard.press("Control+Enter")

    expect(page.get_by_role("heading", name="What changed since you opened it")).to_be_visible()
    expect(page.locator(".conflict")).to_contain_text("Only the authority.")
    expect(page.locator(".conflict")).to_contain_text("sam.support")
    expect(page.get_by_label("Rationale")).to_have_value("Not about rights.")
    assert_accessible(page)
    save_screenshots(page, "review-conflict")
    alignment.refresh_from_db()
    assert alignment.status == ReviewStatus.SUGGESTED

    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".message")).to_contain_text("Rejected")
    alignment.refresh_from_db()
    assert (alignment.status, alignment.version) == (ReviewStatus.REJECTED, 3)
    assert alignment.excerpt == TEXT[71:]  # the passage the other person set stays


def test_the_queue_works_without_javascript(live_server, browser: Browser, reviewer):
    load_frameworks()
    first, second = suggestion("Firstland", 0.9), suggestion("Secondland", 0.8)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in_from_the_home_page(page, live_server.url)
    page.get_by_role("checkbox", name=f"Select {first.commitment.ogp_id}").check()
    page.get_by_role("checkbox", name=f"Select {second.commitment.ogp_id}").check()
    page.get_by_role("radio", name="Reject").check()
    page.get_by_role("textbox", name="Rationale").fill("Neither is about data rights.")
    page.get_by_role("button", name="Decide the selected").click()
    expect(page.locator(".message")).to_contain_text("2 rejected")
    context.close()
    assert set(Alignment.objects.values_list("status", flat=True)) == {ReviewStatus.REJECTED}


def test_the_public_pages_and_the_workspace_pass_an_accessibility_scan(live_server, page: Page, reviewer):
    from commitments.seeds import load_member_groups
    from demo.dataset import load_demo

    load_frameworks()
    load_member_groups()
    load_demo(members=4, commitments_per_plan=3, seed=5)
    run_full_recompute_in_process()
    alignment = Alignment.objects.select_related("commitment__member", "action_item").first()
    assert alignment is not None
    code = alignment.commitment.member.code
    others = "&".join(f"m={c}" for c in Member.objects.values_list("code", flat=True)[:3])
    meeting = Meeting.objects.first()
    assert meeting is not None
    pages = {
        "home": "/",
        "call-to-action": "/call-to-action/",
        "members": "/members/",
        "member": f"/members/{code}/",
        "action-item": f"/action-items/{alignment.action_item.code}/",
        "commitment": f"/commitments/{alignment.commitment.ogp_id}/",
        "search": "/search/?q=data",
        "compare": f"/compare/?{others}",
        "meetings": "/meetings/",
        "meeting": f"/meetings/{meeting.slug}/",
        "methodology": "/methodology/",
        "about": "/about/",
        "login": "/accounts/login/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert_accessible(page)
        save_screenshots(page, name)
        page.set_viewport_size(PHONE)  # tables that scroll in their own box must be reachable by keyboard
        assert_accessible(page)
        assert_no_page_overflow(page)
        page.set_viewport_size(DESKTOP)

    log_in_from_the_home_page(page, live_server.url)
    for name, path in {"review-queue-demo": "/review/", "evidence": "/review/evidence/"}.items():
        page.goto(live_server.url + path)
        assert_accessible(page)
        save_screenshots(page, name)
        page.set_viewport_size(PHONE)
        assert_accessible(page)
        assert_no_page_overflow(page)
        page.set_viewport_size(DESKTOP)


def test_the_accessibility_scan_fails_on_a_page_with_a_violation(page: Page):
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        assert_accessible(page)
