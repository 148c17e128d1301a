"""The cache never decides what the public sees: the content version lives in the database, a
cache that is down or hung is a miss, sites sharing a cache keep apart, and export files stay bounded."""

import json
import logging
import socket
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from casebook.base.core import cache_backends
from casebook.base.core.cache import content_version, new_content_version, structure_version
from casebook.base.core.cache_backends import redis_cache, site_cache_prefix
from casebook.base.core.models import ContentVersion
from cases.models import CasePage

from .factories import make_case

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/cases/",
    "/cases/?measure=telework",
    "/cases/?q=ワーケーション",
    "/search/?q=ワーケーション",
    "/cases/export.json?q=ワーケーション",
]


def locmem(name: str) -> dict:
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}}


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def texts(client, urls=PUBLIC_URLS) -> dict[str, str]:
    return {url: body(client.get(url)) for url in urls}


# -- 1. a change made by another process ------------------------------------------------------


def test_a_login_only_copy_made_by_another_process_shows_on_no_url(client, catalog):
    """The server's cache knows nothing of the change: only the database tells it."""
    with override_settings(CACHES=locmem("server")):
        before = texts(client)
        assert all("ワーケーション" in text for text in before.values())
    # Another process (a shell, cron, an import) with a cache of its own.
    with override_settings(CACHES=locmem("shell")):
        original = CasePage.objects.get(pk=catalog.cases.workation.pk)
        copy = original.copy(
            update_attrs={"title": "府中市のワーケーション（職員限定）", "slug": "workation-staff-only"},
            keep_live=True,
        )
        PageViewRestriction.objects.create(page=copy, restriction_type=PageViewRestriction.LOGIN)
    with override_settings(CACHES=locmem("server")):
        after = texts(client)
    leaked = [url for url, text in after.items() if "職員限定" in text]
    assert leaked == []
    assert all("ワーケーション" in text for text in after.values())


def test_a_case_published_by_another_process_appears_on_the_next_request(client, catalog):
    with override_settings(CACHES=locmem("server")):
        assert "別のプロセスのワーケーション" not in body(client.get("/cases/?measure=telework"))
    with override_settings(CACHES=locmem("cron")):
        make_case(
            catalog.index,
            title="別のプロセスのワーケーション",
            lead=catalog.cases.workation.lead_organization,
            primary=catalog.measures["telework"],
        )
    with override_settings(CACHES=locmem("server")):
        assert "別のプロセスのワーケーション" in body(client.get("/cases/?measure=telework"))


def test_the_version_is_read_once_per_request(client, catalog):
    client.get("/cases/?measure=telework")
    with CaptureQueriesContext(connection) as captured:
        client.get("/cases/?measure=telework")
    reads = [q["sql"] for q in captured.captured_queries if "core_contentversion" in q["sql"]]
    assert len(reads) == 1


def test_saving_a_live_case_without_publishing_shows_at_once(client, catalog):
    assert "府中市のワーケーション" in body(client.get("/cases/?measure=telework"))
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    case.title = "府中市のワーケーション（改題）"
    case.save()  # a script or command, not the admin's publish
    assert "府中市のワーケーション（改題）" in body(client.get("/cases/?measure=telework"))


def test_saving_a_draft_keeps_the_cached_lists(client, catalog):
    client.get("/cases/?measure=telework")
    before = content_version()
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    case.title = "下書きの題"
    case.save_revision()
    assert content_version() == before
    assert "下書きの題" not in body(client.get("/cases/?measure=telework"))


def test_publishing_a_case_keeps_the_routing_and_a_new_section_title_shows_at_once(client, catalog):
    """The sites, the home page and its sections are read once per structure version: a case's
    publish leaves it, a section's own change replaces it."""
    client.get("/cases/")
    structure = structure_version()
    make_case(
        catalog.index,
        title="構造を変えない事例",
        lead=catalog.cases.workation.lead_organization,
        primary=catalog.measures["telework"],
    )
    assert structure_version() == structure
    assert "構造を変えない事例" in body(client.get("/cases/"))

    index = catalog.index.specific
    index.title = "自治体DXの事例集"
    index.save_revision().publish()
    assert structure_version() != structure
    assert "自治体DXの事例集" in body(client.get("/cases/"))


