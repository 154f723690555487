"""Boardsite settings: one module, read from the environment, safe by default.

Every value that differs between a laptop and a hospital's server comes from an
environment variable. Nothing here is secret; a missing or malformed value fails
loudly with `ImproperlyConfigured` rather than falling back to something unsafe.

`BOARDSITE_ENV` says which kind of machine this is:
- ``development`` (the README's run and test commands): a generated secret key is
  allowed and cookies may travel over plain HTTP on 127.0.0.1;
- ``production`` (the default, and docker-compose): a real `DJANGO_SECRET_KEY` is
  required and every transport-security setting is on.
"""

from __future__ import annotations

import ipaddress
import zoneinfo
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def _env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


BOARDSITE_ENV = env.str("BOARDSITE_ENV", default="production")
if BOARDSITE_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"BOARDSITE_ENV must be 'development' or 'production', not {BOARDSITE_ENV!r}."
    )
IS_DEVELOPMENT = BOARDSITE_ENV == "development"

DEBUG = _env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not IS_DEVELOPMENT:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production needs a long random secret key; "
            "local development (BOARDSITE_ENV=development) generates one under var/."
        )
    # Only the local runner gets here; it normally passes the key it keeps in var/.
    SECRET_KEY = "development-only-not-secret-" + "x" * 40  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Where the site is reached from outside; used for links in reminder emails.
SITE_URL = env.str("BOARDSITE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # API tokens: expiring, stored as a digest (cases/api/authentication.py).
    "knox",
    # Second factor: authenticator apps (TOTP) and recovery codes (boardsite/second_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_htmx",
    "cases",
    "recommendations",
    "reminders",
    "front",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control: no-store on every response past the static files (patient data).
    "boardsite.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Chairs and administrators pass a second factor before any page (and anyone who
    # has set one up); boardsite/second_factor.py.
    "boardsite.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Who did it, from which request: attached to every audit-trail row (pghistory);
    # read-only API requests, which write no tracked row, skip it (cases/api/middleware.py).
    "cases.api.middleware.HistoryMiddleware",
    # django-axes must be last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "boardsite.urls"
WSGI_APPLICATION = "boardsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "boardsite" / "templates"],
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

# --- Database -----------------------------------------------------------------------
# PostgreSQL everywhere (architecture: fixed). The local runner starts an embedded
# server and sets DATABASE_URL before Django starts.
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use the README's run or test command (they start an "
        "embedded PostgreSQL) or point DATABASE_URL at a PostgreSQL server."
    )
try:
    _db = env.db_url("DATABASE_URL")
except Exception as exc:  # django-environ raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db.get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…).")
# Persistent connections: a new connection costs ≈ 2.9 ms of CPU here
# (performance-notes.md); health checks drop connections the server closed.
_db["CONN_MAX_AGE"] = _env_int("DATABASE_CONN_MAX_AGE", 600)
_db["CONN_HEALTH_CHECKS"] = True
_db.setdefault("TEST", {})["NAME"] = env.str("DATABASE_TEST_NAME", default="test_boardsite")
DATABASES = {"default": _db}

# Two roles (cases/dbroles.py): DATABASE_URL is the least-privilege role web, worker and
# beat connect as; DATABASE_OWNER_URL, when set, is the role that owns the tables.
# `migrate` and the test set-up switch to it, then grant the app role exactly what it
# needs (no UPDATE/DELETE on the audit tables, no ownership, so no DISABLE TRIGGER).
# Unset: one role does everything (a developer's own database).
DATABASE_OWNER: dict | None = None
DATABASE_APP_ROLE = ""
# The app role's own credentials, kept when `migrate` or the tests switch to the owner.
DATABASE_APP = {key: _db.get(key) for key in ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")}
if env.str("DATABASE_OWNER_URL", default=""):
    try:
        DATABASE_OWNER = env.db_url("DATABASE_OWNER_URL")
    except Exception as exc:
        raise ImproperlyConfigured(
            f"DATABASE_OWNER_URL is not a valid database URL: {exc}"
        ) from None
    if DATABASE_OWNER.get("NAME") != _db.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL and DATABASE_URL must name the same database."
        )
    DATABASE_APP_ROLE = _db.get("USER") or ""
    if not DATABASE_APP_ROLE or DATABASE_APP_ROLE == DATABASE_OWNER.get("USER"):
        raise ImproperlyConfigured(
            "DATABASE_URL must name the app role and DATABASE_OWNER_URL a different, "
            "owning role."
        )

# --- Signing keys ----------------------------------------------------------------------
# HMAC-SHA256 keys for signed decisions and the audit chain (cases/signing.py), kept
# outside the database: `id=secret` pairs, comma-separated in BOARDSITE_SIGNING_KEYS or
# one per line in the file BOARDSITE_SIGNING_KEYS_FILE. The first key signs; the others
# only verify what they signed before a rotation.


