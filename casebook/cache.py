"""Cache for work repeated on every list request: facet labels and counts, result counts and
ids of lists and searches, and whole exports up to a size.

Every entry is keyed by a content version that any publish, unpublish, move, delete or taxonomy
change replaces, so no entry outlives the content it was computed from. With REDIS_URL set the
cache is shared by all workers and app servers.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

from casebook.replicas import primary_reads

VERSION_KEY = "casebook:content-version"
DEFAULT_TIMEOUT = 60 * 60


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def invalidate_content(**kwargs) -> None:
    """Signal receiver: the content changed, so every cached result is stale.

    The version changes at once and again when the surrounding transaction commits: a request
    that read the old rows between the two must not have its result kept under the version
    that follows the change.
    """
    _new_version()
    transaction.on_commit(_new_version)


def cache_key(name: str, key_parts) -> str:
    """A key for `name` and `key_parts` that the next content change makes unreachable."""
    digest = hashlib.sha256(repr(key_parts).encode()).hexdigest()[:32]
    return f"casebook:{name}:{content_version()}:{digest}"


def cached(name: str, key_parts, compute, timeout: int = DEFAULT_TIMEOUT):
    key = cache_key(name, key_parts)
    value = cache.get(key)
    if value is None:
        with primary_reads():  # never store a lagging replica's answer under the current version
            value = compute()
        cache.set(key, value, timeout)
    return value
