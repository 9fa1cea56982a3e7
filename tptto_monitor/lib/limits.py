"""Per-user limits on requests that cost the server much: writes that make every figure and summary be
computed again, and downloads built in the request.

Two kinds, both counted in Django's cache (with Redis, CACHE_URL, once for all app servers; with the per-process
memory cache, per process), and both letting requests through when the cache does not answer (as the
password-reset limit does):
- a rate: at most `per_minute` in each minute of the clock (a fixed window: simple, and at worst twice the
  rate across a minute's edge); beyond it `TooMany` says how many seconds are left of the minute;
- at once: at most `most` running together for a user; the count ends with the request (and expires after
  RUNNING_SECONDS, should a process die in between).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from django.core.cache import cache
from django.utils.translation import ngettext

WINDOW_SECONDS = 60
RUNNING_SECONDS = 300
AT_ONCE_RETRY_SECONDS = 5


class TooMany(Exception):
    """A limit was reached: try again after `retry_after` seconds. `per_minute` is None for the at-once limit."""

    def __init__(self, retry_after: int, per_minute: int | None = None):
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.per_minute = per_minute


def too_many_changes(limit: TooMany) -> str:
    """What a person is told when her writes went past their rate (the API's and the entry form's)."""
    return ngettext(
        "Too many changes in a short time: at most %(count)s a minute. Try again in %(seconds)s second.",
        "Too many changes in a short time: at most %(count)s a minute. Try again in %(seconds)s seconds.",
        limit.retry_after,
    ) % {"count": limit.per_minute, "seconds": limit.retry_after}


def count(name: str, user_id: int, per_minute: int) -> None:
    """Count one request of the user against the rate `name`; raise TooMany beyond `per_minute`."""
    now = time.time()
    key = f"limit:{name}:{user_id}:{int(now // WINDOW_SECONDS)}"
    cache.add(key, 0, WINDOW_SECONDS + 1)
    try:
        number = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache does not answer
        return
    if number > per_minute:
        raise TooMany(max(1, int(WINDOW_SECONDS - now % WINDOW_SECONDS)), per_minute)


@contextlib.contextmanager
def at_once(name: str, user_id: int, most: int) -> Iterator[None]:
    """The block runs as one of at most `most` of the user's at once; else TooMany (try again in a few seconds)."""
    key = f"limit:{name}:running:{user_id}"
    cache.add(key, 0, RUNNING_SECONDS)
    try:
        running = cache.incr(key)
    except ValueError:
        yield
        return
    try:
        if running > most:
            raise TooMany(AT_ONCE_RETRY_SECONDS)
        yield
    finally:
        with contextlib.suppress(ValueError):
            cache.decr(key)
