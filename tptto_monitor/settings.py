"""Settings for TPPO Monitor, all read from the environment.

Development defaults just work (SQLite file, DEBUG on). With DEBUG off the
app refuses to start without SECRET_KEY and ALLOWED_HOSTS, and the hardening
below makes `manage.py check --deploy` clean.
"""

import datetime
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tptto_monitor.env import (
    env_bool,
    env_cache,
    env_choice,
    env_database,
    env_email,
    env_email_address,
    env_int,
    env_jobs_cache,
    env_list,
    env_pattern,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105 (DEBUG only)

# Signs every backup's manifest (tptto_monitor/backup.py); SECRET_KEY when unset. Set the same value wherever a
# backup is restored, and keep it apart from the backups themselves.
BACKUP_SIGNING_KEY = env_str("BACKUP_SIGNING_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo accounts and demo data exist only in development.
DEMO_MODE = DEBUG and env_bool("DEMO", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",  # sign-in throttling
    "ninja",  # serves the API docs page (Swagger UI) from its own static files, not a CDN
    "programs",
    "indicators",
    "reports",
    "tptto_monitor.bench",  # `manage.py bench` (development: writes only into its own database)
    # The task queue (Django's Tasks API, DEP 14): after the project's apps, so that indicators' own
    # `db_worker` (the same worker with a heartbeat, tptto_monitor.lib.queue) is the one manage.py runs.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # first, so that its duration covers the whole stack: one JSON line per request (tptto_monitor/logs.py)
    "tptto_monitor.logs.RequestLogMiddleware",
    # /healthz answers before the SSL redirect and the host check: see tptto_monitor/health.py
    "tptto_monitor.health.HealthCheckMiddleware",
    "tptto_monitor.middleware.ApiJsonErrorsMiddleware",  # 404 and 405 under /api/ in the API's JSON format
    "django.middleware.security.SecurityMiddleware",
    "tptto_monitor.middleware.RejectNulMiddleware",  # 400 for a NUL in the address, before any lookup
    "tptto_monitor.replica.ReadYourWritesMiddleware",  # reads to the replica, if there is one (replica.py)
    # a view's lost database or full disk: 503 with Retry-After (tptto_monitor/errors.py; handler500 for the rest)
    "tptto_monitor.errors.DatabaseUnavailableMiddleware",
    "tptto_monitor.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "indicators.middleware.RoleRequiredMiddleware",  # no role, one page saying so
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out sign-in with the page below
]
# A history line's reason holds what a reason may hold (a return's reason, a follow-up's resolution: up to
# 5,000 characters); simple_history's default column is 100 characters, which PostgreSQL enforces.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

ROOT_URLCONF = "tptto_monitor.urls"

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
                "tptto_monitor.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "tptto_monitor.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests run on a file, as deployments do: SQLite's in-memory database, shared between threads, locks
    # whole tables, so the tests of simultaneous requests (a double click) could not run on it.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"tppo-test-{os.getpid()}.sqlite3")}

# A read replica (PostgreSQL streaming replication) for the pages' and files' reads: tptto_monitor/replica.py says
# what stays on the primary. In tests the replica mirrors the test database (Django's TEST MIRROR).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tptto_monitor.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# JSON with timestamps to the microsecond, for backups (tptto_monitor.exact_json)
SERIALIZATION_MODULES = {"json-exact": "tptto_monitor.exact_json", "jsonl-exact": "tptto_monitor.exact_jsonl"}

# Per-process memory cache for the dashboards' computed figures (~140 KB each, keyed on the plan's
# data version, so app servers never need to share it); 200 entries cap it near 30 MB a process.
# CACHE_URL=redis://host:6379/0 shares one Redis between app servers instead (tptto_monitor.env).
CACHES = {
    "default": env_cache(
        "CACHE_URL",
        max_entries=env_int("CACHE_MAX_ENTRIES", 200, minimum=1),
        key_prefix=env_str("CACHE_KEY_PREFIX", "tppo"),
    )
}
# The page around the content (navigation, account menu, footer) rendered once per reader, page and language and
# kept in each process's memory ({% cache %} in base.html, keyed by reports.views.around.shell_key; a cached
# dashboard's whole page around its content, reports.views.around.render): never the network round trip of a
# shared cache for what one process renders in a fraction of a millisecond.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
# Where workers publish their heartbeat and the progress of a running job, for every app server to read
# while the job's own transaction is still open (tptto_monitor.lib.queue): the shared Redis with CACHE_URL,
# otherwise a folder that the app server and the workers of one machine share.
CACHES["jobs"] = env_jobs_cache(CACHES["default"], env_str("JOBS_CACHE_DIR", str(BASE_DIR / "var" / "jobs")))

# Long work (imports, plan uploads, file builds) runs in tasks kept in the database: no other service,
# and workers on any number of machines share the queue (`manage.py db_worker`; README, "Workers").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker writes its heartbeat this often; one not heard of for four beats is taken for dead.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15, minimum=1)
# A plan's analysis dataset is built by a task a minute after its data change, not in the download (reports.built)
BUILD_FILES_AHEAD = env_bool("BUILD_FILES_AHEAD", True)
# Each plan's published figures are stored by a task two seconds after its data change (indicators.tallies)
FIGURES_STORED_AHEAD = env_bool("FIGURES_STORED_AHEAD", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): 10 failed sign-ins for one account, or from one address, within 15
# minutes lock that account or address for 15 minutes, right password included. Failures are logged
# (logger axes) and listed in the admin (Axes → Access attempts), where deleting them unlocks.
# ModelBackend reading the user with her staff profile and her permissions in one query (tptto_monitor/auth_backend.py)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "tptto_monitor.auth_backend.PageBackend"]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_USE_ATTEMPT_EXPIRATION = True  # a failure counts for the 15 minutes after it, then no more
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True  # for that account from that address only (tptto_monitor.sign_in_attempts)
AXES_HANDLER = "tptto_monitor.sign_in_attempts.SignInAttempts"
# the log names the address, never the username typed (sometimes a password typed in the wrong box)
AXES_CLIENT_STR_CALLABLE = "tptto_monitor.accounts.axes_client_str"
# The client's address: the connection's own, unless TRUSTED_PROXIES reverse proxies in front of the app
# append theirs to X-Forwarded-For (a client could otherwise write any address there and never be locked).
# Read by tptto_monitor.accounts.client_address (axes' own AXES_IPWARE_* settings need django-ipware).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "tptto_monitor.accounts.client_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "programs:home"
LOGOUT_REDIRECT_URL = "login"

# Mail (password reset links, reminders): EMAIL_URL sets EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/SSL. console:// writes messages to the server's output.
globals().update(env_email("EMAIL_URL", "console://"))
DEFAULT_FROM_EMAIL = env_email_address("DEFAULT_FROM_EMAIL", "TPPO Monitor <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as people reach it, for links in emails sent outside a request (send_reminders).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A reset link in a mailbox is a key to the account: it lapses after a day (Django's default: three).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# Reset requests an hour that send an e-mail, per address asked for and per client address; beyond them
# the same page answers and nothing is sent (tptto_monitor.accounts).
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 3, minimum=1)
PASSWORD_RESETS_PER_CLIENT = env_int("PASSWORD_RESETS_PER_CLIENT", 20, minimum=1)
# Per user, counted in the cache (tptto_monitor/lib/limits.py): API writes (each makes the plan's figures and
# summaries be computed again) and downloads built in the request (dataset, summaries, province workbook).
API_WRITES_PER_MINUTE = env_int("API_WRITES_PER_MINUTE", 30, minimum=1)
ENTRY_SAVES_PER_MINUTE = env_int("ENTRY_SAVES_PER_MINUTE", 30, minimum=1)  # the entry form's saves, new and edited
DOWNLOADS_PER_MINUTE = env_int("DOWNLOADS_PER_MINUTE", 30, minimum=1)
DOWNLOADS_AT_ONCE = env_int("DOWNLOADS_AT_ONCE", 2, minimum=1)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA, the time zone of NTT
USE_I18N = True
USE_TZ = True
# Years are numbers too: grouping is applied where a figure is shown (the `num` filter), not everywhere.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # files appear whole or not at all (a full disk leaves no half file): tptto_monitor/storage.py
    "default": {"BACKEND": "tptto_monitor.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise without sign-in.
WHITENOISE_ROOT = BASE_DIR / "webroot"
# Evidence files live outside static and are served only through a checked view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# /healthz answers 503 when the media folder has less free space than this (uploads and evidence would fail)
MEDIA_MIN_FREE_MB = env_int("MEDIA_MIN_FREE_MB", 500)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
# A session ends when the browser closes, and SESSION_HOURS (8) after signing in at the latest.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8, minimum=1) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Only the app's own scripts, styles, images and connections: no CDN, no inline script. Bootstrap's CSS
# draws its icons as data: SVG images; plotly.js adds a <style> element of its own rules when it draws,
# so inline styles are allowed. CSS cannot run code, and with images and connections limited to the app
# itself an injected style cannot send anything elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# JSON lines on stderr (gunicorn passes them on): one per request and per workflow action (the `tptto`
# loggers, INFO), and Django's own warnings and errors (LOG_LEVEL). See tptto_monitor/logs.py.
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tptto_monitor.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "WARNING", LOG_LEVELS)},
    "loggers": {"tptto": {"level": env_choice("LOG_LEVEL_APP", "INFO", LOG_LEVELS)}},
}

