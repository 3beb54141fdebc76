"""A Celery worker of the test's own, for tests that kill worker processes."""

import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import _test_database_url, running_celery_worker


@pytest.fixture
def own_celery_worker(transactional_db: None, redis_url: str) -> Iterator[subprocess.Popen[bytes]]:
    """Like `celery_worker_process`, but one pool process and for this test alone, so it may be killed."""
    with running_celery_worker(database_url=_test_database_url(), redis_url=redis_url, concurrency=1) as process:
        yield process
