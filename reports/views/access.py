"""Who may read dashboards and download summaries, and how many downloads at a time."""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from indicators.models.roles import DOWNLOAD, has_role
from tptto_monitor.lib import limits


def can_read_dashboards(user) -> bool:
    """Every role reads the dashboards; a signed-in user without a role does not."""
    return user.is_authenticated and has_role(user)


def can_download_summaries(user) -> bool:
    return user.is_authenticated and user.has_perm(DOWNLOAD)


def _allowed_if(test):
    """A view decorator: 403 unless `test(user)` holds (checked on the server for every request)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


dashboard_reader_required = _allowed_if(can_read_dashboards)
summary_reader_required = _allowed_if(can_download_summaries)


def download_limited(view):
    """A file built in the request: at most DOWNLOADS_PER_MINUTE a minute and DOWNLOADS_AT_ONCE together per
    reader (tptto_monitor/lib/limits.py); beyond, 429 with Retry-After and a page saying when to try again.

    Each one can cost a second of a worker (a cold summary PDF, the dataset of a large plan): without a limit a
    reader's script, or a button pressed again and again, takes the workers from everyone else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            limits.count("downloads", request.user.pk, settings.DOWNLOADS_PER_MINUTE)
            with limits.at_once("downloads", request.user.pk, settings.DOWNLOADS_AT_ONCE):
                return view(request, *args, **kwargs)
        except limits.TooMany as limit:
            response = render(request, "429.html", {"retry_after": limit.retry_after}, status=429)
            response["Retry-After"] = str(limit.retry_after)
            response["Cache-Control"] = "no-store"
            return response

    return wrapper
