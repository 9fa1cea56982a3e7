"""The task queue's pulse: workers' heartbeats, and how long the oldest waiting task has waited.

The database backend of django-tasks keeps no record of its workers, so a worker that was killed
looks the same as one that is busy. Each worker (`manage.py db_worker`, indicators' wrapper of
django-tasks-db's) therefore writes a heartbeat into the jobs cache (settings.CACHES["jobs"]) every
WORKER_HEARTBEAT_SECONDS, from a thread of its own, so it beats while a long task holds the main
thread and, on SQLite, the database's write lock. A worker not heard of for four beats is dead:
`/healthz` answers 503 when tasks wait and no worker is alive, and a job whose worker died is
marked failed (indicators.jobs.runner.reap).
"""

import threading
import time
from contextlib import contextmanager, suppress

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

SEEN_KEY = "workers:seen"  # when any worker last beat


def jobs_cache():
    return caches["jobs"]


def alive_window() -> float:
    """Seconds after its last beat that a worker still counts as alive (one minute by default)."""
    return 4 * settings.WORKER_HEARTBEAT_SECONDS


def beat(worker_id: str) -> None:
    now = time.time()
    jobs_cache().set_many({f"worker:{worker_id}": now, SEEN_KEY: now}, timeout=int(alive_window()) + 60)


def worker_alive(worker_id: str) -> bool:
    seen = jobs_cache().get(f"worker:{worker_id}")
    return seen is not None and time.time() - seen < alive_window()


def any_worker_alive() -> bool:
    seen = jobs_cache().get(SEEN_KEY)
    return seen is not None and time.time() - seen < alive_window()


def oldest_waiting_seconds() -> float | None:
    """How long the oldest task ready to run has waited; None when none waits."""
    from django_tasks_db.models import DBTaskResult

    enqueued = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if enqueued is None:
        return None
    return max(0.0, (timezone.now() - enqueued).total_seconds())


@contextmanager
def heartbeat(worker_id: str):
    """Beat for `worker_id` from a daemon thread while the block runs (and once before it starts)."""
    stop = threading.Event()
    beat(worker_id)

    def run() -> None:
        while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            with suppress(Exception):  # a missed beat is retried at the next one; the worker carries on
                beat(worker_id)

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
