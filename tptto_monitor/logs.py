"""Structured logs: one JSON object per line, for a log shipper to read without parsing text.

Two kinds of line are ours (settings.LOGGING sends them at INFO):
- `tptto.request`, one per request: method, path (without the query string, whose values
  could be personal: only its parameter names), status, duration, the user's id;
- `tptto.workflow`, one per workflow action (submit, verify, return, reopen, import): ids and
  states only, never a narrative, a reason or a name.
Django's own warnings and errors come out in the same format.

No line holds a secret: a password-reset link's user and token are replaced by placeholders
(`loggable_path`), a query string keeps its parameter names only (`loggable_url`, also used by
gunicorn's access log: gunicorn.conf.py), and django-axes logs the address of a failed sign-in, not
the username typed (which is sometimes a password: tptto_monitor.accounts.axes_client_str).
"""

import datetime
import json
import logging
import re
import time
from urllib.parse import parse_qsl, urlsplit

from django.utils.functional import empty

request_logger = logging.getLogger("tptto.request")

# /accounts/password/reset/<uidb64>/<token>/ (and its set-password step): the link works for a day
RESET_LINK = re.compile(r"^(?P<start>/accounts/password/reset/)(?!sent/$|complete/$)[^/]+/[^/]+/")


def loggable_path(path: str) -> str:
    """The path with a reset link's user and token replaced by placeholders."""
    return RESET_LINK.sub(r"\g<start><uidb64>/<token>/", path)


def loggable_url(url: str) -> str:
    """A path with its query string (gunicorn's raw request URI): secrets out, query parameters by name only."""
    parts = urlsplit(url)
    names = [name for name, _value in parse_qsl(parts.query, keep_blank_values=True)]
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return origin + loggable_path(parts.path) + ("?" + "&".join(names) if names else "")


# What every LogRecord carries; anything else on a record came as `extra=` and goes into the line.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Django passes the request object itself along (django.request, django.server): its text shows the query.
DROPPED = {"request", "server_time"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and key not in DROPPED:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def signed_in_user_id(request) -> int | None:
    """The user's id if this request already loaded the user; never a query of its own."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """One `tptto.request` line per request, written after the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        request_logger.info(
            "request",
            extra={
                "method": request.method,
                "path": loggable_path(request.path),
                "query_keys": sorted(request.GET.keys()),
                "view": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": signed_in_user_id(request),
            },
        )
        return response
