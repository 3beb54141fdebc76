"""Read-only API pages kept in the shared cache, dropped by any write to the data they are made from.

A cached page is stored under the data's *generation*, a counter in the cache. Every statement that
inserts, updates, deletes or truncates a table of the `commitments` or `resolutions` apps moves the
generation on, whatever wrote it (the domain functions, an import's bulk writes, the admin, a migration,
raw SQL), because the check sits in the database connection itself (`watch_writes`), not in the callers:

- outside a transaction, right after the statement;
- inside one, once, when it commits (`transaction.on_commit`), so no one caches the old data under the new
  generation while the transaction is still open. A rolled-back transaction moves nothing.

A request whose own connection holds uncommitted writes to those tables never reads or fills the cache: it
must see what it wrote. Pages are kept `API_RESPONSE_CACHE_SECONDS` at most; 0 turns the cache off, and it is
off unless the cache is shared between processes (Redis), since a per-process cache could not be told of
another process's writes. An unreachable cache is a miss, never an error.
"""

import logging
import re
import time
from collections.abc import Callable
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)

GENERATION_KEY = "api:generation:{database}"
WATCHED_APPS = ("commitments", "resolutions")
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)
_TRUNCATE = re.compile(r"^\s*TRUNCATE\b", re.IGNORECASE)


@cache
def watched_tables() -> frozenset[str]:
    """The tables the API's cached pages are read from: every model of the watched apps, with their
    many-to-many tables."""
    tables: set[str] = set()
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table.lower())
    return frozenset(tables)


def writes_watched_table(sql: str) -> bool:
    head = sql[:300]
    if _TRUNCATE.match(head):
        lowered = sql.lower()
        return any(table in lowered for table in watched_tables())
    found = _WRITE.match(head)
    return found is not None and found.group(1).lower() in watched_tables()


def enabled() -> bool:
    return settings.API_RESPONSE_CACHE_SECONDS > 0


def _database() -> str:
    """Keys name the database, so deployments (or a test run) sharing one Redis never read each other's pages."""
    return str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])


def _generation_key() -> str:
    return GENERATION_KEY.format(database=_database())


def _fresh_generation() -> int:
    """A new generation counts microseconds, so one started again after the cache lost it is past every
    generation pages may still be kept under."""
    return time.time_ns() // 1000


def generation() -> int | None:
    """The data's current generation, started when the cache has none; None when the cache cannot answer."""
    try:
        key = _generation_key()
        value = shared_cache.get(key)
        if value is None:
            shared_cache.add(key, _fresh_generation(), timeout=None)
            value = shared_cache.get(key)
        return int(value) if value is not None else None
    except Exception:  # an unreachable cache is a miss
        logger.warning("The API cache cannot be read; answering without it.", exc_info=True)
        return None


def advance_generation() -> None:
    """Moves the generation on: every page cached so far is out of date."""
    try:
        key = _generation_key()
        try:
            shared_cache.incr(key)
        except ValueError:  # none yet (or evicted): start one past every earlier generation
            shared_cache.add(key, _fresh_generation(), timeout=None)
    except Exception:  # a write never fails for the cache; the pages' lifetime bounds what it misses
        logger.warning("The API cache's generation could not be moved on.", exc_info=True)


def _pending(connection: Any) -> bool:
    return any(callback is advance_generation for _, callback, _ in connection.run_on_commit)


def watch_writes(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Connected to `connection_created`: every new database connection reports its writes."""

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if isinstance(sql, str) and writes_watched_table(sql) and not _pending(connection):
            connection.on_commit(advance_generation)  # outside a transaction, Django runs it at once
        return result

    if wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(wrapper)


def page_key(request: Any, view: Any) -> str | None:
    """Where this request's page is cached; None when it must not be (cache off or unreachable, a method
    other than GET or HEAD, or uncommitted writes of its own)."""
    if not enabled() or request.method not in ("GET", "HEAD"):
        return None
    if _pending(connections[DEFAULT_DB_ALIAS]):
        return None
    current = generation()
    if current is None:
        return None
    media = getattr(request, "accepted_media_type", "") or ""
    name = f"{type(view).__module__}.{type(view).__qualname__}.{getattr(view, 'action', '')}"
    language = translation.get_language()
    # The whole address, host and scheme included: pages link to their next page by absolute URL.
    return f"api:page:{_database()}:{current}:{language}:{media}:{name}:{request.build_absolute_uri()}"


def cached_page(key: str) -> HttpResponse | None:
    try:
        stored = shared_cache.get(key)
    except Exception:
        return None
    if stored is None:
        return None
    content, content_type, headers = stored
    response = HttpResponse(content, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    response.api_cached = True  # type: ignore[attr-defined]
    return response


KEPT_HEADERS = ("ETag", "Last-Modified", "Vary")


def keep_page(key: str, response: Any) -> None:
    """Stores a rendered 200 page with the headers that describe it."""
    if response.status_code != 200 or response.streaming or getattr(response, "api_cached", False):
        return
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    try:
        shared_cache.set(
            key, (response.content, response["Content-Type"], headers), timeout=settings.API_RESPONSE_CACHE_SECONDS
        )
    except Exception:
        logger.warning("The API cache cannot be written; the page is served uncached.", exc_info=True)
