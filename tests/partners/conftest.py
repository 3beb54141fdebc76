"""Partner personas (an account with a token per scope, an expired token) and a local webhook receiver."""

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from commitments.roles import ensure_roles


@pytest.fixture(autouse=True)
def _roles(db: None, settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the personas' passwords, fast
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}  # many requests, one address
    ensure_roles()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: records what it gets and answers `status`."""

    port: int = 0
    status: int = 204
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/ogp"


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    """Reaching 127.0.0.1 is allowed through WEBHOOK_ALLOWED_NETWORKS, the setting only tests use (pytest runs
    with DEBUG off, so every other private address stays refused)."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
