"""Cache backends that fail open: a cache that is down, full or hung is a cache miss, never an error.

Wagtail reads the default cache on every routed request and `{% cache %}` calls it directly, so
the backend itself has to fail open; wrapping our own calls would not be enough. Short timeouts
(set in settings) bound a hung server, and after a failure the backend stays out of the way for
a few seconds, so a dead Redis costs one timeout per process every few seconds, not one per call.

In front of the shared cache stands a tier in each process's memory (`LocalTier`): bounded in bytes,
least recently used out first, and short-lived. It holds only entries whose keys name the content
version (casebook.base.core.cache's `cached`, and `{% cache %}`'s fragments, whose every use names
`cache_version`), so it is never stale; with the shared cache down, the work a process did in the last
minute still serves it.
"""

import functools
import hashlib
import logging
import os
import pickle
import sys
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
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


# Until when each cache server (by backend class and location) is skipped. Per process, not per backend
# instance (Django keeps one per thread and per override_settings): one thread's failure spares the others.
_down_until: dict[str, float] = {}


class FailOpenMixin:
    def __init__(self, server, params):
        super().__init__(server, params)
        self._server_key = f"{type(self).__name__}:{server}"

    def _is_down(self) -> bool:
        return time.monotonic() < _down_until.get(self._server_key, 0.0)

    def _failed(self, operation: str, error: Exception) -> None:
        global _last_warning
        now = time.monotonic()
        _down_until[self._server_key] = now + RETRY_AFTER_SECONDS
        if now - _last_warning >= WARN_EVERY_SECONDS:
            _last_warning = now
            logger.warning("キャッシュを使えないため、キャッシュなしで表示します (%s: %r)", operation, error)


def _fail_open(operation: str):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if self._is_down():
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


# -- the tier in each process's memory ----------------------------------------------------------


class _Entry(NamedTuple):
    expires_at: float
    size: int
    live: bool  # the value itself (never changed by its readers), else its pickle
    value: object


class LocalTier:
    """An LRU cache in this process's memory, bounded in bytes, whose entries live `seconds` at most.

    A value is kept pickled and each `get` returns a fresh copy, as a shared cache would, unless it is
    stored `live` (strings, and the small entries every request reads, which nobody changes). Its size
    is that of its pickle (of the string itself for a live string), plus ENTRY_OVERHEAD. An entry larger
    than a tenth of the bound is not kept, so that one export or sitemap never empties the tier.
    Thread-safe: gunicorn's threaded workers share one per process.
    """

    ENTRY_OVERHEAD = 200  # the key, the tuple and the dict's slot, roughly

    def __init__(self, max_bytes: int, seconds: float):
        self.max_bytes = max_bytes
        self.seconds = seconds
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT

    def get(self, key: str, default=None):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return default
            if entry.expires_at <= time.monotonic():
                self._drop(key)
                return default
            self._entries.move_to_end(key)
        return entry.value if entry.live else pickle.loads(entry.value)

    def set(self, key: str, value, timeout: float | None = None, live: bool = False) -> bool:
        """Keep `value` for `timeout` seconds, at most the tier's own; False if it is not kept."""
        seconds = self.seconds if timeout is None else min(timeout, self.seconds)
        if self.max_bytes <= 0 or seconds <= 0:
            self.delete(key)
            return False
        if live and isinstance(value, str):
            stored, size = value, sys.getsizeof(value)
        else:
            payload = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            stored, size = (value if live else payload), len(payload)
        size += len(key) + self.ENTRY_OVERHEAD
        if size > self.max_bytes // 10:
            self.delete(key)
            return False
        now = time.monotonic()
        with self._lock:
            self._drop(key)
            self._entries[key] = _Entry(now + seconds, size, live, stored)
            self._bytes += size
            if now >= self._next_sweep:
                self._sweep(now)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))
        return True

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: str) -> bool:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size
        return entry is not None

    def _sweep(self, now: float) -> None:
        """Entries of an old content version are never read again: drop the expired ones now and then."""
        for key in [key for key, entry in self._entries.items() if entry.expires_at <= now]:
            self._drop(key)
        self._next_sweep = now + self.seconds


_ABSENT = object()
DEFAULT_LOCAL_BYTES = 32 * 1024 * 1024
DEFAULT_LOCAL_SECONDS = 60
_tier: LocalTier | None = None
_tier_lock = threading.Lock()


def local_tier() -> LocalTier:
    """This process's tier, sized by CASEBOOK_LOCAL_CACHE_BYTES and CASEBOOK_LOCAL_CACHE_SECONDS
    (made again, empty, when a test overrides them)."""
    global _tier
    max_bytes = getattr(settings, "CASEBOOK_LOCAL_CACHE_BYTES", DEFAULT_LOCAL_BYTES)
    seconds = getattr(settings, "CASEBOOK_LOCAL_CACHE_SECONDS", DEFAULT_LOCAL_SECONDS)
    tier = _tier
    if tier is None or (tier.max_bytes, tier.seconds) != (max_bytes, seconds):
        with _tier_lock:
            if _tier is None or (_tier.max_bytes, _tier.seconds) != (max_bytes, seconds):
                _tier = LocalTier(max_bytes, seconds)
            tier = _tier
    return tier


class LocalFirstCache(BaseCache):
    """`{% cache %}`'s fragments (CACHES["template_fragments"]): this process's tier first, then the
    cache whose alias is LOCATION (the shared one, which fails open). What the shared cache answers is
    kept in the tier too, so a fragment any process rendered is read from memory here until it expires."""

    def __init__(self, server, params):
        super().__init__(params)
        self._shared_alias = server or "default"

    @property
    def _shared(self) -> BaseCache:
        return caches[self._shared_alias]

    def _local_seconds(self, timeout) -> float | None:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else float(timeout)

    def get(self, key, default=None, version=None):
        local_key = self.make_and_validate_key(key, version)
        value = local_tier().get(local_key, _ABSENT)
        if value is not _ABSENT:
            return value
        value = self._shared.get(key, _ABSENT, version=version)
        if value is _ABSENT:
            return default
        local_tier().set(local_key, value, live=isinstance(value, str))
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        local_tier().set(
            self.make_and_validate_key(key, version), value, self._local_seconds(timeout), live=isinstance(value, str)
        )
        self._shared.set(key, value, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version):
            return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._shared.touch(key, timeout, version=version)

    def delete(self, key, version=None):
        local = local_tier().delete(self.make_and_validate_key(key, version))
        return self._shared.delete(key, version=version) or local

    def has_key(self, key, version=None):
        return self.get(key, _ABSENT, version) is not _ABSENT

    def clear(self):
        local_tier().clear()
        self._shared.clear()


def with_local_tier(default: dict) -> dict:
    """CACHES: `default` (the shared cache), and `{% cache %}`'s fragments through this process's tier."""
    return {
        "default": default,
        "template_fragments": {"BACKEND": "casebook.base.core.cache_backends.LocalFirstCache", "LOCATION": "default"},
    }
