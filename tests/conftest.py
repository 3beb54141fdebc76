"""Personas, the seed frameworks, and the real services the integration tests run against."""

import contextlib
import datetime
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from commitments.roles import PARTNERS, REVIEWERS, SUPPORT_UNIT, ensure_roles
from commitments.seeds import load_member_groups
from ogp_tracker import api_cache
from ogp_tracker.celery import app as celery_app
from partners.models import PartnerToken
from partners.tokens import hash_key, issue_token
from resolutions.frameworks import CALL_TO_ACTION_SLUG, load_frameworks
from resolutions.models import Resolution

ROOT = Path(__file__).resolve().parent.parent


def services_required() -> bool:
    """Under CI the real services must be there: a missing one fails the run, never skips it."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(reason: str) -> None:
    if services_required():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _fresh_api_pages(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database is new: no API page cached by an earlier run under its name is read."""
    with django_db_blocker.unblock():
        api_cache.advance_generation()


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests run tasks in-process unless they ask for a real worker."""
    eager = request.node.get_closest_marker("celery_worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _each_test_starts_in_english() -> Iterator[None]:
    """A request leaves its language active on the thread (LocaleMiddleware activates it and nothing resets
    it); each test starts in the site's default language, as a worker or a command does."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def call_to_action(db: None) -> Resolution:
    load_frameworks()
    load_member_groups()
    return Resolution.objects.get(slug=CALL_TO_ACTION_SLUG)


@pytest.fixture
def reviewer(db: None) -> User:
    ensure_roles()
    user = User.objects.create_user("rita.reviewer", "rita@example.org", "a-long-reviewer-password")
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


@pytest.fixture
def support_officer(db: None) -> User:
    ensure_roles()
    user = User.objects.create_user("sam.support", "sam@example.org", "a-long-officer-password", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPPORT_UNIT))
    return user


@pytest.fixture
def visitor(db: None) -> User:
    """Logged in, but with no role: may read what the public reads and nothing more."""
    return User.objects.create_user("val.visitor", "val@example.org", "a-long-visitor-password")


# A partner account (no password: it reaches the API with tokens) and its tokens, one per scope.


@pytest.fixture
def partner(support_officer: User) -> User:
    user = User.objects.create_user("pat.portal", "pat@example.org")
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=PARTNERS))
    return user


@pytest.fixture
def issue(partner: User, support_officer: User):
    def issue(*scopes: str, user: User | None = None) -> str:
        return issue_token(user=user or partner, name="sync", scopes=list(scopes), issued_by=support_officer).key

    return issue


def bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def read_client(issue) -> Client:
    return bearer(issue("read"))


@pytest.fixture
def decide_client(issue) -> Client:
    return bearer(issue("read", "decide"))


@pytest.fixture
def import_client(issue) -> Client:
    return bearer(issue("read", "import"))


