"""Reads that can leave the primary (issue: the nation): with DATABASE_REPLICA_URL set, the pages' and files'
reads go to a read replica (PostgreSQL streaming replication), and everything else stays on the primary.

Kept on the primary:
- every write, and every read of a request that writes (POST, PUT, PATCH, DELETE): a form that checks and
  saves reads what it saves against;
- sessions, sign-in, permissions and throttling (the apps below): a replica a second behind would sign a
  person out or let a locked-out address try again;
- the task queue and everything outside a request (commands, workers): they read to write;
- a person's reads for PIN_SECONDS after she wrote (a cookie): she sees her own entry on the page she is sent
  to, whatever the replica's lag (read-your-writes).
Without DATABASE_REPLICA_URL nothing here does anything: every query goes to the one database.
"""

from __future__ import annotations

import contextvars

from django.conf import settings

REPLICA = "replica"
PIN_COOKIE = "tppo_primary"
PIN_SECONDS = 15
PRIMARY_APPS = frozenset(
    {"sessions", "auth", "contenttypes", "admin", "axes", "django_tasks", "django_tasks_db", "migrations"}
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# True outside a request (commands, workers, tests that read to write) and in a request that must read the
# primary; the middleware sets it to False for a plain read
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("tppo_read_primary", default=True)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not has_replica() or _pinned.get() or model._meta.app_label in PRIMARY_APPS:
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: a row read there relates to a row here

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema by replication


class ReadYourWritesMiddleware:
    """Routes a request's reads: to the replica for a read (GET, HEAD, OPTIONS) by someone who has not written
    in the last PIN_SECONDS; to the primary otherwise; and after a write answered below 400, pins the writer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not has_replica():
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        token = _pinned.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes and response.status_code < 400:
            response.set_cookie(
                PIN_COOKIE, "1", max_age=PIN_SECONDS, httponly=True, samesite="Lax", secure=request.is_secure()
            )
        return response
