"""`/healthz` for load balancers and monitors: can this app server reach its database and cache, and store
files; does the task queue move (a worker alive whenever tasks wait)?

Answered by a middleware at the top of the stack, before anything that could turn a healthy
server into a failed probe: a probe comes over plain HTTP straight to the app server (no
proxy to set X-Forwarded-Proto, so no SSL redirect), often with the server's IP address as
its Host (so no ALLOWED_HOSTS check: the answer builds no URL from it), and never signed in.
The answer names each check and says "ok", "error", or for the media folder the short reason ("not writable",
"low on space": uploads and evidence would fail), nothing else about the data.
"""

import logging
import os
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse

from tptto_monitor.lib import atomic, queue

PATH = "/healthz"
logger = logging.getLogger("tptto.health")


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def check_cache() -> None:
    # a round trip through the real cache: with Redis this proves the server answers and stores
    key, token = f"healthz:{os.getpid()}", secrets.token_hex(8)
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise RuntimeError("the cache did not return what was stored")


class CheckFailed(Exception):
    """A failed check whose short reason is the answer (instead of "error")."""


def check_media() -> None:
    """MEDIA_ROOT takes a file (written as every stored file is, then removed) and has MEDIA_MIN_FREE_MB free."""
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".healthz-{os.getpid()}"
        atomic.write_bytes(probe, secrets.token_bytes(16))
        probe.unlink()
    except OSError as error:
        raise CheckFailed("not writable") from error
    if shutil.disk_usage(root).free < settings.MEDIA_MIN_FREE_MB * 1024 * 1024:
        raise CheckFailed("low on space")


CHECKS = {"database": check_database, "cache": check_cache, "media": check_media}


def queue_state() -> dict:
    """The task queue: the age of the oldest waiting task (seconds, or None), whether a worker beat in the
    last minute, and "error" when tasks wait with no worker alive to run them (tptto_monitor.lib.queue)."""
    waiting, alive = queue.oldest_waiting_seconds(), queue.any_worker_alive()
    return {
        "queue": "error" if waiting is not None and not alive else "ok",
        "oldest_task_waiting_seconds": None if waiting is None else round(waiting),
        "worker_alive": alive,
    }


def health() -> tuple[dict[str, str], int]:
    """Each check's state ("ok" or "error") and the HTTP status: 200 when all pass, 503 otherwise."""
    states = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure of a dependency is a failed check, never a 500
            reason = str(error) if isinstance(error, CheckFailed) else "error"
            logger.error("health check failed", extra={"check": name, "error": type(error).__name__, "reason": reason})
            states[name] = reason
        else:
            states[name] = "ok"
    if states["database"] == "ok":
        try:
            states.update(queue_state())
        except Exception as error:  # the jobs cache unreadable: the queue's state is unknown
            logger.error("health check failed", extra={"check": "queue", "error": type(error).__name__})
            states["queue"] = "error"
    failed = any(states[name] != "ok" for name in CHECKS) or states.get("queue") == "error"
    return states, 503 if failed else 200


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        states, status = health()
        response = JsonResponse(states, status=status)
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