def test_a_section_moved_to_a_new_slug_and_a_new_site_host_route_at_once(client, catalog, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "staging.example.jp"]
    client.get("/cases/")
    index = catalog.index.specific
    index.slug = "jirei"
    index.save_revision().publish()
    assert client.get("/cases/").status_code == 404
    listing = body(client.get("/jirei/?measure=telework"))
    assert "府中市のワーケーション" in listing
    assert 'href="/jirei/' in body(client.get("/"))

    Site.objects.create(hostname="staging.example.jp", root_page=catalog.cases.workation, site_name="別サイト")
    assert "府中市のワーケーション" in body(client.get("/", HTTP_HOST="staging.example.jp"))
    assert "全" in body(client.get("/jirei/"))  # the default site is unchanged


# -- 2. Redis down or hung -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server():
    """A listener that accepts connections and never answers: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.parametrize("state", ["closed", "hung"])
def test_the_public_site_answers_without_its_cache(client, catalog, state, silent_server, caplog, monkeypatch):
    monkeypatch.setattr(cache_backends, "_last_warning", float("-inf"))
    port = free_port() if state == "closed" else silent_server
    broken = {"default": redis_cache(f"redis://127.0.0.1:{port}/0", "broken", 0.25)}
    urls = [*PUBLIC_URLS, catalog.cases.workation.url, "/cases/prefectures/", "/measures/telework/"]
    with override_settings(CACHES=broken), caplog.at_level(logging.WARNING, logger="casebook.base.core.cache"):
        for url in urls:
            started = time.monotonic()
            response = client.get(url)
            text = body(response)
            assert response.status_code == 200, url
            assert time.monotonic() - started < 1.0, url
        assert "府中市のワーケーション" in text or url == "/measures/telework/"
        # Still correct without a cache: a change shows at once.
        CasePage.objects.get(pk=catalog.cases.workation.pk).unpublish()
        assert "府中市のワーケーション" not in body(client.get("/cases/?measure=telework"))
    warnings = [r for r in caplog.records if r.name == "casebook.base.core.cache"]
    assert len(warnings) == 1  # one line a minute, not one per request
    assert "キャッシュを使えない" in warnings[0].getMessage()


def test_the_settings_give_redis_short_timeouts_and_a_fail_open_backend():
    entry = redis_cache("redis://127.0.0.1:6379/0", "site", 0.25)
    assert entry["BACKEND"].endswith("FailOpenRedisCache")
    assert entry["OPTIONS"]["socket_timeout"] < 1 and entry["OPTIONS"]["socket_connect_timeout"] < 1


# -- 3. two databases, or a restored one, behind one cache ----------------------------------------


def test_another_database_behind_the_same_cache_shows_its_own_content(client, catalog):
    shared = locmem("shared")
    with override_settings(CACHES=shared):
        first = json.loads(body(client.get("/cases/export.json?measure=telework")))
        assert first["count"] == 2
    # The other database: other rows, its own token, and no signal ever reached this cache.
    CasePage.objects.filter(pk=catalog.cases.workation.pk).update(live=False)
    ContentVersion.objects.update(token="b" * 32)
    with override_settings(CACHES=shared):
        second = json.loads(body(client.get("/cases/export.json?measure=telework")))
        listed = client.get("/cases/?measure=telework").context["heading"]
    assert second["count"] == 1
    assert listed == "テレワークの推進の事例 (1件)"


def test_every_change_gets_a_token_never_used_before():
    tokens = {content_version()}
    for _ in range(20):
        new_content_version()
        tokens.add(content_version())
    assert len(tokens) == 21


def test_sites_on_different_databases_get_different_key_prefixes(monkeypatch):
    production = {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "PORT": 5432, "NAME": "casebook"}
    staging = {**production, "NAME": "casebook_staging"}
    assert site_cache_prefix(production) != site_cache_prefix(staging)
    assert site_cache_prefix(production) == site_cache_prefix(dict(production))
    assert django_settings.CACHES["default"]["KEY_PREFIX"] == django_settings.CACHE_KEY_PREFIX
    monkeypatch.setenv("CACHE_KEY_PREFIX", "casebook-staging")
    assert site_cache_prefix(production) == "casebook-staging"


# -- 4. export files -------------------------------------------------------------------------------


def kept_files(folder) -> list:
    """Kept exports, first-request marks and partial files; not the export cache's ledger."""
    from cases.reuse.export import LEDGER_NAME

    return [f for f in folder.iterdir() if f.name != LEDGER_NAME] if folder.exists() else []


