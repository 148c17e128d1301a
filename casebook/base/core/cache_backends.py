"""Cache backends that fail open: a cache that is down, full or hung is a cache miss, never an error.

Wagtail reads the default cache on every routed request and `{% cache %}` calls it directly, so
the backend itself has to fail open; wrapping our own calls would not be enough. Short timeouts
(set in settings) bound a hung server, and after a failure the backend stays out of the way for
a few seconds, so a dead Redis costs one timeout per process every few seconds, not one per call.
"""

import functools
import hashlib
import logging
import os
import time

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("casebook.base.core.cache")

# After a failure the cache is skipped for this long, then tried again.
RETRY_AFTER_SECONDS = 5.0
# At most one warning per this interval and process.
WARN_EVERY_SECONDS = 60.0

# What each operation answers when the cache cannot be reached.
_MISSES = {
    "get": lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None),
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "add": lambda args, kwargs: False,
    "set": lambda args, kwargs: None,
    "set_many": lambda args, kwargs: [],
    "touch": lambda args, kwargs: False,
    "delete": lambda args, kwargs: False,
    "delete_many": lambda args, kwargs: None,
    "clear": lambda args, kwargs: None,
}


_last_warning = float("-inf")


class FailOpenMixin:
    # Per backend instance, which Django keeps per thread for the life of the process.
    _down_until = 0.0

    def _failed(self, operation: str, error: Exception) -> None:
        global _last_warning
        now = time.monotonic()
        self._down_until = now + RETRY_AFTER_SECONDS
        if now - _last_warning >= WARN_EVERY_SECONDS:
            _last_warning = now
            logger.warning("キャッシュを使えないため、キャッシュなしで表示します (%s: %r)", operation, error)


def _fail_open(operation: str):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return _MISSES[operation](args, kwargs)
            try:
                return method(self, *args, **kwargs)
            except Exception as error:  # any failure of the cache server or its disk is a miss
                self._failed(operation, error)
                return _MISSES[operation](args, kwargs)

        return call

    return wrap


def fail_open(backend):
    """A subclass of `backend` whose every operation fails open. incr/decr keep raising
    ValueError for a missing key, as callers expect; a failure to reach the cache is a miss."""
    namespace = {name: _fail_open(name)(getattr(backend, name)) for name in _MISSES}
    return type(f"FailOpen{backend.__name__}", (FailOpenMixin, backend), namespace)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis (copying ~100 response callbacks, 0.2 ms) for every cache
    operation; a client only hands commands to its connection pool, so one per pool serves them all."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


FailOpenRedisCache = fail_open(ReusedClientRedisCache)
FailOpenFileBasedCache = fail_open(FileBasedCache)


def redis_cache(url: str, key_prefix: str, timeout_seconds: float) -> dict:
    """The CACHES entry for a shared Redis: fails open, and gives up on a hung server after `timeout_seconds`."""
    return {
        "BACKEND": "casebook.base.core.cache_backends.FailOpenRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"socket_connect_timeout": timeout_seconds, "socket_timeout": timeout_seconds},
    }


def site_cache_prefix(database: dict) -> str:
    """CACHE_KEY_PREFIX, or one derived from the database's identity: two sites sharing one Redis
    or one cache folder (staging and production, two databases) never read each other's entries."""
    identity = "|".join(str(database.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME"))
    return os.environ.get("CACHE_KEY_PREFIX") or f"casebook-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"
