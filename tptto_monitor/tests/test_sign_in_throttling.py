"""Sign-in throttling (issue 8, finding 5): 50 wrong passwords in 30 s, then the right one signed in.

Now 10 failures for an account, or from an address, within 15 minutes lock it for 15 minutes, the
right password included; an administrator lifts the lock in the admin; failures are logged.
"""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD


def sign_in(client, username: str, password: str, address: str = "192.0.2.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_ten_failures_lock_the_account_even_for_the_right_password(personas, english):
    client = english
    for _ in range(9):
        assert sign_in(client, "officer_a", "wrong").status_code == 200  # the form again, with its error
    tenth = sign_in(client, "officer_a", "wrong")
    assert tenth.status_code == 429
    right = sign_in(client, "officer_a", PASSWORD)
    assert right.status_code == 429
    assert not signed_in(client)
    assert "Signing in is paused for 15 minutes, even with the right password." in right.content.decode()


@pytest.mark.django_db
def test_the_lock_is_translated(personas, client):
    for _ in range(10):
        sign_in(client, "officer_a", "wrong")
    body = sign_in(client, "officer_a", PASSWORD).content.decode()
    assert 'lang="id"' in body
    assert "15 menit" in body


@pytest.mark.django_db
def test_nine_failures_do_not_lock(personas, client):
    for _ in range(9):
        sign_in(client, "officer_a", "wrong")
    assert sign_in(client, "officer_a", PASSWORD).status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_the_account_is_locked_from_any_address(personas, client):
    for n in range(10):
        sign_in(client, "officer_a", "wrong", address=f"198.51.100.{n}")
    assert sign_in(client, "officer_a", PASSWORD, address="203.0.113.7").status_code == 429


@pytest.mark.django_db
def test_ten_failures_from_one_address_lock_the_address_for_every_account(personas, client):
    for n in range(10):
        sign_in(client, f"guess{n}", "wrong", address="198.51.100.9")
    assert sign_in(client, "verifier", PASSWORD, address="198.51.100.9").status_code == 429
    assert sign_in(client, "verifier", PASSWORD, address="203.0.113.7").status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_address_does_not_escape_the_lock(personas, client):
    """Without TRUSTED_PROXIES the connection's own address counts, not what the client writes."""
    for n in range(10):
        client.post(
            reverse("login"),
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    assert sign_in(client, "verifier", PASSWORD, address="198.51.100.9").status_code == 429


@pytest.mark.django_db
def test_failures_older_than_15_minutes_no_longer_count(personas, client):
    for _ in range(10):
        sign_in(client, "officer_a", "wrong")
    assert sign_in(client, "officer_a", PASSWORD).status_code == 429
    sixteen_minutes_ago = timezone.now() - datetime.timedelta(minutes=16)
    from axes.models import AccessAttemptExpiration

    AccessAttempt.objects.update(attempt_time=sixteen_minutes_ago)
    AccessAttemptExpiration.objects.update(expires_at=sixteen_minutes_ago + datetime.timedelta(minutes=15))
    assert sign_in(client, "officer_a", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_administrator_lifts_the_lock(personas, client, client_for):
    for _ in range(10):
        sign_in(client, "officer_a", "wrong")
    attempt = AccessAttempt.objects.get(username="officer_a")
    admin = client_for(personas["admin"])
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    admin.logout()
    assert sign_in(client, "officer_a", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_are_logged_by_address_never_by_the_username_typed(personas, client, caplog):
    """Issue 19, finding 7: a password typed in the username box was written to the log."""
    with caplog.at_level(logging.DEBUG, logger="axes"):
        sign_in(client, "officer_a", "wrong")
        sign_in(client, "correct-horse-typed-here", "wrong")
    messages = [record.getMessage() for record in caplog.records if record.name.startswith("axes")]
    assert any("192.0.2.1" in message for message in messages)
    assert not [m for m in messages if "officer_a" in m or "correct-horse" in m]
    attempt = AccessAttempt.objects.get(username="officer_a")
    assert "officer_a" not in attempt.post_data and "wrong" not in attempt.post_data


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(personas, client, settings):
    """TRUSTED_PROXIES=1: the proxy appends the client's address; what the client wrote before it is ignored."""
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for n in range(10):
        client.post(
            reverse("login"),
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.9",
        )
    locked = client.post(
        reverse("login"),
        {"username": "verifier", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert locked.status_code == 429
    other = client.post(
        reverse("login"),
        {"username": "verifier", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert other.status_code == 302  # another person behind the same proxy signs in


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (0, "203.0.113.7", "10.0.0.2"),  # no proxy trusted: the header is the client's own writing
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # what the client wrote before the proxy's entry
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),  # the outer proxy's entry, then the inner's
        (2, "203.0.113.7", "10.0.0.2"),  # fewer entries than proxies: it did not come through them
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address(rf, settings, proxies, forwarded, client):
    from tptto_monitor.accounts import client_address

    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client


@pytest.mark.django_db
def test_signing_in_to_ones_own_account_does_not_clear_failures_against_another(personas, english):
    """Issue 19, finding 2: 9 wrong passwords for officer_a, a good sign-in as officer_b from the same address,
    9 more for officer_a: 18 failures against officer_a within 15 minutes, so she (and the address) is locked
    at the 10th. A success clears only the failures of that account from that address."""
    client = english
    for _ in range(9):
        assert sign_in(client, "officer_a", "wrong").status_code == 200
    assert sign_in(client, "officer_b", PASSWORD).status_code == 302
    client.logout()
    client.cookies["django_language"] = "en"
    answers = [sign_in(client, "officer_a", "wrong").status_code for _ in range(9)]
    assert answers == [429] * 9  # the 10th failure against officer_a locks
    assert sign_in(client, "officer_a", PASSWORD).status_code == 429
    assert sign_in(client, "officer_a", PASSWORD, address="198.51.100.7").status_code == 429  # the account too
    assert AccessAttempt.objects.filter(username="officer_a").exists()


@pytest.mark.django_db
def test_a_good_sign_in_clears_that_accounts_own_failures_from_that_address(personas, english):
    client = english
    for _ in range(9):
        sign_in(client, "officer_a", "wrong")
    assert sign_in(client, "officer_a", PASSWORD).status_code == 302
    client.logout()
    for _ in range(9):
        assert sign_in(client, "officer_a", "wrong").status_code == 200  # counting starts again
    assert sign_in(client, "officer_a", PASSWORD).status_code == 302
