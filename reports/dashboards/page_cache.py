"""What the dashboards and the summaries keep in the cache between two writes.

A dashboard page's content (the figures, the chart specifications and the tables beside them) and a
summary file change only when the plan's data change. Both are kept in Django's cache under a key
made of the plan's *data version* (a token that every write to its entries, targets or indicators
replaces, see `Plan.bump_data_version`), the day (statuses move with the calendar), the language and
what was asked for (the page and its query string, or the year and format). A write therefore makes
the next request rebuild, on every app server; nothing is ever deleted by hand.

`get_or_build` builds a missing value once: the first request takes a short lock in the cache
(`cache.add`, atomic in the memory and Redis backends) and the others wait for its result instead
of building the same file again.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

CACHE_SECONDS = 24 * 3600
LOCK_SECONDS = 120  # longer than any build; a crashed builder's lock expires by itself
WAIT_SECONDS = 90  # a waiting request then builds by itself rather than fail
POLL_SECONDS = 0.05


@functools.cache
def release() -> str:
    """A digest of the code, templates and catalogs that shape the cached content: a deployment that
    changes them starts afresh, even on a cache shared with the servers of the previous one (Redis)."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    # the code in every room (reports/files/, indicators/figures/ …), not the top of each app only
    patterns = ("templates/**/*.html", "reports/**/*.py", "indicators/**/*.py", "tptto_monitor/lib/*.py")
    for pattern in (*patterns, "locale/*/LC_MESSAGES/django.mo"):
        for path in sorted(root.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key(kind: str, plan, *parts) -> str:
    """A cache key for `kind` that changes with the plan's data, the day, the language and the release."""
    day = timezone.localdate().isoformat()
    raw = ":".join(str(p) for p in (release(), plan.pk, plan.data_version, day, get_language(), *parts))
    return f"{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def key_over_plans(kind: str, plans, *parts) -> str:
    """A cache key for a view over many plans (province, national): it changes with each plan's data version (its
    reporting deadlines included: indicators.signals), what the view shows of the plan (its code, names, years,
    status, regency and province), the day (with the deadlines, the calendar point), the language and the release."""
    day = timezone.localdate().isoformat()
    shown = [
        (p.pk, p.data_version, p.code, p.name_id, p.name_en, p.start_year, p.end_year, p.status, p.region.code)
        + (p.region.name, p.region.parent.code, p.region.parent.name)
        for p in plans
    ]
    raw = ":".join(str(p) for p in (release(), day, get_language(), *parts, shown))
    return f"{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


@dataclass(frozen=True)
class Passing:
    """What a build returns to be served this once and not kept (figures shown while they are brought up to date)."""

    value: object


def get_or_build(cache_key: str, build: Callable[[], object]):
    """The cached value of `cache_key`, built by `build()` once when it is missing (and kept, unless `Passing`)."""
    value = cache.get(cache_key)
    if value is not None:
        return value
    lock = cache_key + ":building"
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache.add(lock, 1, LOCK_SECONDS):
        time.sleep(POLL_SECONDS)
        value = cache.get(cache_key)
        if value is not None:
            return value
        if time.monotonic() > deadline:
            value = build()  # the builder is stuck or gone: serve this request anyway
            return value.value if isinstance(value, Passing) else value
    try:
        value = cache.get(cache_key)  # built by another request between our miss and the lock
        if value is None:
            value = build()
            if isinstance(value, Passing):
                return value.value
            cache.set(cache_key, value, CACHE_SECONDS)
        return value
    finally:
        cache.delete(lock)
