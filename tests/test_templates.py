"""No template carries an inline script or style, so a strict Content Security Policy can be switched on."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    path
    for folder in ("templates", "commitments/templates", "resolutions/templates", "demo/templates")
    for path in (ROOT / folder).rglob("*.html")
)
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an inline event handler"),
]


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 5


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_inline_scripts_or_styles(path: Path):
    text = path.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{path.relative_to(ROOT)} has {', '.join(found)}"
