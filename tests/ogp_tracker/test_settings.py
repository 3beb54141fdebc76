import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIGURATION = {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "API_RESPONSE_CACHE_SECONDS"}
SAFE_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings module in a fresh interpreter with exactly this environment."""
    script = (
        "import json, ogp_tracker.settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
        "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE'), 'cache': s.CACHES['default']['BACKEND'], "
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'hosts': s.ALLOWED_HOSTS, "
        "'api_cache': s.API_RESPONSE_CACHE_SECONDS}))"
    )
    clean = {key: value for key, value in os.environ.items() if key not in CONFIGURATION}
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def parsed(**env: str) -> dict:
    import json

    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_nothing_set_it_runs_on_sqlite_with_debug_and_in_process_tasks():
    values = parsed()
    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["cache"].endswith("LocMemCache")
    assert values["api_cache"] == 0  # a per-process cache cannot hear of other processes' writes


def test_database_url_switches_to_postgresql_with_persistent_connections():
    values = parsed(DATABASE_URL="postgres://u:p@db.example:5432/ogp")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] == 600


def test_redis_url_makes_redis_the_broker_and_the_cache():
    values = parsed(REDIS_URL="redis://127.0.0.1:6379/5")
    assert values["broker"] == "redis://127.0.0.1:6379/5"
    assert values["eager"] is False
    assert values["cache"] == "ogp_tracker.redis_cache.SharedClientRedisCache"
    assert values["api_cache"] == 300


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "x" * 60, "a" * 60])
def test_production_refuses_to_start_on_a_missing_or_insecure_key(key):
    result = load_settings(DEBUG="false", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY is missing or insecure" in result.stderr


def test_production_starts_with_a_strong_key_and_its_hosts():
    values = parsed(DEBUG="false", SECRET_KEY=SAFE_KEY, ALLOWED_HOSTS="tracker.example.org, www.example.org")
    assert values["debug"] is False
    assert values["hosts"] == ["tracker.example.org", "www.example.org"]


def test_a_malformed_boolean_is_an_error_not_a_guess():
    result = load_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
