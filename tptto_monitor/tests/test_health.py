"""/healthz: the database, the cache, the media folder and the task queue, for load balancers; no sign-in."""

import datetime
import json
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from tptto_monitor.lib import queue

IDLE_QUEUE = {"queue": "ok", "oldest_task_waiting_seconds": None, "worker_alive": False}


def get_health(client, **headers):
    response = client.get("/healthz", **headers)
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthy_server_answers_200_without_sign_in(client, any_cache, django_assert_num_queries):
    with django_assert_num_queries(2):  # SELECT 1, the oldest waiting task; no session, no user
        status, body = get_health(client)
    assert (status, body) == (200, {"database": "ok", "cache": "ok", "media": "ok", **IDLE_QUEUE})


@pytest.mark.django_db
def test_probe_over_plain_http_by_ip_address_gets_no_redirect_and_no_host_error(client, settings):
    """As in production: a probe straight to the app server, without the proxy's X-Forwarded-Proto."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["tppo.example.org"]
    assert get_health(client, HTTP_HOST="10.1.2.3:8000") == (
        200,
        {"database": "ok", "cache": "ok", "media": "ok", **IDLE_QUEUE},
    )
    # every other address still redirects to HTTPS (a proxy-less request) or refuses the host
    assert client.get("/accounts/login/", HTTP_HOST="tppo.example.org").status_code == 301
    assert client.get("/accounts/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.mark.django_db
def test_unreachable_cache_is_named_with_503(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1},
        },
    }
    assert get_health(client) == (503, {"database": "ok", "cache": "error", "media": "ok", **IDLE_QUEUE})


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


def wait_in_queue(seconds: int) -> None:
    """A task queued `seconds` ago that nobody has run."""
    from django_tasks_db.models import DBTaskResult

    from indicators.jobs.runner import run_job

    result = run_job.enqueue(0)
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=timezone.now() - datetime.timedelta(seconds=seconds))


@pytest.mark.django_db
def test_tasks_waiting_without_a_worker_answer_503_with_the_wait(client):
    wait_in_queue(120)
    assert get_health(client) == (
        503,
        {
            "database": "ok",
            "cache": "ok",
            "media": "ok",
            "queue": "error",
            "oldest_task_waiting_seconds": 120,
            "worker_alive": False,
        },
    )


@pytest.mark.django_db
def test_a_worker_heard_within_the_minute_keeps_the_queue_ok(client, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 15  # alive for 4 × 15 s after its last beat
    wait_in_queue(120)
    queue.beat("worker-1")
    status, body = get_health(client)
    assert (status, body["queue"], body["worker_alive"]) == (200, "ok", True)
    # its last beat 61 s ago: dead, and the waiting tasks make the queue fail
    queue.jobs_cache().set(queue.SEEN_KEY, time.time() - 61)
    status, body = get_health(client)
    assert (status, body["queue"], body["worker_alive"]) == (503, "error", False)
