"""What people are told when the server fails: a translated page, or the API's JSON error, never Django's bare
"Server Error (500)".

Two kinds of failure:
- the server cannot serve just now (the database does not answer, the disk is full): 503 with `Retry-After`,
  so browsers, the offline queue and API clients know to try again later;
- anything else: 500.

Both answers are rendered without the request's context processors and without the database (it may be the
very thing that failed), in the language the request asked for. Under `/api/` the body is the API's error format
(`{"detail": ..., "errors": []}`, indicators/api/errors.py).

`DatabaseUnavailableMiddleware` answers a view's database error; `handler500` answers every other uncaught error,
including one raised in a middleware (a session read when the database is lost), and tells the two kinds apart
from the exception being handled.
"""

import errno
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

RETRY_AFTER = 30  # seconds: long enough for a database restart or a failover
NO_ROOM = {errno.ENOSPC, errno.EDQUOT}
logger = logging.getLogger("tptto.errors")


def unavailable_reason(error: BaseException | None) -> str | None:
    """Why the server cannot serve just now (translated), or None when `error` is not that kind of failure."""
    if isinstance(error, OperationalError | InterfaceError):
        return _("The database cannot be reached just now.")
    if isinstance(error, OSError) and error.errno in NO_ROOM:
        return _("The server has no room left to store files just now.")
    return None


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _page(template: str, status: int, context: dict) -> HttpResponse:
    try:
        content = render_to_string(template, context)
    except Exception:  # a broken template or static manifest must not hide the error page itself
        logger.exception("error page could not be rendered", extra={"template": template})
        content = context.get("reason") or _("Something went wrong")
        return HttpResponse(content, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(content, status=status)


def error_response(request, error: BaseException | None) -> HttpResponse:
    """The 503 (with Retry-After) or 500 answer for `error`, in the request's language."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        reason = unavailable_reason(error)
        if reason is not None:
            if _is_api(request):
                response = JsonResponse({"detail": f"{reason} {_('Try again later.')}", "errors": []}, status=503)
            else:
                response = _page("503.html", 503, {"reason": reason, "retry_after": RETRY_AFTER})
            response["Retry-After"] = str(RETRY_AFTER)
        elif _is_api(request):
            response = JsonResponse(
                {"detail": _("The server could not finish this request; the error has been logged."), "errors": []},
                status=500,
            )
        else:
            response = _page("500.html", 500, {})
        response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


def handler500(request):
    """Django's 500 handler (ROOT_URLCONF's `handler500`): called while the uncaught exception is handled."""
    return error_response(request, sys.exc_info()[1])


class DatabaseUnavailableMiddleware:
    """A view's lost database (or full disk) is a 503 with Retry-After; other errors go on to `handler500`.

    Errors raised by a middleware (the session read by the sign-in check) never reach `process_exception`:
    `handler500` answers those the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if unavailable_reason(exception) is None:
            return None
        logger.error("service unavailable", exc_info=exception, extra={"error": type(exception).__name__})
        return error_response(request, exception)
