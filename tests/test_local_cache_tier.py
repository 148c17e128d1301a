"""The tier in each process's memory (casebook.base.core.cache_backends.LocalTier): bounded in bytes,
least recently used out first, short-lived, keyed by the content version, and what serves a repeated
list when the shared cache is unreachable."""

import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import engines
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from casebook.base.core import cache_backends
from casebook.base.core.cache import cached, content_version, new_content_version
from casebook.base.core.cache_backends import LocalTier, local_tier, redis_cache, with_local_tier
from cases.models import CasePage

LIST = "/cases/?measure=telework"


class Clock:
    """time.monotonic as cache_backends sees it, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = 1000.0
        monkeypatch.setattr(cache_backends.time, "monotonic", lambda: self.now)


def closed_port() -> int:
    """A port nothing listens on: a Redis that is stopped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_redis() -> dict:
    return with_local_tier(redis_cache(f"redis://127.0.0.1:{closed_port()}/0", "redis-down", 0.25))


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


# -- the tier itself ----------------------------------------------------------------------------


def test_the_tier_stays_within_its_bytes_and_the_least_recently_used_go_first():
    tier = LocalTier(max_bytes=20_000, seconds=60)
    tier.set("key-0", "x" * 1000)
    tier.set("key-1", "x" * 1000)
    for n in range(2, 60):
        assert tier.get("key-0") is not None  # read on every round: always the most recently used
        tier.set(f"key-{n}", "x" * 1000)
        assert tier.total_bytes <= 20_000
    assert "key-0" in tier  # read all along, kept
    assert "key-1" not in tier  # never read again: among the first out
    assert "key-59" in tier and "key-58" in tier
    kept = [n for n in range(60) if f"key-{n}" in tier]
    # ~1,300 bytes each: the newest that fit, and the one that was read.
    assert 10 <= len(kept) <= 16
    assert kept[0] == 0 and kept[1:] == list(range(60 - len(kept) + 1, 60))
    assert tier.total_bytes == sum(entry.size for entry in tier._entries.values())


def test_an_entry_larger_than_a_tenth_of_the_bound_is_not_kept():
    tier = LocalTier(max_bytes=20_000, seconds=60)
    tier.set("small", "x" * 100)
    assert tier.set("big", "x" * 5000) is False
    assert "big" not in tier and "small" in tier


def test_a_replaced_entry_is_counted_once():
    tier = LocalTier(max_bytes=100_000, seconds=60)
    for _ in range(10):
        tier.set("same", "x" * 1000)
    assert len(tier) == 1
    assert tier.total_bytes == tier._entries["same"].size
    tier.delete("same")
    assert tier.total_bytes == 0


def test_entries_expire(monkeypatch):
    clock = Clock(monkeypatch)
    tier = LocalTier(max_bytes=100_000, seconds=60)
    tier.set("tier's own", [1, 2, 3])
    tier.set("shorter", [4], timeout=5)
    tier.set("longer than the tier", [5], timeout=3600)
    clock.now += 6
    assert tier.get("shorter") is None
    assert tier.get("tier's own") == [1, 2, 3]
    clock.now += 55
    assert tier.get("tier's own") is None
    assert tier.get("longer than the tier") is None  # never longer than the tier's seconds
    assert tier.total_bytes == 0


def test_expired_entries_are_swept_without_being_read(monkeypatch):
    clock = Clock(monkeypatch)
    tier = LocalTier(max_bytes=1_000_000, seconds=60)
    for n in range(100):
        tier.set(f"casebook:facet-counts:old-version:{n}", {"n": n})
    clock.now += 61
    tier.set("casebook:facet-counts:new-version:0", {"n": 0})
    assert len(tier) == 1


def test_a_reader_gets_a_copy_unless_the_entry_is_live():
    tier = LocalTier(max_bytes=100_000, seconds=60)
    tier.set("ids", [1, 2, 3])
    tier.get("ids").append(4)
    assert tier.get("ids") == [1, 2, 3]
    labels = {"prefecture": {"34": "広島県"}}
    tier.set("labels", labels, live=True)
    assert tier.get("labels") is labels


def test_a_bound_of_zero_keeps_nothing():
    tier = LocalTier(max_bytes=0, seconds=60)
    assert tier.set("key", "value") is False
    assert tier.get("key") is None


