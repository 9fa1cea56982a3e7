"""The shared cache (CACHE_URL=redis://…) as an accelerator that may fail without taking pages down.

Everything kept in the cache can be computed again (a plan's figures, a page's content, a summary
file, a password-reset counter), so a Redis that does not answer must cost time, never a 500. Each
operation that fails with a Redis error answers as a miss would: `get` returns the default, `set`
stores nothing, `add` answers True (a caller holding a "lock" then builds by itself instead of
waiting for a builder that can never announce its result), `incr` raises ValueError as for a
missing key.

After a failure the cache is left alone for `RETRY_SECONDS`: without that, each request would wait
for every one of its cache calls to time out (socket_timeout) on a Redis that hangs. The outage is
logged once as a warning when it starts (logger tptto.cache), and at INFO when Redis answers again. Sessions do not
live in the cache (SESSION_ENGINE: the database), so nobody is signed out by an outage.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

RETRY_SECONDS = 30
logger = logging.getLogger("tptto.cache")


def _tolerant(on_failure):
    """Run the Redis operation; on a Redis error (or while resting after one) answer `on_failure(kwargs)`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._resting():
                return on_failure(args, kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                self._failed(method.__name__, error)
                return on_failure(args, kwargs)
            self._answered()
            return result

        return wrapper

    return decorate


def _miss(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


def _missing_key(args, kwargs):
    raise ValueError(f"Key '{args[0]}' not found (the cache does not answer)")


class TolerantRedisCache(RedisCache):
    """Django's Redis backend whose failures read as misses (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._retry_at = None  # monotonic time after which Redis is tried again; None: Redis answers

    def _resting(self) -> bool:
        retry_at = self._retry_at
        return retry_at is not None and time.monotonic() < retry_at

    def _failed(self, operation: str, error: RedisError) -> None:
        with self._lock:
            first = self._retry_at is None
            self._retry_at = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning(
                "cache unavailable, computing without it",
                extra={"operation": operation, "error": f"{type(error).__name__}: {error}"},
            )

    def _answered(self) -> None:
        if self._retry_at is None:
            return
        with self._lock:
            recovered, self._retry_at = self._retry_at is not None, None
        if recovered:
            logger.info("cache answers again")

    get = _tolerant(_miss)(RedisCache.get)
    get_many = _tolerant(lambda args, kwargs: {})(RedisCache.get_many)
    has_key = _tolerant(lambda args, kwargs: False)(RedisCache.has_key)
    set = _tolerant(lambda args, kwargs: None)(RedisCache.set)
    set_many = _tolerant(lambda args, kwargs: list(args[0]) if args else [])(RedisCache.set_many)
    add = _tolerant(lambda args, kwargs: True)(RedisCache.add)
    touch = _tolerant(lambda args, kwargs: False)(RedisCache.touch)
    delete = _tolerant(lambda args, kwargs: False)(RedisCache.delete)
    delete_many = _tolerant(lambda args, kwargs: None)(RedisCache.delete_many)
    incr = _tolerant(_missing_key)(RedisCache.incr)
    clear = _tolerant(lambda args, kwargs: False)(RedisCache.clear)
