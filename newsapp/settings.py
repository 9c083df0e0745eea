"""Settings for Quotewise, read from the environment.

With no configuration at all the app runs on an embedded default: SQLite and
Celery's filesystem transport, both kept in ``QUOTEWISE_DATA_DIR`` (``var/``).
Production sets ``DATABASE_URL`` (PostgreSQL) and ``CELERY_BROKER_URL`` (Redis).
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("QUOTEWISE_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    # A fresh checkout needs no configuration, but no key may live in the
    # repository: make one per data directory and keep it there.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.syndication",
    "django_htmx",
    "quotes",
]

MIDDLEWARE = [
    # First: /healthz answers probes addressed to the container itself, over
    # plain HTTP, before any other middleware checks the Host header or redirects.
    "quotes.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsapp.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "quotes.api.JsonErrorsMiddleware",
]

ROOT_URLCONF = "newsapp.urls"
WSGI_APPLICATION = "newsapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    # A kept connection the database dropped (restart, failover) is noticed
    # before a request uses it, instead of failing that request.
    DATABASES = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "quotewise.sqlite3",
            # The web server and the worker write at the same time: WAL lets
            # readers go on, IMMEDIATE transactions avoid upgrade deadlocks.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (Index.include) serve PostgreSQL; on SQLite they are plain indexes.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The image collects static files at build time, into a folder of its own
# (STATIC_ROOT), so that they do not depend on the data directory.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
WHITENOISE_USE_FINDERS = True
# Hashed names, compressed copies and far-future cache headers; pages need
# `collectstatic` to have run (`run_app` and the image run it).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Celery: JSON only, one article at a time per process, nothing lost when a
# worker dies in the middle of a task.
if os.environ.get("CELERY_BROKER_URL"):
    CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
else:
    _broker_dir = DATA_DIR / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = int(os.environ.get("EXTRACTION_TIME_LIMIT", "300"))
# The soft limit stops the extraction and records why, before the hard limit
# kills the process: 30 s earlier, or a fifth earlier for short limits.
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - min(30, CELERY_TASK_TIME_LIMIT // 5)
# An article whose extraction was started this many times without finishing
# (stopped by the time limit, or its worker killed) is marked failed.
EXTRACTION_MAX_ATTEMPTS = int(os.environ.get("EXTRACTION_MAX_ATTEMPTS", "3"))
# The longest article text extraction can finish within the soft limit, at a
# speed well below what `make eval` prints for one process, so that a busy
# machine or an unusual text still finishes. Longer texts are refused.
EXTRACTION_MIN_CHARS_PER_SECOND = 4000
MAX_ARTICLE_CHARS = int(
    os.environ.get("MAX_ARTICLE_CHARS", str(CELERY_TASK_SOFT_TIME_LIMIT * EXTRACTION_MIN_CHARS_PER_SECOND))
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down: the upload
# is saved and the sweep below queues it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
REQUEUE_QUEUED_AFTER = int(os.environ.get("REQUEUE_QUEUED_AFTER", "120"))
REQUEUE_RUNNING_AFTER = int(os.environ.get("REQUEUE_RUNNING_AFTER", str(CELERY_TASK_TIME_LIMIT + 60)))
CELERY_BEAT_SCHEDULE = {
    "requeue-stalled-articles": {"task": "quotes.tasks.requeue_stalled_articles", "schedule": 60.0},
    # Each source has its own interval: this only looks for the ones due.
    "poll-due-sources": {"task": "quotes.tasks.poll_due_sources", "schedule": 60.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# A worker touches this file at every heartbeat it sends (every 2 s) while it
# is connected to the broker; a container's health check reads its age.
WORKER_HEARTBEAT_FILE = os.environ.get("WORKER_HEARTBEAT_FILE", "")
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis hands a task whose worker died without acknowledging it (SIGKILL,
    # lost machine) to another worker after this many seconds. It must stay
    # above the time limit, or a long extraction would be sent twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(
            os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(max(3600, 2 * CELERY_TASK_TIME_LIMIT)))
        ),
        # Look for such tasks every 10 s rather than every 100 s (kombu's default).
        "unacked_restore_throttle": 1,
    }

# Uploads
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
# Upload requests (forms posted) per editor per minute; 0 turns the limit off.
UPLOAD_RATE_LIMIT = int(os.environ.get("UPLOAD_RATE_LIMIT", "30"))
# Failed sign-ins allowed per account from one client, and per client, in each
# window of this many seconds; past them that client's sign-in pauses until the
# window ends (quotes/signin.py). 5: a person mistyping never reaches it; 20 from
# one client: a few accounts each tried a few times, not a guessing run.
SIGNIN_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGNIN_FAILURES_PER_ACCOUNT", "5"))
SIGNIN_FAILURES_PER_ADDRESS = int(os.environ.get("SIGNIN_FAILURES_PER_ADDRESS", "20"))
SIGNIN_FAILURE_WINDOW = int(os.environ.get("SIGNIN_FAILURE_WINDOW", "900"))
# Addresses of the proxies in front of the site whose X-Forwarded-For names the
# client (quotes/signin.py); none by default: the connecting address is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
# These counters live in the cache, by default in each web process's memory:
# with several processes set CACHE_URL (redis://host:port/db) to share it.
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }

# Email (password resets). By default mails are printed on the console; set
# EMAIL_HOST (and the usual EMAIL_* settings) to send them over SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_SSL:
    EMAIL_USE_TLS = False  # Django refuses both at once
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "quotewise@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Fetching article URLs: private, loopback and link-local addresses are
# refused unless this is on (the tests serve pages from 127.0.0.1).
ALLOW_PRIVATE_URLS = env_bool("ALLOW_PRIVATE_URLS")
URL_FETCH_TIMEOUT = float(os.environ.get("URL_FETCH_TIMEOUT", "10"))

# Watching outlets' feeds and sitemaps (quotes/polling.py).
SOURCE_POLL_INTERVAL = int(os.environ.get("SOURCE_POLL_INTERVAL", "900"))  # seconds, for a new source
SOURCE_HOST_DELAY = float(os.environ.get("SOURCE_HOST_DELAY", "1"))  # seconds between requests to one host
SOURCE_BACKFILL = int(os.environ.get("SOURCE_BACKFILL", "50"))  # articles a poll imports at most
# Seconds one poll spends importing articles; what is left waits for the next
# poll, a minute later. Below the task time limit, so a poll always finishes.
SOURCE_POLL_BUDGET = float(
    os.environ.get("SOURCE_POLL_BUDGET", str(min(120, CELERY_TASK_SOFT_TIME_LIMIT // 2)))
)
# Items one poll takes from a feed or sitemap at most, the newest: a sitemap may list
# an outlet's whole archive (900,000 addresses), and each item taken is a row and
# memory. A news sitemap lists at most 1,000 (Google's rule), the last two days'.
SOURCE_ITEMS_PER_POLL = int(os.environ.get("SOURCE_ITEMS_PER_POLL", "1000"))
SOURCE_ITEM_ATTEMPTS = int(os.environ.get("SOURCE_ITEM_ATTEMPTS", "5"))  # tries before an article is given up

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Security. Django's defaults already send nosniff, X-Frame-Options: DENY,
# Referrer-Policy: same-origin and Cross-Origin-Opener-Policy; they are named
# here so a reader sees them. SECURE_HTTPS=true is for a site served over
# HTTPS: redirect, HSTS and cookies sent only over HTTPS. Off by default so
# `make run` works on plain http://127.0.0.1.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
SESSION_COOKIE_HTTPONLY = True
# Scripts, styles and everything else from this site only; no inline script.
# htmx's own indicator style is turned off (htmx-config in base.html) to stay within it.
_DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY = os.environ.get("CONTENT_SECURITY_POLICY", _DEFAULT_CSP)
SECURE_HTTPS = env_bool("SECURE_HTTPS")
if SECURE_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Behind a proxy that terminates TLS, e.g. "HTTP_X_FORWARDED_PROTO,https".
# Only set this when the proxy always sets (or strips) that header.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["SECURE_PROXY_SSL_HEADER"].partition(",")
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip() or "https")
