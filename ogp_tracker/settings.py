"""One settings module for every environment, read from the environment.

With nothing set it runs on a SQLite file with DEBUG on and Celery tasks executed in-process.
``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis as broker and cache.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
DEV_SECRET_KEY = "django-insecure-ogp-tracker-development-key-only-for-debug-mode"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0, yes/no), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def is_insecure_secret_key(key: str) -> bool:
    """Mirror Django's deployment check: long, varied, and not a generated development key."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and is_insecure_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or insecure: with DEBUG off it must be at least 50 varied characters "
        "and must not start with 'django-insecure'."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "resolutions",
    "commitments",
    "partners",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ from STATIC_ROOT in every environment, DEBUG or not (gunicorn has no static files).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: the visitor's choice (cookie), else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ogp_tracker.urls"
WSGI_APPLICATION = "ogp_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "ogp_tracker.redis_cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Read-only API pages are kept this many seconds at most in the shared cache, and dropped at once by any
# write to the data (ogp_tracker/api_cache.py). Off (0) without Redis: a per-process cache cannot be told
# of another process's writes.
API_RESPONSE_CACHE_SECONDS = env_int("API_RESPONSE_CACHE_SECONDS", 300 if REDIS_URL else 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface's languages: English is the source, Spanish and French are translated in locale/.
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Hashed, compressed names (site.3f2a….css, with .gz and .br beside it) need `collectstatic` to have run,
# which production always does; development and tests read the files as they are unless asked.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Imports of OGP's commitment export: the largest file and the largest single cell accepted.
OGP_IMPORT_MAX_BYTES = env_int("OGP_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
OGP_IMPORT_MAX_CELL_CHARS = env_int("OGP_IMPORT_MAX_CELL_CHARS", 100_000)
# What a file may unpack to: an XLSX's parts uncompressed, and the rows and columns of either format.
OGP_IMPORT_MAX_UNPACKED_BYTES = env_int("OGP_IMPORT_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
OGP_IMPORT_MAX_ROWS = env_int("OGP_IMPORT_MAX_ROWS", 200_000)
OGP_IMPORT_MAX_COLUMNS = env_int("OGP_IMPORT_MAX_COLUMNS", 1_000)
# Uploaded files are deleted this many days after their run finished; the run keeps its report.
OGP_IMPORT_UPLOAD_RETENTION_DAYS = env_int("OGP_IMPORT_UPLOAD_RETENTION_DAYS", 30)

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

# The API (/api/v1/, docs/api.md): read-only unless a view says otherwise, one error shape, throttled.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["ogp_tracker.api_access.ReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.auth.PartnerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["ogp_tracker.api_access.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "ogp_tracker.api_access.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "ogp_tracker.api_access.AnonymousReadThrottle",
        "ogp_tracker.api_access.UserReadThrottle",
    ],
    "EXCEPTION_HANDLER": "ogp_tracker.api_support.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "ogp_tracker.api_schema.ApiAutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per client: anonymous by address, signed-in users by account. Read when a request comes in.
API_THROTTLE_RATES = {
    "anon": env_str("API_ANON_THROTTLE_RATE", "120/minute"),
    "user": env_str("API_USER_THROTTLE_RATE", "600/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OGP Commitment Tracker API",
    "DESCRIPTION": "Read what was asked of OGP members and what they promised. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "commitments.models.review.ReviewStatus",
        "DatePrecisionEnum": "commitments.models.catalogue.DatePrecision",
        "NextStepStatusEnum": "resolutions.models.NextStep.Status",
        "WebhookEventEnum": "partners.models.Event",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ogp_tracker.api_schema.add_errors_and_examples",
    ],
}

# Celery: without a broker, tasks run in-process (eagerly) through the same code.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "ogp_tracker")
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every periodic task, in one place.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "recompute-all-scores-nightly": {
        "task": "commitments.recompute_all_scores",
        "schedule": crontab(hour=2, minute=30),
    },
    "ensure-current-methodology-scored": {"task": "commitments.ensure_current_methodology_scored", "schedule": 600.0},
    # The safety net: enqueues again the follow-up work a lost enqueue or a lost worker left behind.
    "sweep-follow-up-work": {"task": "commitments.sweep_follow_up_work", "schedule": 60.0},
    "delete-expired-import-uploads": {"task": "commitments.delete_expired_import_uploads", "schedule": 6 * 3600.0},
    "sweep-webhook-deliveries": {"task": "partners.sweep_webhook_deliveries", "schedule": 60.0},
    "build-snapshot-daily": {"task": "partners.build_scheduled_snapshot", "schedule": crontab(hour=3, minute=15)},
    "retrain-suggestion-model": {
        "task": "commitments.tasks.retrain_suggestion_model",
        "schedule": env_int("SUGGESTION_RETRAIN_SECONDS", 24 * 3600),
    },
}

# Scores: members per chunk of a full recompute.
SCORES_CHUNK_SIZE = env_int("SCORES_CHUNK_SIZE", 2500)
# Follow-up work (`commitments.followup`): how long a burst of requests is gathered into one task, how old a
# marker or a queued run must be before the sweep enqueues it again, and how often it tries before giving up.
FOLLOW_UP_COALESCE_SECONDS = env_int("FOLLOW_UP_COALESCE_SECONDS", 2)
FOLLOW_UP_COALESCE_KEY_TIMEOUT = 600
FOLLOW_UP_GRACE_SECONDS = env_int("FOLLOW_UP_GRACE_SECONDS", 120)
FOLLOW_UP_MAX_ATTEMPTS = env_int("FOLLOW_UP_MAX_ATTEMPTS", 3)

# Partner tokens: how long a token lives unless the Support Unit sets another expiry.
PARTNER_TOKEN_DAYS = env_int("PARTNER_TOKEN_DAYS", 365)
# Webhooks: attempts in all, the first wait between them (doubling each time, capped), the request timeout.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Networks webhooks may reach although private (with DEBUG off, loopback, link-local and private addresses are
# refused). Deliberately not read from the environment: only the tests set it, to reach a server on 127.0.0.1.
WEBHOOK_ALLOWED_NETWORKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
