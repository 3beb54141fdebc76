"""Requests per second of the API's main lists under gunicorn, next to a bare JsonResponse over the same rows.

Runs gunicorn on 127.0.0.1 over the configured PostgreSQL database (with DEBUG off and throttling lifted),
loads each URL with wrk for a bounded time, and prints requests per second and the ratio to the floor:
first with the API's page cache as configured (Redis), then with it off, so both figures are in one run.
`make bench-api` installs wrk (Debian's package) when it is missing, then runs this command.
It reads whatever the database holds: load data first (`manage.py bootstrap --demo-members 400`).
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commitments.models import Commitment, Member, Score

LISTS = [
    ("commitments", "/api/v1/commitments/", "/bench/commitments/"),
    ("members", "/api/v1/members/", "/bench/members/"),
    ("scores", "/api/v1/scores/", "/bench/scores/"),
]
TARGET = 0.70
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
LATENCY = re.compile(r"Latency\s+([\d.]+)(us|ms|s)\b")
TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class Command(BaseCommand):
    help = "Requests per second of the API's commitments, members and scores lists against a bare JsonResponse."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8121)
        parser.add_argument("--seconds", type=int, default=10, help="wrk duration per URL (bounded)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--connections", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("bench_api measures over PostgreSQL: set DATABASE_URL.")
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed: run `make bench-api`, or apt-get install wrk.")
        counts = (Member.objects.count(), Commitment.objects.count(), Score.objects.count())
        if not all(counts):
            raise CommandError("The database holds no members, commitments or scores: load data first.")
        self.stdout.write("rows: {} members, {} commitments, {} scores".format(*counts))
        seconds = max(1, min(options["seconds"], 120))
        base = f"http://127.0.0.1:{options['port']}"
        shared = settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        cache_seconds = settings.API_RESPONSE_CACHE_SECONDS if shared else 0
        modes = [("cached", {}), ("uncached", {"API_RESPONSE_CACHE_SECONDS": "0"})]
        if not cache_seconds:
            self.stdout.write("The API's page cache is off (it needs REDIS_URL): measuring uncached pages only.")
            modes = modes[1:]
        header = f"{'list':<12} {'pages':<9} {'API req/s':>10} {'API ms':>7}"
        header += f" {'bare req/s':>11} {'bare ms':>8} {'ratio':>7}"
        self.stdout.write(f"{header}  (target {TARGET:.0%}; ms: mean latency)")
        for mode, env in modes:
            with _gunicorn(options["port"], options["workers"], env) as server:
                _wait_for(base + "/healthz", server)
                for name, api_path, bare_path in LISTS:
                    api, api_ms = _load(wrk, base + api_path, seconds, options["connections"])
                    bare, bare_ms = _load(wrk, base + bare_path, seconds, options["connections"])
                    ratio = api / bare if bare else 0.0
                    verdict = "ok" if ratio >= TARGET else "below target"
                    self.stdout.write(
                        f"{name:<12} {mode:<9} {api:>10.1f} {api_ms:>7.1f} {bare:>11.1f} {bare_ms:>8.1f} {ratio:>7.2f}"
                        f"  {verdict}"
                    )


class _gunicorn:
    def __init__(self, port: int, workers: int, env: dict[str, str]) -> None:
        self.command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "ogp_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "demo.bench_settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "API_ANON_THROTTLE_RATE": "100000000/second",
            "API_USER_THROTTLE_RATE": "100000000/second",
            "LOG_LEVEL": "WARNING",
            **env,
        }

    def __enter__(self) -> subprocess.Popen[bytes]:
        self.process = subprocess.Popen(self.command, env=self.env, cwd=settings.BASE_DIR)
        return self.process

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise CommandError("gunicorn stopped before answering.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer at {url}.")


def _load(wrk: str, url: str, seconds: int, connections: int) -> tuple[float, float]:
    """Requests per second and mean latency in milliseconds."""
    with urllib.request.urlopen(url, timeout=10) as response:  # warm up, and fail loudly on an error
        response.read()
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    found, latency = RATE.search(out), LATENCY.search(out)
    if found is None or latency is None or "Non-2xx" in out:
        raise CommandError(f"wrk failed on {url}:\n{out}")
    return float(found.group(1)), float(latency.group(1)) * TO_MS[latency.group(2)]
