import pytest
from playwright.sync_api import Page, expect

from commitments.models import Alignment, ReviewStatus
from resolutions.frameworks import load_frameworks
from resolutions.models import ActionItem
from tests.factories import make_alignment, make_commitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "The Ministry of Justice will amend the Law on Associations.\r\n"
    "The amendments protect the freedom of association guaranteed by the Constitution."
)
PASSAGE = "protect the freedom of association"


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/review/")
    expect(page).to_have_url(base + "/accounts/login/?next=/review/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def select_in_text(page: Page, words: str) -> None:
    """Select `words` in the commitment text as a person would with the mouse."""
    page.evaluate(
        """(words) => {
            const pre = document.querySelector('[data-passage-source]');
            const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.textContent.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    pre.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                    return;
                }
            }
            throw new Error('words not found');
        }""",
        words,
    )


def test_a_reviewer_confirms_a_suggestion_with_the_passage_selected_in_the_text(live_server, page: Page, reviewer):
    load_frameworks()
    commitment = make_commitment(ogp_id="ALB0007", title="Reform the registration of associations", full_text=TEXT)
    item = ActionItem.objects.get(code="cta2019-civic-space-2")
    alignment = make_alignment(commitment, item, passage_start=0, passage_end=10, excerpt=TEXT[:10])

    log_in(page, live_server.url, "rita.reviewer", "a-long-reviewer-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggested alignments to review")
    page.get_by_role("row", name="ALB0007").get_by_role("link", name="Review").click()
    expect(page).to_have_url(f"{live_server.url}/review/{alignment.pk}/")
    page.wait_for_load_state()

    select_in_text(page, PASSAGE)
    expect(page.locator("#passage-hint")).to_contain_text(PASSAGE)
    page.get_by_label("Decision").select_option("confirm")
    page.get_by_label("Rationale").fill("It protects the freedom of association.")
    page.get_by_role("button", name="Save decision").click()

    expect(page.locator(".message")).to_have_text(
        "Confirmed: ALB0007 against Commitments defending democratic institutions and rights. "
        f"{commitment.member.name}'s scores will be recomputed shortly."
    )
    expect(page.get_by_role("row", name="ALB0007")).to_have_count(0)
    alignment = Alignment.objects.get(pk=alignment.pk)
    assert alignment.status == ReviewStatus.CONFIRMED
    assert alignment.decided_by is not None and alignment.decided_by.username == "rita.reviewer"
    # the stored offsets point into the stored text, carriage return included
    assert TEXT[alignment.passage_start : alignment.passage_end] == PASSAGE == alignment.excerpt
    assert alignment.history.filter(to_status=ReviewStatus.CONFIRMED).count() == 1


def test_a_logged_in_visitor_without_a_role_is_refused_the_review_queue(live_server, page: Page, visitor):
    log_in(page, live_server.url, "val.visitor", "a-long-visitor-password")
    response = page.goto(live_server.url + "/review/")
    assert response is not None and response.status == 403


def test_the_passage_hint_reads_in_the_reviewers_language(live_server, page: Page, reviewer):
    load_frameworks()
    commitment = make_commitment(ogp_id="ALB0008", title="Reform the registration of associations", full_text=TEXT)
    item = ActionItem.objects.get(code="cta2019-civic-space-2")
    alignment = make_alignment(commitment, item, passage_start=0, passage_end=10, excerpt=TEXT[:10])

    log_in(page, live_server.url, "rita.reviewer", "a-long-reviewer-password")
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(f"{live_server.url}/review/{alignment.pk}/")
    page.wait_for_load_state()

    select_in_text(page, PASSAGE)
    start = TEXT.index(PASSAGE)  # in the stored text, whose CR LF counts as two characters
    expect(page.locator("#passage-hint")).to_have_text(
        f"Pasaje fijado en los caracteres {start}–{start + len(PASSAGE)}: «{PASSAGE}»"
    )
