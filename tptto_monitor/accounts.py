"""Around the sign-in: whose address a request comes from, and password-reset requests held to a rate,
answered in the same time whether or not the address has an account, with a link to SITE_URL.

A reset request makes the site send an e-mail to an address anyone may type: unthrottled, it lets
anyone fill a colleague's mailbox and spend the SMTP quota. A few requests an hour per address and
more per client address are served; beyond that nothing is sent, and the answer is the same page
("if an account has this address, a link is on its way"), so the limit says nothing about which
addresses have an account. The counts live in the cache: with the per-process memory cache each
app process counts on its own (the limit is then per process), with Redis (CACHE_URL) once for all;
a cache that does not answer lets requests through (tptto_monitor.cache), as before this limit.

The reset link is made from SITE_URL, never from the request's Host header (ALLOWED_HOSTS ignores the
port, so `Host: 127.0.0.1:6666` would have pointed the link at another server). The page answers after the
same work for any address: the message is made (for an unknown address, made and thrown away) and then sent
by a thread of its own, after the answer: the mail server's time no longer tells which addresses exist.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.http import HttpResponseRedirect
from django.template import loader
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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


_sending: list[threading.Thread] = []


def _send_later(messages: list[EmailMultiAlternatives]) -> None:
    def send() -> None:
        try:
            get_connection().send_messages(messages)
        except Exception:  # the mail server's trouble is logged; the person was answered already
            logger.exception("password reset mail not sent")

    # not a daemon: a worker that is being recycled finishes sending before it exits
    thread = threading.Thread(target=send, name="password-reset-mail")
    thread.start()
    _sending[:] = [t for t in _sending if t.is_alive()] + [thread]


def wait_for_reset_mail(timeout: float = 30) -> None:
    """Wait until the reset messages asked for so far are handed to the mail server (tests, shutdown)."""
    for thread in list(_sending):
        thread.join(timeout)


class ResetForm(PasswordResetForm):
    """Django's form, making its messages without sending them (`outbox`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outbox: list[EmailMultiAlternatives] = []

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        message = EmailMultiAlternatives(
            subject, loader.render_to_string(email_template_name, context), from_email, [to_email]
        )
        if html_email_template_name is not None:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        self.outbox.append(message)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request with the link to SITE_URL, the same work for any address, the mail sent after the
    answer, and nothing sent beyond the limits (see the module docstring)."""

    form_class = ResetForm

    def form_valid(self, form):
        address = client_address(self.request)
        limit = reset_limit_reached(email=form.cleaned_data["email"], address=address)
        if limit is not None:
            logger.warning("password reset not sent: limit reached", extra={"limit": limit, "client": address})
            return HttpResponseRedirect(self.get_success_url())
        site = urlsplit(settings.SITE_URL)
        options = {
            "domain_override": site.netloc,
            "use_https": site.scheme == "https",
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "request": self.request,
            "html_email_template_name": self.html_email_template_name,
            "extra_email_context": self.extra_email_context,
        }
        form.save(**options)
        if form.outbox:
            _send_later(form.outbox)
        else:
            self._decoy(form, site)
        return HttpResponseRedirect(self.get_success_url())

    def _decoy(self, form, site) -> None:
        """The message an account of this address would get, made and thrown away: the same work either way."""
        email = form.cleaned_data["email"]
        nobody = get_user_model()(email=email)
        context = {
            "email": email,
            "domain": site.netloc,
            "site_name": site.netloc,
            "uid": urlsafe_base64_encode(force_bytes(0)),
            "user": nobody,
            "token": self.token_generator.make_token(nobody),
            "protocol": "https" if site.scheme == "https" else "http",
            **(self.extra_email_context or {}),
        }
        form.send_mail(
            self.subject_template_name,
            self.email_template_name,
            context,
            self.from_email,
            email,
            self.html_email_template_name,
        )
        form.outbox.clear()
