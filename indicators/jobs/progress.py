"""A running job's progress, written through the jobs cache (settings.CACHES["jobs"]).

Not through the database: the work runs in one transaction, all or nothing, and on SQLite no other
connection may commit while that transaction holds the write lock (and a second connection's commit
during the work's reads would break the work's snapshot when it starts writing). The cache is shared
by the app servers and the workers (Redis with CACHE_URL, a folder of one machine without), so the
job's page reads the rows done so far while the work's transaction is still open. The job's row holds
the durable state; the cache only the count between two commits.
"""

import time

from indicators.models import Job
from tptto_monitor.lib.queue import jobs_cache

KEEP_SECONDS = 24 * 60 * 60
EVERY = 0.5  # seconds between two writes, so 5,000 rows cost a few dozen writes, not 5,000


def _key(job: Job) -> str:
    return f"job:{job.token}"


class Progress:
    """`progress(done, total, message)`, called as often as the work likes; written at most every EVERY s
    within one step of the work."""

    def __init__(self, job: Job):
        self.job = job
        self.written = 0.0
        self.message = None

    def __call__(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and message == self.message and now - self.written < EVERY:
            return  # a new step (checking → saving) is always written
        self.written, self.message = now, message
        jobs_cache().set(_key(self.job), {"done": done, "total": total, "message": message}, KEEP_SECONDS)


def read(job: Job) -> dict | None:
    """The last progress a worker wrote for `job`, if any: {"done", "total", "message"}."""
    return jobs_cache().get(_key(job))


def forget(job: Job) -> None:
    jobs_cache().delete(_key(job))
