"""Settings for OpenPol, read from the environment with safe local defaults.

Local use needs nothing set: SQLite under var/, DEBUG on, a throw-away secret key.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPENPOL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Demo mode loads fake accounts and lets `manage.py demo_totp` print their codes.
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("SECRET_KEY_FILE"):
    # `make run` keeps a generated key in var/; production passes SECRET_KEY from its secret store.
    SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    SECRET_KEY = "django-insecure-local-development-only-not-for-production-use-0penp0l"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "csp",
    "ninja",
    "openpol",
    "directory",
    "accounts",
    "audit",
    "workflow",
    "notices",
    "references",
    "broadcast",
    "connect",
    "resources",
    "alerts",
    "records",
    "citizen",
    "insights",
    "idempotency",
    "django_tasks",
    "django_tasks_db",
    "jobs",
    "notify",
]

MIDDLEWARE = [
    "openpol.database.StreamingReleasesConnectionMiddleware",  # a stream held open holds no pooled connection
    "django.middleware.security.SecurityMiddleware",
    "openpol.middleware.BadInputMiddleware",  # refuses NUL bytes, non-UTF-8 text and broken uploads before any view
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "accounts.middleware.NoStoreMiddleware",  # Cache-Control: no-store on every answer to a signed-in user and from the API
    "openpol.limits.PublicRateLimitMiddleware",  # whoever is not signed in: PUBLIC_RATE per address and URL, else 429
    "accounts.middleware.SignInGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so that it sees who is signed in and the view's own answer, before cookies and headers are added.
    "idempotency.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "openpol.urls"
ASGI_APPLICATION = "openpol.asgi.application"
WSGI_APPLICATION = "openpol.wsgi.application"

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
                "openpol.context_processors.portal",
            ],
        },
    },
    {  # The messages the portal sends (notify/): plain text, nothing escaped, one folder per catalogue key.
        "NAME": "messages",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates" / "messages"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": False, "builtins": ["django.templatetags.i18n", "notify.templatetags.indian"]},
    },
]

# --- Database -----------------------------------------------------------------
# No persistent connections: under ASGI each request's synchronous code may run on a thread of its own, and a
# connection kept per thread is never given back (PostgreSQL ran out of connections after ~150 requests). On
# PostgreSQL each server process borrows connections from one bounded psycopg pool instead, and returns each
# at the end of the request; a request that cannot get one within DB_POOL_TIMEOUT answers 503, not a hang.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'openpol.sqlite3'}")
# Health checks: a pooled connection the database dropped (a restart, an idle timeout) is never lent out.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)}
DB_POOL_MIN_SIZE = int(os.environ.get("DB_POOL_MIN_SIZE", 2))
DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", 10))
DB_POOL_TIMEOUT = float(os.environ.get("DB_POOL_TIMEOUT", 10))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_POOL", True):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(DB_POOL_MIN_SIZE, DB_POOL_MAX_SIZE),
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": DB_POOL_TIMEOUT,  # seconds a request waits for a free connection
        "max_idle": float(os.environ.get("DB_POOL_MAX_IDLE", 300)),  # idle connections above min_size close
        "max_lifetime": float(os.environ.get("DB_POOL_MAX_LIFETIME", 3600)),  # and every connection is renewed hourly
    }
# Behind PgBouncer in transaction mode (see README): no server-side cursors, and the alert stream's LISTEN and
# account reader go straight to PostgreSQL through DATABASE_DIRECT_URL.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
DATABASE_DIRECT_URL = os.environ.get("DATABASE_DIRECT_URL", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, OTP throttling). Redis when REDIS_URL is set. --------
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "openpol"}}
# How many server processes share the work: uvicorn reads WEB_CONCURRENCY as its --workers default. Rate limits
# count in the cache, so several processes need one cache they all see (Redis): without it the settings refuse
# to load, and a worker of a multi-process server started without it stops the server (openpol/deployment.py).
WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY") or 1)
SHARED_CACHE = CACHES["default"]["BACKEND"] not in {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
if WEB_CONCURRENCY > 1 and not SHARED_CACHE:
    raise ImproperlyConfigured(f"WEB_CONCURRENCY={WEB_CONCURRENCY} server processes need a shared cache for rate limits: set REDIS_URL.")
# Django's own Redis backend increments atomically, though django-ratelimit lists only django-redis as supported.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if WEB_CONCURRENCY == 1 and not SHARED_CACHE:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")  # one process: its own memory is the whole count

# --- Authentication -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",  # OWASP's Argon2id cost (accounts/hashers.py)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.GuessablePasswordValidator"},
]
LOCKOUT_THRESHOLD = 5
LOCKOUT_DURATION = timedelta(minutes=10)
OTP_TOTP_ISSUER = "OpenPol"
OTP_TOTP_THROTTLE_FACTOR = 1
RECOVERY_CODE_COUNT = 10

# An idle session ends after 30 minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

API_TOKEN_DEFAULT_DAYS = 90

# --- Workflow: deadlines in working days per stage, and holidays that do not count --------
WORKFLOW_DEADLINES = {
    "ilo_review": float(os.environ.get("DEADLINE_ILO_REVIEW_DAYS", 2)),
    "ncb_review": float(os.environ.get("DEADLINE_NCB_REVIEW_DAYS", 1)),
    "uo_revision": float(os.environ.get("DEADLINE_UO_REVISION_DAYS", 5)),
    "interpol_answer": float(os.environ.get("DEADLINE_INTERPOL_ANSWER_DAYS", 10)),
    "foreign_reply": float(os.environ.get("DEADLINE_FOREIGN_REPLY_DAYS", 30)),
}
WORKFLOW_HOLIDAYS = env_list("WORKFLOW_HOLIDAYS", "2026-01-26,2026-08-15,2026-10-02,2027-01-26,2027-08-15,2027-10-02")

# --- Background work (jobs/): side effects are tasks in the database, run by `manage.py worker` -----------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_ATTEMPTS = int(os.environ.get("JOBS_ATTEMPTS", 8))  # a task that raises is tried this many times in all
JOBS_BACKOFF_SECONDS = float(os.environ.get("JOBS_BACKOFF_SECONDS", 30))  # before the first retry; doubled each time, at most 1 h
JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", 14))  # successful tasks are forgotten after this
# An alert version's task (alerts.tasks.deliveries) waits this long before it checks that the inbox rows were written.
ALERTS_DELIVERIES_GRACE_SECONDS = float(os.environ.get("ALERTS_DELIVERIES_GRACE_SECONDS", 30))
JOBS_RUN_ON_COMMIT = False  # the test suite: run a task in process when its transaction ends (jobs.services)
# Enqueued by the worker's tick when due, each as a task of its own (a failure stops no other): path -> seconds.
PERIODIC_JOBS = {
    "workflow.services.escalate_overdue": 300,
    "references.services.reference_reminders_send": 3600,
    "broadcast.services.broadcast_reminders_send": 3600,
    "connect.services.unread_digest_send": 3600,
    "alerts.services.alert_reminders_send": 300,
    "citizen.services.citizen_reminders_send": 3600,
    "records.crossmatch.rescreen_nightly": 900,
    "idempotency.services.keys_purge": 3600,
    "jobs.services.results_prune": 86400,
    "audit.services.seal_periodic": 300,
}
BROADCAST_REMINDER_INTERVAL = timedelta(hours=int(os.environ.get("BROADCAST_REMINDER_HOURS", 24)))

# --- Cross-matching incoming items against the records (records/crossmatch.py) ---------------
# A match scoring at least this becomes a hit; strong hits notify the record's owner and the item's handler.
RECORDS_HIT_THRESHOLD = float(os.environ.get("RECORDS_HIT_THRESHOLD", 0.8))
RECORDS_HITS_PER_SUBJECT = int(os.environ.get("RECORDS_HITS_PER_SUBJECT", 5))
# The nightly re-screening runs at the first run of its periodic job after this local hour, once a day.
RECORDS_RESCREEN_HOUR = int(os.environ.get("RECORDS_RESCREEN_HOUR", 1))

# --- Attachments and transmission ------------------------------------------------------------
MAX_ATTACHMENT_BYTES = int(os.environ.get("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))
# An image may unpack to far more than its file size (a decompression bomb): larger ones are refused with a message.
MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", 40_000_000))
# Signs every copy put in the outbound queue to INTERPOL; set it in production, separately from SECRET_KEY.
TRANSMISSION_SIGNING_KEY = os.environ.get("TRANSMISSION_SIGNING_KEY", "") or f"derived:{SECRET_KEY}"

# --- Audit trail (audit/): keys held outside the database, checkpoints exported where its administrator cannot write.
# Unset (local use), each key is generated once into var/audit/ and checkpoints go to var/audit-checkpoints/; production
# sets all three (README: "Audit trail"). Retired keys stay listed so that what they keyed or signed still verifies.
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "") or (
    Path(os.environ["AUDIT_HMAC_KEY_FILE"]).read_text().strip() if os.environ.get("AUDIT_HMAC_KEY_FILE") else ""
)
AUDIT_HMAC_KEYS = env_list("AUDIT_HMAC_KEYS", "")
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")  # base64 of an Ed25519 seed, or a PEM file's path
AUDIT_SIGNING_PUBLIC_KEYS = env_list("AUDIT_SIGNING_PUBLIC_KEYS", "")
AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR", "")
AUDIT_LOG_ORIGIN = os.environ.get("AUDIT_LOG_ORIGIN", "openpol/audit")

# --- Rate limits ------------------------------------------------------------------
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "openpol.views.rate_limited"
# Sign-in POSTs per address (per account after the password); every request of whoever is not signed in, per
# address and URL pattern (openpol.limits); failed bearer tokens per address, past which its tokens are refused unread.
LOGIN_RATE = os.environ.get("LOGIN_RATE", "20/m")
PUBLIC_RATE = os.environ.get("PUBLIC_RATE", "120/m")
TOKEN_FAILURE_RATE = os.environ.get("TOKEN_FAILURE_RATE", "10/m")
# The API's throttles count by REMOTE_ADDR like the rest (a proxy in front overwrites it), never by X-Forwarded-For.
NINJA_NUM_PROXIES = 0

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["openpol.formats"]  # dates as "12 Apr 1985" in both languages, typed dates day first
LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Kolkata"
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also makes var/ for the SQLite file
# Uploaded files live outside the web root and are served only through access checks.
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail -----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OpenPol <no-reply@openpol.invalid>")
# One e-mail to many officers goes as Bcc in chunks of this many (one task each).
NOTIFY_BCC_CHUNK = int(os.environ.get("NOTIFY_BCC_CHUNK", 50))

# --- SMS (notify/sms.py), backends as Django's e-mail ones: console, file, or an HTTP gateway ---------------------
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notify.sms.ConsoleBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(VAR_DIR / "sms"))
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", 10))
SMS_SENDER_ID = os.environ.get("SMS_SENDER_ID", "OPNPOL")  # the 6-character header registered on DLT
SMS_ENTITY_ID = os.environ.get("SMS_ENTITY_ID", "")  # the principal entity's DLT id
# TRAI's DLT: each SMS text is a template registered with the operator; its id per catalogue key, as JSON in
# SMS_DLT_TEMPLATES (e.g. {"citizen.request_created": "1107..."}); a message without one is not sent by the gateway.
SMS_DLT_TEMPLATES = json.loads(os.environ.get("SMS_DLT_TEMPLATES", "{}"))
# Where the portal is served: every absolute link it makes (e-mails, QR codes, CAP and Atom feeds) starts here.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"

# --- Security headers ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Served over HTTPS (production): redirect to it, HSTS, cookies only over TLS. `make run` serves the production
# shape on plain http on loopback with HTTPS=0.
HTTPS = env_bool("HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