def test_junk_parameters_and_ports_write_no_new_export_files(client, catalog, export_files):
    for n in range(20):
        body(client.get("/cases/export.json?measure=telework", HTTP_HOST=f"testserver:{1000 + n}"))
        body(client.get(f"/cases/export.json?measure=telework&measure=nothing{n}"))
    assert kept_files(export_files) == []
    for n in range(20):
        body(client.get(f"/cases/export.json?measure=telework&junk{n}=x{n}"))
    assert len(kept_files(export_files)) == 1  # the one honoured filter, asked for on the server's own host


def test_a_partly_ignored_filter_is_exported_but_never_kept(client, catalog, export_files):
    data = json.loads(body(client.get("/cases/export.json?measure=telework&prefecture=99")))
    assert data["count"] == 2 and data["ignored"]
    assert kept_files(export_files) == []


def test_the_export_folder_stays_within_its_limit(client, catalog, export_files, settings):
    from cases.reuse.export import disk_bytes, tidy_export_cache

    sizes = []
    for url in ("?measure=telework", "?measure=security", "?prefecture=34", "?prefecture=13"):
        body(client.get(f"/cases/export.json{url}"))
        body(client.get(f"/cases/export.json{url}"))  # kept on its second request
        sizes.append(sum(disk_bytes(f.stat()) for f in kept_files(export_files)))
        time.sleep(0.01)  # distinct modification times
    settings.EXPORT_CACHE_MAX_BYTES = sizes[1] + 1  # room for about two
    body(client.get("/cases/export.json?tag=vdi"))
    body(client.get("/cases/export.json?tag=vdi"))
    tidy_export_cache()  # the scheduled tidy (manage.py scheduled tidy-exports)
    kept = sum(disk_bytes(f.stat()) for f in kept_files(export_files))
    assert kept <= settings.EXPORT_CACHE_MAX_BYTES
    assert len(kept_files(export_files)) < 5


def test_the_cache_is_only_an_accelerator_after_it_is_emptied(client, catalog):
    first = client.get("/cases/?measure=telework").context["heading"]
    cache.clear()
    assert client.get("/cases/?measure=telework").context["heading"] == first


def test_the_app_reads_the_version_rows_and_never_makes_them(client, catalog, caplog):
    """A raw pg_restore under a running server: the app's insert into the freshly made table, before COPY
    filled it, left the table without its primary key. The rows are made by `migrate` alone."""
    from casebook.base.core.cache import ensure_version_rows

    ContentVersion.objects.all().delete()
    with caplog.at_level(logging.WARNING, logger="casebook.base.core.cache"):
        assert client.get("/cases/").status_code == 200
        new_content_version()
        first, second = content_version(), content_version()
    assert ContentVersion.objects.count() == 0
    assert first != second  # a token of one read: nothing cached under it is served again
    assert "manage.py migrate" in caplog.text
    ensure_version_rows()  # what `migrate` does (post_migrate), and the migration core.0002
    assert sorted(ContentVersion.objects.values_list("pk", flat=True)) == [1, 2]
    assert content_version() == content_version()
