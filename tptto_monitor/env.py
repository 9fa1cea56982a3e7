"""Typed readers for settings that come from the environment.

Each reader fails loudly, naming the variable, when a value is malformed, so a
bad deployment stops at start-up instead of misbehaving later.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.upper() not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {raw!r}")
    return raw.upper()


def env_pattern(name: str, default: str, pattern: str, example: str) -> str:
    """The variable's value when it matches `pattern` entirely (a code with a fixed shape)."""
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(pattern, value):
        raise ImproperlyConfigured(f"{name} must look like {example}; got {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    """Parse a database URL such as postgres://user@host:5432/db or sqlite:///path."""
    import dj_database_url

    raw = os.environ.get(name) or default
    if "://" not in raw:
        raise ImproperlyConfigured(f"{name} must be a URL like postgres://user@host:5432/name; got {raw!r}")
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several types for bad input
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({exc}); got {raw!r}") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise ImproperlyConfigured(f"{name} must point at SQLite or PostgreSQL; got {raw!r}")
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database; got {raw!r}")
    if engine == "django.db.backends.sqlite3":
        # A write transaction takes SQLite's write lock when it begins and waits for it up to 20 s; a
        # deferred one that reads first and then writes is refused at once ("database is locked") when
        # another request writes at the same moment: a 500 on a double click.
        config.setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
    return config


EMAIL_SCHEMES = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def env_email(name: str, default: str) -> dict:
    """Parse a mail URL into Django's EMAIL_* settings.

    - ``console://``: messages are written to the server's output (development);
    - ``smtp://user:password@host:587``: SMTP with STARTTLS (``?tls=0`` for a relay that has none);
    - ``smtps://user:password@host:465``: SMTP over TLS from the first byte.
    User and password are percent-encoded (``%40`` for ``@``).
    """
    from urllib.parse import parse_qs, unquote, urlsplit

    raw = os.environ.get(name) or default
    example = "smtp://user:password@mail.example.org:587"
    if "://" not in raw:
        raise ImproperlyConfigured(f"{name} must be a URL like {example} or console://; got {raw!r}")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_SCHEMES:
        raise ImproperlyConfigured(f"{name} must start with smtp://, smtps:// or console://; got {raw!r}")
    config = {"EMAIL_BACKEND": EMAIL_SCHEMES[scheme]}
    if scheme == "console":
        return config
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number from 1 to 65535; got {raw!r}") from None
    if port == 0:
        raise ImproperlyConfigured(f"{name} has a port that is not a number from 1 to 65535; got {raw!r}")
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} must name the mail server, like {example}; got {raw!r}")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"tls", "timeout"}
    if unknown:
        raise ImproperlyConfigured(f"{name} has unknown options {sorted(unknown)}; only tls and timeout; got {raw!r}")
    tls = query.get("tls", ["1"])[-1].strip().lower()
    if tls not in TRUE | FALSE:
        raise ImproperlyConfigured(f"{name}: tls must be 1 or 0; got {raw!r}")
    timeout = query.get("timeout", ["30"])[-1]
    if not timeout.isdigit() or int(timeout) < 1:
        raise ImproperlyConfigured(f"{name}: timeout must be a whole number of seconds; got {raw!r}")
    config.update(
        EMAIL_HOST=parts.hostname,
        EMAIL_PORT=port or (465 if scheme == "smtps" else 587),
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_SSL=scheme == "smtps",
        EMAIL_USE_TLS=scheme == "smtp" and tls in TRUE,
        EMAIL_TIMEOUT=int(timeout),
    )
    return config


def env_email_address(name: str, default: str) -> str:
    """A sender such as ``TPPO Monitor <noreply@example.org>`` or a bare address."""
    from email.utils import parseaddr

    raw = os.environ.get(name) or default
    _display, address = parseaddr(raw)
    local, _at, domain = address.rpartition("@")
    if not local or not domain or " " in address:
        example = "TPPO Monitor <noreply@example.org>"
        raise ImproperlyConfigured(f"{name} must be an e-mail address like {example}; got {raw!r}")
    return raw


CACHE_SCHEMES = ("redis", "rediss")


def env_cache(name: str, max_entries: int, key_prefix: str = "tppo") -> dict:
    """The default cache: a per-process memory cache, or Redis shared by every app server.

    Empty or unset: the memory cache (capped at `max_entries`). `redis://host:6379/0` (or
    `rediss://` for TLS, with `user:password@` if the server asks for it) switches to Django's
    own Redis backend, so that figures computed by one app server serve all the others; a Redis
    that stops answering reads as an empty cache (tptto_monitor.cache), never as an error page.
    Every key starts with `key_prefix`, so several sites can share one Redis database.
    """
    from urllib.parse import urlsplit

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    example = "redis://127.0.0.1:6379/0"
    shown = re.sub(r"//[^@/]*@", "//…@", raw)  # never print a password into a log
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a URL like {example}; got {shown!r}") from None
    db = parts.path.strip("/")
    if parts.scheme not in CACHE_SCHEMES or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name} must be a URL like {example}; got {shown!r}")
    if db and not db.isdigit():
        raise ImproperlyConfigured(f"{name} must end in a Redis database number, like {example}; got {shown!r}")
    return {
        "BACKEND": "tptto_monitor.cache.TolerantRedisCache",
        "LOCATION": raw,
        "KEY_PREFIX": key_prefix,
        # A Redis that does not answer fails a request within seconds, not at gunicorn's timeout.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }


def env_jobs_cache(default: dict, folder: str) -> dict:
    """The cache that workers and app servers share for heartbeats and job progress.

    The default cache when it is Redis (every machine reads it), under a key prefix of its own;
    otherwise a file cache in `folder`, shared by the processes of one machine, where the default
    per-process memory cache would keep a worker's progress to the worker.
    """
    if default["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
        return {**default, "KEY_PREFIX": f"{default.get('KEY_PREFIX', '')}-jobs"}
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": folder}
