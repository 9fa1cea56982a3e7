"""The reset e-mail's link and the reset page's timing (issue 19, finding 8).

The link is made from SITE_URL, never from the request's Host header (`Host: 127.0.0.1:6666` passes
ALLOWED_HOSTS, which ignores the port, and would have sent the link to another server). The page answers
before any mail is sent, after the same work whether or not the address has an account, so its timing does
not tell which addresses exist.
"""

import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.template import loader
from django.urls import reverse

from tptto_monitor import accounts

SLOW_SECONDS = 3.0  # far above a request on a busy test machine


class SlowBackend(EmailBackend):
    """A mail server that takes its time (an SMTP round trip)."""

    def send_messages(self, messages):
        time.sleep(SLOW_SECONDS)
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def mail_sent_within_the_test():
    yield
    accounts.wait_for_reset_mail()  # no message of this test arrives in the next one's outbox


def ask(client, email: str, **headers):
    response = client.post(reverse("password_reset"), {"email": email}, **headers)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    return response


@pytest.mark.django_db
def test_the_link_comes_from_site_url_not_from_the_host_header(personas, client, settings):
    settings.SITE_URL = "https://tppo.example.org"
    ask(client, "verifier@example.org", HTTP_HOST="127.0.0.1:6666")
    accounts.wait_for_reset_mail()
    (message,) = mail.outbox
    assert "https://tppo.example.org/accounts/password/reset/" in message.body
    assert "6666" not in message.body and "127.0.0.1" not in message.body


@pytest.mark.django_db
def test_the_page_answers_before_the_mail_is_sent(personas, client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    ask(client, "nobody@example.org")  # the first request of a test pays for loading templates
    started = time.perf_counter()
    ask(client, "verifier@example.org")
    answered = time.perf_counter() - started
    assert answered < SLOW_SECONDS
    accounts.wait_for_reset_mail()
    assert [m.to for m in mail.outbox] == [["verifier@example.org"]]


@pytest.mark.django_db
def test_a_known_and_an_unknown_address_cost_the_same_work(personas, client, monkeypatch):
    """The same templates are rendered either way (the unknown address's message is made and thrown away)."""
    rendered = []
    real = loader.render_to_string

    def counting(template_name, *args, **kwargs):
        rendered.append(template_name)
        return real(template_name, *args, **kwargs)

    monkeypatch.setattr(loader, "render_to_string", counting)
    ask(client, "verifier@example.org")
    known, rendered[:] = list(rendered), []
    ask(client, "nobody@example.org")
    assert rendered == known and "registration/password_reset_email.html" in known
    accounts.wait_for_reset_mail()
    assert [m.to for m in mail.outbox] == [["verifier@example.org"]]