@pytest.fixture
def expired_client(issue) -> Client:
    key = issue("read", "decide", "import")
    PartnerToken.objects.filter(key_hash=hash_key(key)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    return bearer(key)


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def reviewer_client(reviewer: User) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def support_client(support_officer: User) -> Client:
    client = Client()
    client.force_login(support_officer)
    return client


@pytest.fixture
def visitor_client(visitor: User) -> Client:
    client = Client()
    client.force_login(visitor)
    return client


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing_service("REDIS_URL is not set: the Celery tests need Redis")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        missing_service(f"Redis at {url} does not answer: {exc}")
    return url


class BrokerQueue:
    """A queue of its own on the real Redis broker, that no worker reads: what was published stays there."""

    def __init__(self, url: str, name: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.name = name

    def length(self) -> int:
        return int(self.client.llen(self.name))

    def task_names(self) -> list[str]:
        import json

        return [json.loads(raw)["headers"]["task"] for raw in self.client.lrange(self.name, 0, -1)]


def _point_celery_at(broker_url: str) -> None:
    celery_app.conf.broker_url = broker_url  # type: ignore[misc]
    celery_app._after_fork()  # type: ignore[attr-defined]  # drop the pools made for the previous broker


@pytest.fixture
def broker_queue(redis_url: str) -> Iterator[BrokerQueue]:
    """Tasks are published to the real broker (not run in-process), on a queue nobody consumes."""
    queue = BrokerQueue(redis_url, f"test-{uuid.uuid4().hex[:12]}")
    previous = (celery_app.conf.broker_url, celery_app.conf.task_default_queue, celery_app.conf.task_always_eager)
    _point_celery_at(redis_url)
    celery_app.conf.task_default_queue = queue.name
    celery_app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        queue.client.delete(queue.name)
        celery_app.conf.task_default_queue = previous[1]
        celery_app.conf.task_always_eager = previous[2]
        _point_celery_at(previous[0])


UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


class Outage:
    """Redis, the broker and the cache, unreachable until `end()`."""

    def __init__(self, settings: object, previous_broker: str, previous_caches: object) -> None:
        self.settings = settings
        self.previous_broker = previous_broker
        self.previous_caches = previous_caches

    def end(self) -> None:
        self.settings.CACHES = self.previous_caches  # type: ignore[attr-defined]
        celery_app.conf.task_always_eager = True
        _point_celery_at(self.previous_broker)


@pytest.fixture
def redis_outage(settings: object) -> Iterator[Outage]:
    """The broker and the cache cannot be reached: publishing fails as it does when Redis is down."""
    previous = celery_app.conf.broker_url
    outage = Outage(settings, previous, settings.CACHES)  # type: ignore[attr-defined]
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": UNREACHABLE_REDIS}
    }
    celery_app.conf.task_always_eager = False
    _point_celery_at(UNREACHABLE_REDIS)
    try:
        yield outage
    finally:
        if celery_app.conf.broker_url == UNREACHABLE_REDIS:
            outage.end()


def _test_database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        missing_service("a real Celery worker needs PostgreSQL (set DATABASE_URL)")
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture(scope="session")
def _session_celery_worker(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest, redis_url: str
) -> Iterator[subprocess.Popen[bytes]]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        database_url = _test_database_url()
    with running_celery_worker(database_url=database_url, redis_url=redis_url, concurrency=2) as process:
        yield process


@pytest.fixture
def celery_worker_process(
    transactional_db: None, _session_celery_worker: subprocess.Popen[bytes]
) -> Iterator[subprocess.Popen[bytes]]:
    """A real `celery worker` process over Redis, on a queue of its own, using the test database.

    The test's data is committed (`transactional_db`). Afterwards, and before the database is emptied,
    the worker is given time to finish what the test left it (a coalesced recompute with a countdown,
    suggestions after an import), so no task of one test runs into the next test's data.
    """
    yield _session_celery_worker
    wait_until_worker_is_idle()


def wait_until_worker_is_idle(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        inspector = celery_app.control.inspect(timeout=2.0, limit=1)  # one worker: stop at its reply
        replies: list[Mapping[str, Sequence[object]]] = [
            inspector.active() or {},
            inspector.reserved() or {},
            inspector.scheduled() or {},
        ]
        if not any(tasks for reply in replies for tasks in reply.values()):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the Celery worker still had tasks {timeout:.0f} s after the test: {replies}")
        time.sleep(0.2)


@contextlib.contextmanager
def running_celery_worker(*, database_url: str, redis_url: str, concurrency: int) -> Iterator[subprocess.Popen[bytes]]:
    """Start `celery worker` on a queue of its own, send this process's tasks there, stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DB_CONN_MAX_AGE": "0",
    }
    log_dir = ROOT / "var"
    log_dir.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "celery", "-A", "ogp_tracker", "worker", "-Q", queue, "-c", str(concurrency),
               "--without-gossip", "--without-mingle", "-l", "INFO"]  # fmt: skip
    with open(log_dir / f"celery-worker-{queue}.log", "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        celery_app.send_task("ogp_tracker.ping", queue=queue).get(timeout=60)
        yield process
    finally:
        celery_app.conf.task_default_queue = previous_queue
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