def _signing_keys() -> dict[str, bytes]:
    entries = env.str("BOARDSITE_SIGNING_KEYS", default="").split(",")
    path = env.str("BOARDSITE_SIGNING_KEYS_FILE", default="")
    if path:
        try:
            entries = Path(path).read_text().splitlines()  # a line may be a # comment
        except OSError as exc:
            raise ImproperlyConfigured(
                f"BOARDSITE_SIGNING_KEYS_FILE cannot be read: {exc.strerror}."
            ) from None
    keys: dict[str, bytes] = {}
    for entry in entries:
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        key_id, sep, secret = entry.partition("=")
        key_id, secret = key_id.strip(), secret.strip()
        if not sep or not key_id or len(key_id) > 32 or not key_id.isalnum():
            raise ImproperlyConfigured(
                "Each signing key is written id=secret, with a short letters-and-digits id."
            )
        if len(secret) < 32:
            raise ImproperlyConfigured(f"Signing key {key_id!r} is shorter than 32 characters.")
        if key_id in keys:
            raise ImproperlyConfigured(f"Signing key {key_id!r} is listed twice.")
        keys[key_id] = secret.encode("utf-8")
    return keys


SIGNING_KEYS = _signing_keys()
if not SIGNING_KEYS:
    if not IS_DEVELOPMENT:
        raise ImproperlyConfigured(
            "No signing key: set BOARDSITE_SIGNING_KEYS (id=secret) or "
            "BOARDSITE_SIGNING_KEYS_FILE. Signed decisions and the audit chain need one."
        )
    # The local runner normally passes the key it keeps in var/signing_keys.
    SIGNING_KEYS = {"dev": b"development-only-not-secret-" + b"k" * 40}

# --- Audit chain ----------------------------------------------------------------------
# How often the sealer runs (beat) and where it anchors the chain's head outside the
# database: an append-only file per database in this directory (cases/audit_chain.py).
# Empty: the head goes to the log only (the "boardsite.audit_anchor" logger).
AUDIT_SEAL_SECONDS = _env_int("BOARDSITE_AUDIT_SEAL_SECONDS", 5, minimum=1)
AUDIT_ANCHOR_DIR = env.str("BOARDSITE_AUDIT_ANCHOR_DIR", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, Celery ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL is not set. Use the README's run or test command (they start an "
        "embedded Redis) or point REDIS_URL at a Redis server."
    )
if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, not {REDIS_URL!r}.")

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Reminders must survive a worker killed mid-task: acknowledge after the task ran and
# requeue when the worker dies (architecture: fixed). One message at a time per process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task that was taken but not acknowledged is redelivered after this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery's Django fixup closes the DB connection around every task unless told to reuse
# it (performance-notes.md: 191 → 690 tasks/s); the connection is recycled after this
# many tasks.
CELERY_DB_REUSE_MAX = _env_int("CELERY_DB_REUSE_MAX", 1000)
# Reminder dispatch (docs/reminders.md): beat interval, when a claim is stale, retry
# backoff base for transient SMTP failures, attempts before a reminder is failed.
REMINDERS_DISPATCH_INTERVAL_SECONDS = _env_int("REMINDERS_DISPATCH_INTERVAL_SECONDS", 60,
                                               minimum=1)
REMINDERS_CLAIM_TIMEOUT_SECONDS = _env_int("REMINDERS_CLAIM_TIMEOUT_SECONDS", 900, minimum=1)
REMINDERS_RETRY_BASE_SECONDS = _env_int("REMINDERS_RETRY_BASE_SECONDS", 60, minimum=1)
REMINDERS_MAX_ATTEMPTS = _env_int("REMINDERS_MAX_ATTEMPTS", 8, minimum=1)

# --- Time -----------------------------------------------------------------------------
TIME_ZONE = env.str("BOARDSITE_TIME_ZONE", default="Europe/London")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"BOARDSITE_TIME_ZONE {TIME_ZONE!r} is not a known IANA time zone "
        "(e.g. Europe/London)."
    ) from None
USE_TZ = True

# --- Caches ---------------------------------------------------------------------------
# In-process only: nothing of a patient's leaves the process for a cache server.
# `fragments` holds rendered parts of pages that depend only on an immutable row (the
# agenda's chase list of a draft, keyed by the draft's id): never stale, so only evicted.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

