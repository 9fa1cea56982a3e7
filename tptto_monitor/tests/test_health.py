"""/healthz: the database, the cache and the media folder, for load balancers; no sign-in, nothing else said."""

import json

import pytest
from django.db import OperationalError, connection


def get_health(client, **headers):
    response = client.get("/healthz", **headers)
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthy_server_answers_200_without_sign_in(client, any_cache, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1; no session, no user
        status, body = get_health(client)
    assert (status, body) == (200, {"database": "ok", "cache": "ok", "media": "ok"})


@pytest.mark.django_db
def test_probe_over_plain_http_by_ip_address_gets_no_redirect_and_no_host_error(client, settings):
    """As in production: a probe straight to the app server, without the proxy's X-Forwarded-Proto."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["tppo.example.org"]
    assert get_health(client, HTTP_HOST="10.1.2.3:8000") == (200, {"database": "ok", "cache": "ok", "media": "ok"})
    # every other address still redirects to HTTPS (a proxy-less request) or refuses the host
    assert client.get("/accounts/login/", HTTP_HOST="tppo.example.org").status_code == 301
    assert client.get("/accounts/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.mark.django_db
def test_unreachable_cache_is_named_with_503(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    assert get_health(client) == (503, {"database": "ok", "cache": "error", "media": "ok"})


@pytest.mark.django_db
def test_unreachable_database_is_named_with_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    assert get_health(client) == (503, {"database": "error", "cache": "ok", "media": "ok"})


@pytest.mark.django_db
def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
