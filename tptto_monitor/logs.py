"""Structured logs: one JSON object per line, for a log shipper to read without parsing text.

Two kinds of line are ours (settings.LOGGING sends them at INFO):
- `tptto.request`, one per request: method, path (without the query string, whose values
  could be personal: only its parameter names), status, duration, the user's id;
- `tptto.workflow`, one per workflow action (submit, verify, return, reopen, import): ids and
  states only, never a narrative, a reason or a name.
Django's own warnings and errors come out in the same format.
"""

import datetime
import json
import logging
import time

from django.utils.functional import empty

request_logger = logging.getLogger("tptto.request")

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
                "path": request.path,
                "query_keys": sorted(request.GET.keys()),
                "view": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": signed_in_user_id(request),
            },
        )
        return response
