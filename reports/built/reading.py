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
MARK_SECONDS = WAIT_SECONDS * 5  # a build that died leaves its mark this long at most
# The builds' tasks come after the jobs a person waits for (an import, a batch of entries: priority 0), which the
# worker takes first; one build task is short enough (the dataset, or one year's summaries) to wait for.
PRIORITY = -10


def building_key(plan, part: str = "") -> str:
    return f"building:{plan.pk}:{plan.data_version}" + (f":{part}" if part else "")


@contextmanager
def building(plan, part: str = ""):
    """Mark the plan's data version (or one part of its files: a year's summaries) as being built while the
    block runs. Only while it runs: a download of a file whose task is still queued builds it at once (the task
    then finds it stored and leaves it)."""
    key = building_key(plan, part)
    jobs_cache().set(key, 1, MARK_SECONDS)
    try:
        yield
    finally:
        jobs_cache().delete(key)


def read_or_build(plan, kind: str, fmt: str, language: str, build: Callable[[], bytes], part: str = "") -> bytes:
    """The stored file, the one being built (waited for), or `build()` now, stored for the next download.

    `part`: the mark of the task that builds this file, when it is not the plan's own build (a year's
    summaries)."""
    content = store.read(plan, kind, fmt, language)
    if content is not None:
        return content
    deadline = time.monotonic() + WAIT_SECONDS
    while jobs_cache().get(building_key(plan, part)) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if (content := store.read(plan, kind, fmt, language)) is not None:
            return content
    content = build()
    store.write(plan, kind, fmt, language, content)
    return content
