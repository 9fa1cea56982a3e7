"""Around the sign-in: whose address a request comes from, and password-reset requests held to a rate.

A reset request makes the site send an e-mail to an address anyone may type: unthrottled, it lets
anyone fill a colleague's mailbox and spend the SMTP quota. A few requests an hour per address and
more per client address are served; beyond that nothing is sent, and the answer is the same page
("if an account has this address, a link is on its way"), so the limit says nothing about which
addresses have an account. The counts live in the cache: with the per-process memory cache each
app process counts on its own (the limit is then per process), with Redis (CACHE_URL) once for all;
a cache that does not answer lets requests through (tptto_monitor.cache), as before this limit.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 60 * 60
logger = logging.getLogger("tptto.accounts")


def client_address(request) -> str:
    """The client's IP address, for django-axes (AXES_CLIENT_IP_CALLABLE) and the reset limit.

    The connection's own address, unless TRUSTED_PROXIES reverse proxies stand in front of the app:
    each appends the address it was reached from to X-Forwarded-For, so the client is the
    TRUSTED_PROXIES-th entry from the right. Entries further left are whatever the client wrote.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # it did not come through every proxy: the connection is all we know
    return forwarded[-proxies]


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a sign-in in its log lines (AXES_CLIENT_STR_CALLABLE): the address and the page,
    never the username typed, which is sometimes a password typed in the wrong box."""
    if isinstance(path_info, (tuple, list)):
        path_info = path_info[0]
    return f'{{ip_address: "{ip_address}", path_info: "{path_info}"}}'


def _window() -> int:
    return int(time.time() // WINDOW_SECONDS)


def _count(key: str) -> int:
    """This request's number within the current hour for `key` (1 for the first)."""
    key = f"password-reset:{_window()}:{key}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache does not answer
        return 1


def reset_limit_reached(*, email: str, address: str) -> str | None:
    """Count a reset request: the limit that holds it back ("client" or "address"), None when it may send."""
    if _count(f"client:{address}") > settings.PASSWORD_RESETS_PER_CLIENT:
        return "client"  # not counted against the address: a flood from one client spends only its own quota
    # Django finds the account by the address in any case; the key does not keep the address in clear
    digest = salted_hmac("password-reset", email.strip().casefold()).hexdigest()
    if _count(f"address:{digest}") > settings.PASSWORD_RESETS_PER_ADDRESS:
        return "address"
    return None


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, sending nothing beyond the limits (see the module docstring)."""

    def form_valid(self, form):
        address = client_address(self.request)
        limit = reset_limit_reached(email=form.cleaned_data["email"], address=address)
        if limit is None:
            return super().form_valid(form)
        logger.warning("password reset not sent: limit reached", extra={"limit": limit, "client": address})
        return HttpResponseRedirect(self.get_success_url())