LANGUAGE_CODE = "en-gb"
# English only, and no translations: Django skips its translation machinery (its docs:
# "a way to turn it off, for performance"); dates still use the en-gb formats.
USE_I18N = False

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Site-wide assets (vendored Pico and htmx, site.css); `boardsite` is not an app.
STATICFILES_DIRS = [BASE_DIR / "boardsite" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            # Local run and tests serve from the apps' folders (WHITENOISE_USE_FINDERS);
            # production serves the hashed, compressed copies made by collectstatic.
            if IS_DEVELOPMENT
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `run` serve static files straight from the apps without collectstatic.
WHITENOISE_USE_FINDERS = IS_DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEBUG

# --- Authentication and sessions ----------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: revokes the user's API tokens whenever the password changes.
    {"NAME": "cases.passwords.RevokeApiTokensOnChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A workstation left open in a clinic: the session ends after 30 idle minutes.
SESSION_COOKIE_AGE = _env_int("BOARDSITE_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = "Boardsite"
# Our admin (cases/admin.py) replaces django-otp's; should theirs ever be registered
# again, it hides keys and recovery codes too.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# django-axes: lock a username + address after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = _env_int("BOARDSITE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy: only its X-Forwarded-For is believed (boardsite/signin_limits.py).
BOARDSITE_TRUSTED_PROXIES = env.list("BOARDSITE_TRUSTED_PROXIES", default=[])
for _proxy in BOARDSITE_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"BOARDSITE_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network "
            "(e.g. 10.0.0.5 or 10.0.0.0/24)."
        ) from None
AXES_CLIENT_IP_CALLABLE = "boardsite.signin_limits.client_ip"
# Password spraying: failures from one address over all usernames, in the same window.
BOARDSITE_LOGIN_ADDRESS_FAILURE_LIMIT = _env_int("BOARDSITE_LOGIN_ADDRESS_FAILURE_LIMIT", 30,
                                                 minimum=1)
AXES_HANDLER = "boardsite.signin_limits.SigninLimitHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The sign-in page gets the template above; the API's token endpoint a JSON 429.
AXES_LOCKOUT_CALLABLE = "cases.api.lockout.lockout_response"

# --- Transport security (production) ------------------------------------------------
_secure = not IS_DEVELOPMENT
SESSION_COOKIE_SECURE = _env_bool("DJANGO_SECURE_COOKIES", _secure)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", _secure)
SECURE_HSTS_SECONDS = _env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: everything from this origin only (no CDN, no inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Email ---------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = _env_int("EMAIL_PORT", 1025, minimum=1)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
# In production the relay is reached over TLS unless told otherwise: STARTTLS by
# default, or implicit TLS (port 465) with EMAIL_USE_SSL. Reminders carry no patient
# data, but who is reminded of what, and the link, are still nobody else's business.
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", not IS_DEVELOPMENT and not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (implicit TLS) exclude each other; "
        "set one of them.")
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Boardsite <boardsite@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST framework -----------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an unauthenticated request then gets 401 with a WWW-Authenticate
    # header rather than 403 (session auth has no challenge to offer).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # knox's TokenAuthentication in one hand-written query (cases/api/authentication.py).
        "cases.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        # OrderingFilter + the row ID as tie-breaker, so cursor pages are stable.
        "cases.api.ordering.StableOrderingFilter",
    ],
    # Every endpoint documents its error responses (cases/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "cases.api.schema.BoardsiteAutoSchema",
    # One error format everywhere: {"errors": {"field": ["message"]}} (docs/api.md).
    "EXCEPTION_HANDLER": "cases.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in as well as out: one request format to document, validate and fuzz.
    # ... with a size and depth limit and no non-finite numbers (cases/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["cases.api.parsers.BoundedJSONParser"],
    # Cursor pagination: no COUNT(*) over the whole table per page (performance-notes).
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
}
# API tokens (django-rest-knox): SHA-512 digests only; they expire after this long and
# are revoked on sign-out and on any password change.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=_env_int("BOARDSITE_API_TOKEN_HOURS", 10, minimum=1)),
    "AUTO_REFRESH": False,
}
# The largest API request body (bytes); larger is a 400 in the API's error format.
BOARDSITE_API_MAX_BODY_BYTES = _env_int("BOARDSITE_API_MAX_BODY_BYTES", 1024 * 1024,
                                        minimum=1024)
SPECTACULAR_SETTINGS = {
    "TITLE": "Boardsite API",
    "DESCRIPTION": "Case management for bone-metastasis multidisciplinary tumour boards.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The engine's case-facts JSON Schema, for POST /api/v1/recommendations/evaluate/.
        "recommendations.api.schema.add_case_facts_schema",
    ],
    # Choice sets shared by several fields get one stable name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "cases.choices.MeetingStatus",
        "AgendaItemStatusEnum": "cases.choices.AgendaItemStatus",
        "RadiotherapyTechniqueEnum": "cases.choices.RadiotherapyTechnique",
        "BoardRoleEnum": "cases.choices.BoardRole",
        "NotDoneReasonEnum": "reminders.choices.NotDoneReason",
        # Hormone-receptor and HER2 status share their values (positive / negative /
        # not known): one enum in the schema, named for what both are.
        "ReceptorResultEnum": "cases.choices.HormoneReceptorStatus",
    },
}

# --- Logging: no patient data, ever -------------------------------------------------
# Log lines name rows by opaque ID only; the filter below also strips request bodies
# and query strings from Django's own error records, which can carry names.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "boardsite.logfilters.RedactPatientDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain",
                    "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env.str("BOARDSITE_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # axes logs every start and every login attempt at INFO; warnings are enough.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint (letters, minutes) logs every rendering step at INFO, and fontTools
        # every font it subsets; their warnings are what matters.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The audit chain's head after every seal: route it to syslog or a separate log
        # host in production (an anchor outside the database, docs/security.md).
        "boardsite.audit_anchor": {"handlers": ["console"], "level": "INFO",
                                   "propagate": False},
    },
}
ADMINS: list[tuple[str, str]] = []