# IATI 2.03 export (export_iati): who publishes and under which activity identifier. IOM's
# organisation identifier by default; the activity identifier defaults to "<org ref>-<plan slug>".
IATI_REPORTING_ORG_REF = env_str("IATI_REPORTING_ORG_REF", "XM-DAC-47066")
IATI_REPORTING_ORG_TYPE = env_str("IATI_REPORTING_ORG_TYPE", "40")  # OrganisationType: 40 multilateral
IATI_REPORTING_ORG_NAME = env_str("IATI_REPORTING_ORG_NAME", "International Organization for Migration (IOM)")
IATI_ACTIVITY_IDENTIFIER = env_str("IATI_ACTIVITY_IDENTIFIER", "")
# The activity's sector (OECD DAC 5-digit purpose code, vocabulary 1). 15190 "Facilitation of orderly,
# safe, regular and responsible migration and mobility": the DAC's own notes send "preventing and
# combating trafficking in human beings" of migrants there (and tell 15160 Human rights to use 15190
# for victims of trafficking who are migrants); the RAD's cases are overwhelmingly migrant workers
# recruited in TTU. 15180 would cover trafficking of women and girls only. A regency whose plan is
# not about migration can set 15160 (Human rights).
IATI_SECTOR = env_pattern("IATI_SECTOR", "15190", r"\d{5}", "15190 (a 5-digit OECD DAC purpose code)")
