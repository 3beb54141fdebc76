"""What every browser test may use on any page: an axe-core scan that must find nothing, and screenshots at
desktop and phone width kept as test artifacts (var/test-artifacts/screenshots/, not committed)."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.conftest import ROOT, missing_service

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "test-artifacts" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    if not AXE.exists():
        missing_service(f"{AXE.relative_to(ROOT)} is missing: `make test` installs it with `npm ci`")
    return AXE.read_text()


def axe_violations(page: Page) -> list[dict[str, object]]:
    """Run axe-core on the page as it is now and return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", AXE_TAGS
    )
    return list(result)


def assert_accessible(page: Page) -> None:
    """Zero axe-core violations on the page as it is now, or a failure naming each rule and where it broke."""
    violations = axe_violations(page)
    if violations:
        report = [
            {
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "where": [node["target"] for node in violation["nodes"]][:5],  # type: ignore[attr-defined]
            }
            for violation in violations
        ]
        pytest.fail(f"axe-core found {len(violations)} violation(s) on {page.url}:\n{json.dumps(report, indent=1)}")


def save_screenshots(page: Page, name: str) -> list[Path]:
    """Full-page screenshots of the current page at desktop and at 390 px; the viewport is put back after."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    previous = page.viewport_size or DESKTOP
    paths = []
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(previous)
    return paths


def assert_no_page_overflow(page: Page) -> None:
    """The page itself never scrolls sideways; wide tables scroll inside their own box."""
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in a {widths[1]} px window"
