"""The interface's catalogues: every message translated into Spanish and French, none missing from them, and
the compiled catalogues the site reads made from the ones in the repository."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# The one way the catalogues are extracted (docs/translations.md); the test below runs the same.
MAKEMESSAGES_IGNORE = [".venv", "tests", "staticfiles", "node_modules", "var", "mutants"]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def live_ids(po: polib.POFile) -> set[tuple[str, str, str]]:
    return {(entry.msgctxt or "", entry.msgid, entry.msgid_plural) for entry in po if not entry.obsolete}


def placeholders(text: str) -> list[str]:
    return re.findall(r"%\(\w+\)[sd]", text)


def untranslated(po: polib.POFile) -> list[str]:
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not forms or not all(form.strip() for form in forms):
            missing.append(entry.msgid)
    return missing


def test_the_interface_speaks_english_spanish_and_french() -> None:
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es", "fr"]
    assert settings.LOCALE_PATHS == [ROOT / "locale"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation(language: str) -> None:
    po = catalogue(language)
    assert len(live_ids(po)) > 100
    assert untranslated(po) == [], f"messages without a {language} translation; see docs/translations.md"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_message(language: str) -> None:
    po = catalogue(language)
    wrong = []
    for entry in po:
        if entry.obsolete:
            continue
        wanted = sorted(placeholders(entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if any(sorted(placeholders(form)) != wanted for form in forms):
            wrong.append(entry.msgid)
    assert wrong == []


def test_the_catalogues_hold_every_message_of_the_source_and_no_other(tmp_path: Path) -> None:
    """makemessages run over a copy of the source must find exactly the messages the catalogues have."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is missing: `make install` installs Debian's gettext")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".git", *MAKEMESSAGES_IGNORE, "__pycache__", "*.mo", ".*_cache"),
    )
    command = [sys.executable, "manage.py", "makemessages", "--no-location", "--verbosity", "0"]
    command += [f"--locale={code}" for code in LANGUAGES]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
    subprocess.run(command, cwd=copy, check=True, env={"PATH": "/usr/bin:/bin", "DEBUG": "true"})
    for language in LANGUAGES:
        fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        committed = catalogue(language)
        missing = sorted(live_ids(fresh) - live_ids(committed))
        stale = sorted(live_ids(committed) - live_ids(fresh))
        assert (missing, stale) == ([], []), (
            f"locale/{language} is out of date with the source: run the makemessages command in docs/translations.md"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_made_from_the_one_in_the_repository(language: str) -> None:
    compiled = ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"
    assert compiled.exists(), "catalogues are compiled by `make install` (compilemessages)"
    translations = {(entry.msgid, entry.msgstr) for entry in polib.mofile(str(compiled)) if entry.msgid}
    source = {
        (entry.msgid, entry.msgstr) for entry in catalogue(language) if not entry.obsolete and not entry.msgid_plural
    }
    assert source <= translations
