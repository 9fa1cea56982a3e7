"""The API's writes held to a rate per user (API_WRITES_PER_MINUTE; tptto_monitor/lib/limits.py).

Each write moves the plan's data version on, so every cached figure and summary of the plan is computed
again by its next reader: a token writing in a loop kept them all cold. Beyond the rate: 429 with
Retry-After (indicators/api/errors.py), counted before anything is read or saved.
"""

from django.conf import settings

from tptto_monitor.lib import limits


def count_write(request) -> None:
    limits.count("api-writes", request.user.pk, settings.API_WRITES_PER_MINUTE)
