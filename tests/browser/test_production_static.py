"""The site as production runs it: gunicorn, DEBUG off, static files served by WhiteNoise under hashed,
compressed names (as docker-compose.yml runs it)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response

from tests.conftest import ROOT, _test_database_url

pytestmark = [pytest.mark.browser]

PRODUCTION_SECRET = "a-production-like-secret-key-for-the-static-files-test-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:  # refused while booting, or a first answer slower than the probe
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer {url} within {timeout:.0f} s")


@pytest.fixture
def gunicorn_url(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    database_url = _test_database_url()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("STATIC_MANIFEST", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    log = (ROOT / "var").joinpath("gunicorn-static-test.log")
    log.parent.mkdir(exist_ok=True)
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ogp_tracker.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url + "/healthz", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def stylesheets_loaded(page: Page, url: str) -> list[Response]:
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response) if "/static/" in response.url else None)
    page.goto(url)
    page.wait_for_load_state("load")
    css = [response for response in responses if response.url.endswith(".css")]
    assert css, f"no stylesheet was requested by {url}"
    assert all(response.status == 200 for response in css), [(r.url, r.status) for r in css]
    return css


def test_the_site_and_the_admin_keep_their_css_under_gunicorn_with_debug_off(gunicorn_url: str, page: Page):
    site_css = stylesheets_loaded(page, gunicorn_url + "/")
    assert any(re.search(r"/static/css/site\.[0-9a-f]{12}\.css$", response.url) for response in site_css)
    # site.css sets the body's margin to 0; the browser's own default is 8px.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"

    admin_css = stylesheets_loaded(page, gunicorn_url + "/admin/login/")
    assert any(re.search(r"/static/admin/css/base\.[0-9a-f]{12}\.css$", response.url) for response in admin_css)
    assert (
        page.evaluate(
            "document.querySelector('#header') && getComputedStyle(document.querySelector('#header')).display"
        )
        == "flex"
    )

    request = urllib.request.Request(site_css[0].url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.headers["Content-Encoding"] == "gzip"
        assert "immutable" in answer.headers["Cache-Control"]
