"""A Celery worker of the test's own, for tests that kill worker processes."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest

from ogp_tracker.celery import app as celery_app
from tests.conftest import ROOT, _test_database_url

WORKER_FLAGS = ["--without-gossip", "--without-mingle", "-l", "INFO"]


@pytest.fixture
def own_celery_worker(transactional_db: None, redis_url: str) -> Iterator[subprocess.Popen[bytes]]:
    """Like `celery_worker_process`, but one pool process and for this test alone, so it may be killed."""
    queue = f"test-own-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DB_CONN_MAX_AGE": "0",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    with open(ROOT / "var" / f"celery-worker-{queue}.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ogp_tracker", "worker", "-Q", queue, "-c", "1", *WORKER_FLAGS],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
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