def test_threads_writing_at_once_keep_the_bound_and_the_count():
    tier = LocalTier(max_bytes=50_000, seconds=60)

    def write(thread: int):
        for n in range(500):
            tier.set(f"{thread}-{n % 80}", "x" * (100 + n % 700))
            tier.get(f"{thread}-{(n * 7) % 80}")

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tier.total_bytes <= 50_000
    assert tier.total_bytes == sum(entry.size for entry in tier._entries.values())


def test_the_process_tier_follows_the_settings(settings):
    settings.CASEBOOK_LOCAL_CACHE_BYTES = 12_345
    settings.CASEBOOK_LOCAL_CACHE_SECONDS = 7
    assert (local_tier().max_bytes, local_tier().seconds) == (12_345, 7)
    assert local_tier() is local_tier()


# -- keyed by the content version -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_content_version_does_not_serve_old_entries(settings):
    settings.CACHES = with_local_tier({"BACKEND": "django.core.cache.backends.dummy.DummyCache"})
    computed = []

    def compute():
        computed.append(content_version())
        return f"computed under {computed[-1]}"

    first = cached("counts", ("all",), compute)
    assert cached("counts", ("all",), compute) == first  # from memory: the shared cache keeps nothing
    assert len(computed) == 1
    new_content_version()
    second = cached("counts", ("all",), compute)
    assert second != first and len(computed) == 2


@pytest.mark.django_db
def test_fragments_come_from_memory_and_stop_with_a_new_version(settings):
    settings.CACHES = with_local_tier({"BACKEND": "django.core.cache.backends.dummy.DummyCache"})
    template = engines["django"].from_string("{% load cache %}{% cache 3600 demo version %}{{ value }}{% endcache %}")
    assert template.render({"version": "v1", "value": "first"}) == "first"
    assert template.render({"version": "v1", "value": "second"}) == "first"
    assert template.render({"version": "v2", "value": "second"}) == "second"
    caches["template_fragments"].clear()
    assert template.render({"version": "v1", "value": "third"}) == "third"


# -- the shared cache unreachable ----------------------------------------------------------------


def test_a_repeated_list_is_served_from_memory_while_redis_is_unreachable(
    client, catalog, django_assert_max_num_queries
):
    with override_settings(CACHES=unreachable_redis()):
        first = body(client.get(LIST))
        assert "府中市のワーケーション" in first
        # Routing, the content version and the page's own queries; no facet count, no result count or
        # ids, no cards: the same as with Redis up (tests/test_result_cache.py).
        with django_assert_max_num_queries(9) as queries:
            again = client.get(LIST)
        assert body(again) == first
        assert not [q["sql"] for q in queries.captured_queries if "cases_casepage" in q["sql"]]


def test_without_the_tier_the_same_repeat_recomputes_everything(client, catalog, settings):
    """What the test above guards against: with Redis unreachable and no memory tier, every request
    counts the facets and loads the cards again."""
    settings.CASEBOOK_LOCAL_CACHE_BYTES = 0
    with override_settings(CACHES=unreachable_redis()):
        body(client.get(LIST))
        with CaptureQueriesContext(connection) as queries:
            body(client.get(LIST))
        assert [q["sql"] for q in queries.captured_queries if "cases_casepage" in q["sql"]]


def test_a_change_shows_at_once_while_redis_is_unreachable(client, catalog):
    with override_settings(CACHES=unreachable_redis()):
        assert "府中市のワーケーション" in body(client.get(LIST))
        assert "府中市のワーケーション" in body(client.get(LIST))
        CasePage.objects.get(pk=catalog.cases.workation.pk).unpublish()
        text = body(client.get(LIST))
        assert "府中市のワーケーション" not in text
        assert "東京の府中市のセキュリティ" in text


def test_after_one_failure_no_thread_waits_for_the_shared_cache(monkeypatch):
    """A hung Redis costs one timeout per process every few seconds, not one per thread or per call."""
    monkeypatch.setattr(cache_backends, "_last_warning", time.monotonic())  # no warning in the log
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)  # accepts, never answers
    try:
        settings_entry = redis_cache(f"redis://127.0.0.1:{server.getsockname()[1]}/0", "hung", 0.25)
        with override_settings(CACHES={"default": settings_entry}):
            started = time.monotonic()
            assert caches["default"].get("a") is None
            assert time.monotonic() - started >= 0.2  # the first call waits for the timeout

            took = []

            def other_thread():  # Django gives each thread its own backend instance
                started = time.monotonic()
                for n in range(20):
                    caches["default"].get(f"b{n}")
                took.append(time.monotonic() - started)

            thread = threading.Thread(target=other_thread)
            thread.start()
            thread.join()
            assert took[0] < 0.1
    finally:
        server.close()
