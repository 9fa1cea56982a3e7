"""Personal API tokens: made and revoked by their owner, stored hashed, shown once."""

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models.tokens import ApiToken
from indicators.tests.api_helpers import call, token_for


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"


@pytest.mark.django_db
def test_only_the_digest_is_stored(personas):
    row, token = ApiToken.issue(personas["reviewer"], name="R")
    assert token.startswith("tppo_") and len(token) > 40
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.digest, row.hint, row.name}
    assert row.hint == token[:11]


@pytest.mark.django_db
def test_profile_page_creates_a_token_shown_once(client_for, personas):
    client = client_for(personas["reviewer"])
    response = client.post(reverse("api_tokens"), {"name": "R scripts", "access": "read", "days": "90"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    row = ApiToken.objects.get(user=personas["reviewer"])
    token = response.context["new_token"]
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert not row.can_write
    assert token in response.content.decode()
    # the next visit lists it by its first characters only
    again = client.get(reverse("api_tokens")).content.decode()
    assert row.hint in again and token not in again


@pytest.mark.django_db
def test_profile_page_write_token(client_for, personas):
    client = client_for(personas["officer_a"])
    client.post(reverse("api_tokens"), {"name": "sync", "access": "write", "days": "30"})
    assert ApiToken.objects.get(user=personas["officer_a"]).can_write


@pytest.mark.django_db
def test_revoked_token_stops_working(client_for, personas, client):
    row, token = ApiToken.issue(personas["reviewer"], name="R")
    assert call(client, "get", "/agencies", token).status_code == 200
    client_for(personas["reviewer"]).post(reverse("revoke_api_token", args=[row.pk]))
    client.logout()  # the token alone signs the request in; logging out also drops the language cookie
    client.cookies["django_language"] = "en"
    response = call(client, "get", "/agencies", token)
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token was revoked.", "errors": []}


@pytest.mark.django_db
def test_nobody_revokes_or_sees_another_users_token(client_for, personas):
    row, _token = ApiToken.issue(personas["reviewer"], name="reviewer's")
    client = client_for(personas["officer_a"])
    assert client.post(reverse("revoke_api_token", args=[row.pk])).status_code == 404
    assert "reviewer&#x27;s" not in client.get(reverse("api_tokens")).content.decode()
    row.refresh_from_db()
    assert row.revoked_at is None


@pytest.mark.django_db
def test_token_page_needs_sign_in(client):
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_expired_token(client, personas):
    row, token = ApiToken.issue(personas["reviewer"], name="R", days=1)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=row.created_at)
    response = call(client, "get", "/agencies", token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.django_db
def test_unknown_and_missing_token(client, personas):
    assert call(client, "get", "/agencies", "tppo_not-a-token").json()["detail"] == "Unknown API token."
    response = call(client, "get", "/agencies", None)
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.django_db
def test_disabled_user(client, personas):
    token = token_for(personas["reviewer"])
    personas["reviewer"].is_active = False
    personas["reviewer"].save()
    assert call(client, "get", "/agencies", token).status_code == 401


@pytest.mark.django_db
def test_command_prints_a_working_token(capsys, client, personas):
    call_command("create_api_token", "officer_a", "--write")
    token = capsys.readouterr().out.strip()
    row = ApiToken.objects.get(user=personas["officer_a"])
    assert row.can_write and row.expires_at is not None
    assert call(client, "get", "/agencies", token).status_code == 200


@pytest.mark.django_db
def test_command_unknown_user(personas):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nobody"):
        call_command("create_api_token", "nobody")
