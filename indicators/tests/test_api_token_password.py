"""A token is bound to its owner's password and to her account staying open: a changed password (on the web,
through a reset, from the shell) or a deactivation ends it, even if the account is opened again. A password
hash that Django merely upgrades at sign-in (more iterations, same password) does not."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import PASSWORD
from indicators.tests.api_helpers import call, token_for

NEW_PASSWORD = "another-Long-passphrase-42"
ENDED = "This API token ended when the account's password changed or it was closed; create a new one."


class OneIteration(PBKDF2PasswordHasher):
    iterations = 1


class TwoIterations(PBKDF2PasswordHasher):
    """The site's hasher after an upgrade: same algorithm, more iterations (so old hashes must_update)."""

    iterations = 2


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"


def refused(client, token) -> bool:
    client.logout()
    client.cookies["django_language"] = "en"
    response = call(client, "get", "/agencies", token)
    return response.status_code == 401 and response.json()["detail"] == ENDED


@pytest.mark.django_db
def test_a_password_changed_on_the_web_ends_the_token(client_for, client, personas):
    user = personas["officer_a"]
    token = token_for(user, write=True)
    assert call(client, "get", "/agencies", token).status_code == 200
    response = client_for(user).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert refused(client, token)


@pytest.mark.django_db
def test_a_completed_reset_ends_the_token(client, personas):
    user = personas["reviewer"]
    token = token_for(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    form = client.get(link)  # redirects to the same page without the token in the address
    assert form.status_code == 302
    done = client.post(form["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert refused(client, token)


@pytest.mark.django_db
def test_a_password_set_from_the_shell_ends_the_token(client, personas):
    user = personas["reviewer"]
    token = token_for(user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert refused(client, token)


@pytest.mark.django_db
def test_a_password_hash_written_directly_ends_the_token(client, personas):
    user = personas["reviewer"]
    token = token_for(user)
    type(user).objects.filter(pk=user.pk).update(password=make_password(NEW_PASSWORD))
    assert refused(client, token)


@pytest.mark.django_db
def test_deactivating_ends_the_token_even_once_reopened(client, personas):
    user = personas["reviewer"]
    token = token_for(user)
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    assert refused(client, token)


@pytest.mark.django_db
def test_a_hash_upgraded_at_sign_in_keeps_the_token(client, personas, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.TwoIterations"]
    user = personas["reviewer"]
    type(user).objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher=OneIteration()))
    user.refresh_from_db()
    token = token_for(user)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$2$")  # Django re-hashed it on sign-in
    client.logout()
    assert call(client, "get", "/agencies", token).status_code == 200


@pytest.mark.django_db
def test_closing_an_account_ends_its_sessions_too_even_once_reopened(personas):
    """The sibling of the tokens: Django refuses an inactive user's session, but kept it, and it worked again as
    soon as the account was opened again."""
    from django.test import Client

    user = personas["reviewer"]
    client, someone = Client(), Client()
    client.force_login(user)
    someone.force_login(personas["verifier"])
    other = someone.session.session_key  # someone else's session stays
    assert client.get(reverse("api_tokens")).status_code == 200
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=other).exists()
