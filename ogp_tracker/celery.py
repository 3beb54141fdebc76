"""The Celery app, and the one way work is enqueued: after the current transaction commits, never failing the
caller when the broker is down."""

import logging
import os
from typing import Any

from celery import Celery, Task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_tracker.settings")

logger = logging.getLogger(__name__)

# What a publish raises when the broker (or the cache that coalesces) cannot be reached.
UNREACHABLE: tuple[type[BaseException], ...] = (BrokerUnreachable, ConnectionError, OSError, TimeoutError)
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNREACHABLE += (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover - redis is a dependency
    pass


class TransactionAwareTask(Task):
    """Every task of the project is one of these (`task_cls` below).

    - Inside a transaction, `apply_async` (and `delay`) waits until it commits, and is dropped if it rolls
      back: a worker never reads a row that is not there yet, and work is never enqueued for a write that
      did not happen.
    - A broker that cannot be reached is logged, not raised: the write that asked for the work stands. The
      work it needs is recorded as rows in that write's transaction (`commitments.followup`), and the
      scheduled sweep enqueues it later.
    - With `coalesce = True`, only the first request of a burst is enqueued, with a countdown of
      `FOLLOW_UP_COALESCE_SECONDS`; the task calls `forget_coalesced()` as it starts, so later requests
      enqueue again.
    """

    coalesce = False

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:  # type: ignore[override]
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: self._publish(args, kwargs, options))
            return None
        return self._publish(args, kwargs, options)

    def coalesce_key(self) -> str:
        return f"celery:coalesce:{self.app.conf.task_default_queue}:{self.name}"

    def forget_coalesced(self) -> None:
        from django.core.cache import cache

        try:
            cache.delete(self.coalesce_key())
        except UNREACHABLE as exc:
            logger.warning("Cache unreachable while %s started: %s", self.name, exc)

    def _publish(self, args: Any, kwargs: Any, options: dict[str, Any]) -> Any:
        from django.conf import settings

        if self.coalesce:
            if not self._first_of_burst():
                return None
            options.setdefault("countdown", settings.FOLLOW_UP_COALESCE_SECONDS)
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, **options)  # no broker: the task's errors are the caller's
        try:
            return super().apply_async(args, kwargs, **options)
        except UNREACHABLE as exc:
            logger.warning("Broker unreachable, %s not enqueued; the sweep will pick its work up: %s", self.name, exc)
            if self.coalesce:
                self.forget_coalesced()  # nothing waits: the next request must try again
            return None

    def _first_of_burst(self) -> bool:
        """Whether no request of this burst is waiting yet; with the cache unreachable, enqueue (twice is
        better than never: the task finds the work done)."""
        from django.conf import settings
        from django.core.cache import cache

        try:
            return bool(cache.add(self.coalesce_key(), "1", timeout=settings.FOLLOW_UP_COALESCE_KEY_TIMEOUT))
        except UNREACHABLE as exc:
            logger.warning("Cache unreachable, %s enqueued without coalescing: %s", self.name, exc)
            return True


class CoalescedTask(TransactionAwareTask):
    """A task that a burst of requests enqueues once (see `TransactionAwareTask`)."""

    coalesce = True


app = Celery("ogp_tracker", task_cls=TransactionAwareTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="ogp_tracker.ping")
def ping() -> dict[str, int]:
    """Round trip through the broker and the database, for health checks and tests."""
    from commitments.models import Member
    from resolutions.models import Resolution

    return {"resolutions": Resolution.objects.count(), "members": Member.objects.count()}
