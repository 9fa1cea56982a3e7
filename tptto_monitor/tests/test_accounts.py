"""Every user changes her own password; a forgotten one is reset through a link sent by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD, rad_url
from tptto_monitor import accounts

NEW_PASSWORD = "a-new-and-long-passphrase-42"


@pytest.mark.parametrize("role", ["officer_a", "verifier", "reviewer", "executive", "admin", "outsider"])
def test_every_user_can_change_her_password(personas, client_for, role):
    user = personas[role]
    client = client_for(user)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # the session that changed the password stays signed in
    assert client.get(reverse("password_change_done")).status_code == 200


def test_wrong_current_password_changes_nothing(personas, client_for):
    user = personas["officer_a"]
    response = client_for(user).post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_needs_sign_in(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_navbar_and_sign_in_page_link_to_the_password_pages(personas, client, client_for):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    page = client_for(personas["reviewer"]).get(rad_url("indicators:plan")).content.decode()
    assert reverse("password_change") in page


def test_forgotten_password_is_reset_through_the_link_sent_by_mail(personas, client):
    user = personas["verifier"]
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": "verifier@example.org"})
    accounts.wait_for_reset_mail()
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["verifier@example.org"]
    assert "verifier" in message.body
    link = re.search(r"http://127.0.0.1:8000(/\S+)", message.body).group(1)  # SITE_URL's default

    # the link leads to a form (Django swaps the token into the session first)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # the link works once
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(personas, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    accounts.wait_for_reset_mail()
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_of_an_inactive_account_sends_nothing(personas, client):
    user = personas["reviewer"]
    user.is_active = False
    user.save()
    client.post(reverse("password_reset"), {"email": "reviewer@example.org"})
    accounts.wait_for_reset_mail()
    assert mail.outbox == []
