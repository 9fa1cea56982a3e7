"""Password-reset requests send at most a few e-mails an hour per address and per client (tptto_monitor.accounts).

Beyond the limits the answer is the same redirect to the same "check your e-mail" page, so nobody
learns from it whether an address has an account, or whether a limit was reached.
"""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from tptto_monitor import accounts


def ask(client, email: str, address: str = "192.0.2.1"):
    response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    accounts.wait_for_reset_mail()  # sent after the answer (test_password_reset_link)
    return response


def neutral(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("password_reset_done")


@pytest.mark.django_db
def test_the_fourth_request_for_an_address_within_an_hour_sends_nothing(personas, client, any_cache):
    for n in range(3):
        assert neutral(ask(client, "verifier@example.org", address=f"198.51.100.{n}"))
    assert len(mail.outbox) == 3
    fourth = ask(client, "verifier@example.org", address="203.0.113.7")  # from another client too
    assert neutral(fourth)
    assert len(mail.outbox) == 3
    # the other addresses are not held back
    assert neutral(ask(client, "reviewer@example.org"))
    assert [m.to for m in mail.outbox[3:]] == [["reviewer@example.org"]]


@pytest.mark.django_db
def test_the_address_is_counted_whatever_its_case(personas, client):
    for email in ["verifier@example.org", "Verifier@Example.org", " VERIFIER@example.org", "verifier@EXAMPLE.ORG"]:
        ask(client, email)
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_an_unknown_address_is_answered_alike_before_and_after_the_limit(personas, client):
    answers = [ask(client, "nobody@example.org") for _ in range(5)]
    assert all(neutral(answer) for answer in answers)
    assert mail.outbox == []


@pytest.mark.django_db
def test_one_client_is_held_back_across_addresses(personas, client, settings):
    settings.PASSWORD_RESETS_PER_CLIENT = 4
    emails = [f"{name}@example.org" for name in ("officer_a", "officer_b", "verifier", "reviewer", "executive")]
    assert all(neutral(ask(client, email, address="198.51.100.9")) for email in emails)
    assert [m.to[0] for m in mail.outbox] == emails[:4]
    # the fifth address was not spent by that client: asked from elsewhere, its link is sent
    assert neutral(ask(client, "executive@example.org", address="203.0.113.7"))
    assert mail.outbox[-1].to == ["executive@example.org"]


@pytest.mark.django_db
def test_an_hour_later_links_are_sent_again(personas, client, monkeypatch):
    hour = 500_000
    monkeypatch.setattr(accounts, "_window", lambda: hour)
    for _ in range(4):
        ask(client, "verifier@example.org")
    assert len(mail.outbox) == 3
    monkeypatch.setattr(accounts, "_window", lambda: hour + 1)
    ask(client, "verifier@example.org")
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_a_held_back_request_is_logged_without_the_address_asked_for(personas, client, caplog):
    with caplog.at_level(logging.WARNING, logger="tptto.accounts"):
        for _ in range(4):
            ask(client, "verifier@example.org", address="198.51.100.9")
    [record] = [r for r in caplog.records if r.name == "tptto.accounts"]
    assert (record.limit, record.client) == ("address", "198.51.100.9")
    assert "verifier" not in str(vars(record))


@pytest.mark.django_db
def test_the_page_says_so_in_both_languages(personas, client):
    page = client.get(reverse("password_reset_done"))
    assert "Hanya beberapa permintaan pertama dalam satu jam" in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("password_reset_done"))
    assert "Only the first few requests within an hour send a link." in page.content.decode()


@pytest.mark.django_db
def test_with_the_cache_down_links_are_still_sent(personas, client, redis_down):
    assert neutral(ask(client, "verifier@example.org"))
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_counts(personas, client, settings):
    settings.TRUSTED_PROXIES = 1
    settings.PASSWORD_RESETS_PER_CLIENT = 2
    emails = ["officer_a@example.org", "officer_b@example.org", "verifier@example.org"]
    for email in emails:
        client.post(
            reverse("password_reset"), {"email": email}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9"
        )
    client.post(
        reverse("password_reset"),
        {"email": "reviewer@example.org"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert [m.to[0] for m in mail.outbox] == [*emails[:2], "reviewer@example.org"]
