"""How a download reads a file built ahead: the stored file, the build of its version under way, or one now.

A build marks the plan's data version as being built (`building`, a key in the jobs cache shared by the app
servers and the workers) while it works; a download that finds no stored file of its version waits for
that build (at most WAIT_SECONDS), never starting a second one. With no build coming (no worker, or the
day turned) the download builds the file once and stores it for the next.
"""

import time
from collections.abc import Callable
from contextlib import contextmanager

from reports.built import store
from tptto_monitor.lib.queue import jobs_cache

WAIT_SECONDS = 60  # a download waits at most this long for a build of its version under way
POLL_SECONDS = 0.2


def building_key(plan) -> str:
    return f"building:{plan.pk}:{plan.data_version}"


@contextmanager
def building(plan):
    """Mark the plan's data version as being built while the block runs."""
    key = building_key(plan)
    jobs_cache().set(key, 1, WAIT_SECONDS * 5)
    try:
        yield
    finally:
        jobs_cache().delete(key)


def read_or_build(plan, kind: str, fmt: str, language: str, build: Callable[[], bytes]) -> bytes:
    """The stored file, the one being built (waited for), or `build()` now, stored for the next download."""
    content = store.read(plan, kind, fmt, language)
    if content is not None:
        return content
    deadline = time.monotonic() + WAIT_SECONDS
    while jobs_cache().get(building_key(plan)) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if (content := store.read(plan, kind, fmt, language)) is not None:
            return content
    content = build()
    store.write(plan, kind, fmt, language, content)
    return content
