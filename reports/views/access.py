"""Who may read dashboards and download summaries."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from indicators.models.roles import DOWNLOAD, has_role


def can_read_dashboards(user) -> bool:
    """Every role reads the dashboards; a signed-in user without a role does not."""
    return user.is_authenticated and has_role(user)


def can_download_summaries(user) -> bool:
    return user.is_authenticated and user.has_perm(DOWNLOAD)


def dashboard_reader_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_read_dashboards(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def summary_reader_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_download_summaries(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
