"""Lists, searches and exports are cached per content version: a repeat is fast, a change shows at once."""

import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.http import FileResponse
from django.test import override_settings
from wagtail.models import PageViewRestriction

from casebook.base.core.cache import content_version, invalidate_content
from cases.models import CasePage
from cases.reuse import export

from .factories import make_case
from .test_scale import REDIS_CACHE, redis_reachable

pytestmark = pytest.mark.django_db

LIST = "/cases/?measure=telework"
SEARCH = "/search/?q=ワーケーション"
EXPORT = "/cases/export.json?measure=telework"


def list_titles(client, url=LIST):
    response = client.get(url)
    return [case.title for case in response.context["page_obj"].object_list], response.context["heading"]


def search_titles(client):
    return [hit["page"].title for hit in client.get(SEARCH).context["hits"]]


def export_titles(client, url=EXPORT):
    body = b"".join(client.get(url).streaming_content)
    return [record["title"] for record in json.loads(body)["results"]]


def kept_exports(folder) -> list:
    """Exports and partial files in the export cache (not first-request marks or the ledger)."""
    return [f for f in folder.iterdir() if not f.name.endswith(export.SEEN_SUFFIX) and f.name != export.LEDGER_NAME]


def everything(client):
    return list_titles(client)[0], search_titles(client), export_titles(client)


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request):
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("Redis is not running at 127.0.0.1:6379")
        with override_settings(CACHES=REDIS_CACHE):
            cache.clear()
            yield
            cache.clear()
    else:
        yield


def test_a_repeated_list_is_answered_from_the_cache(client, catalog, django_assert_max_num_queries):
    first = list_titles(client)
    # Routing, the content version and the 20 cards; no count, no facet query.
    with django_assert_max_num_queries(9):
        assert list_titles(client) == first
    assert first[1] == "テレワークの推進の事例 (2件)"


def test_a_published_case_appears_at_once_in_cached_lists_search_and_export(client, catalog, shared_cache):
    before = everything(client)
    assert "新しいワーケーション" not in before[0]
    make_case(
        catalog.index,
        title="新しいワーケーション",
        lead=catalog.cases.workation.lead_organization,
        primary=catalog.measures["telework"],
    )
    titles, searched, exported = everything(client)
    assert "新しいワーケーション" in titles and "新しいワーケーション" in exported
    assert "新しいワーケーション" in searched
    assert list_titles(client)[1] == "テレワークの推進の事例 (3件)"


def test_an_unpublished_case_leaves_cached_lists_search_and_export(client, catalog, shared_cache):
    title = catalog.cases.workation.title
    assert all(title in titles for titles in everything(client))
    CasePage.objects.get(pk=catalog.cases.workation.pk).unpublish()
    assert not any(title in titles for titles in everything(client))
    assert list_titles(client)[1] == "テレワークの推進の事例 (1件)"


def test_a_new_view_restriction_hides_the_case_from_cached_lists_at_once(client, catalog, shared_cache):
    title = catalog.cases.workation.title
    assert all(title in titles for titles in everything(client))
    PageViewRestriction.objects.create(page=catalog.cases.workation, restriction_type=PageViewRestriction.LOGIN)
    assert not any(title in titles for titles in everything(client))
    PageViewRestriction.objects.all().delete()
    assert all(title in titles for titles in everything(client))


def test_a_repeated_small_export_is_sent_from_a_file_unchanged(client, catalog, django_assert_max_num_queries):
    first = client.get(EXPORT)
    assert not isinstance(first, FileResponse)  # built from the database, streamed
    first_body = b"".join(first.streaming_content)
    second = client.get(EXPORT)  # asked for again: built once more, and kept while it is sent
    assert not isinstance(second, FileResponse) and b"".join(second.streaming_content) == first_body
    # Wagtail's routing to the case index, which owns the export (site, home, index, its view
    # restrictions: 6), and the content version; nothing about the cases.
    with django_assert_max_num_queries(7) as queries:
        again = client.get(EXPORT)
        again_body = b"".join(again.streaming_content)
    assert not [
        q["sql"] for q in queries.captured_queries if "cases_casepage" in q["sql"] or "casebook_search" in q["sql"]
    ]
    assert isinstance(again, FileResponse) and again_body == first_body
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == "application/json; charset=utf-8"
    assert int(again["Content-Length"]) == len(first_body)
    csv_first = b"".join(client.get("/cases/export.csv?measure=telework").streaming_content)
    assert csv_first != first_body and csv_first.decode("utf-8-sig").startswith("スラッグ")


def test_an_export_larger_than_the_limit_is_streamed_whole_every_time(client, catalog, monkeypatch, export_files):
    monkeypatch.setattr(export, "EXPORT_CACHE_MAX_BYTES", 100)
    first = export_titles(client)
    assert sorted(first) == ["府中市のワーケーション", "東京の府中市のセキュリティ"]
    assert export_titles(client) == first
    assert export_titles(client) == first
    assert kept_exports(export_files) == []  # nothing kept, no partial file left


def test_a_change_retires_the_export_files_of_the_old_version(client, catalog, export_files):
    export_titles(client)
    export_titles(client)
    old_files = kept_exports(export_files)
    assert len(old_files) == 1
    CasePage.objects.get(pk=catalog.cases.workation.pk).unpublish()
    assert export_titles(client) == ["東京の府中市のセキュリティ"]
    assert export_titles(client) == ["東京の府中市のセキュリティ"]
    export.tidy_export_cache()  # the scheduled tidy (manage.py scheduled tidy-exports)
    assert old_files[0] not in kept_exports(export_files) and len(kept_exports(export_files)) == 1


def test_an_export_is_sent_whole_when_keeping_its_file_fails(client, catalog, monkeypatch, export_files):
    def full_disk(*args):
        raise OSError(28, "No space left on device")

    export_titles(client)  # the first request only marks the export; the second tries to keep it
    monkeypatch.setattr(export.os, "replace", full_disk)
    assert sorted(export_titles(client)) == ["府中市のワーケーション", "東京の府中市のセキュリティ"]
    assert kept_exports(export_files) == []  # no partial file left behind


def test_exports_still_work_when_the_cache_folder_cannot_be_written(client, catalog, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.EXPORT_CACHE_DIR = str(blocker / "exports")
    assert len(export_titles(client)) == 2
    assert len(export_titles(client)) == 2


def test_export_cache_tells_query_strings_apart(client, catalog):
    assert len(export_titles(client)) == 2
    assert len(export_titles(client, "/cases/export.json?measure=security")) == 1
    assert len(export_titles(client, "/cases/export.json?measure=telework&prefecture=34")) == 1


def test_a_chosen_order_with_a_search_term_is_kept_in_links_and_cached_apart(client, catalog):
    relevance = client.get("/cases/?q=府中市")
    newest = client.get("/cases/?q=府中市&sort=title")
    assert relevance.context["export_query"] == "?q=%E5%BA%9C%E4%B8%AD%E5%B8%82"
    assert newest.context["export_query"].endswith("&sort=title")
    assert 'value="title" selected' in newest.content.decode()
    assert 'value="relevance" selected' in relevance.content.decode()
    by_newest = client.get("/cases/?q=府中市&sort=newest")
    assert by_newest.context["export_query"].endswith("&sort=newest")
    assert 'value="newest" selected' in by_newest.content.decode()


def test_rendered_cards_and_filter_counts_follow_a_publish(client, catalog):
    telework_option = "テレワークの推進 <small>({}件)</small>"
    before = client.get(LIST).content.decode()
    assert "新しいテレワーク" not in before and telework_option.format(2) in before
    make_case(
        catalog.index,
        title="新しいテレワーク",
        lead=catalog.cases.workation.lead_organization,
        primary=catalog.measures["telework"],
    )
    after = client.get(LIST).content.decode()
    assert "新しいテレワーク" in after and telework_option.format(3) in after


def test_a_deploy_migration_retires_every_cached_list(client, catalog):
    list_titles(client)
    version = content_version()
    call_command("migrate", verbosity=0)
    assert content_version() != version


def test_the_version_changes_when_the_change_commits_not_before(django_capture_on_commit_callbacks, monkeypatch):
    # Before the commit other requests still read the old rows, so they must still see the old
    # version; and a long transaction holds no lock on the version's row.
    monkeypatch.setattr("casebook.base.core.cache.on_commit", transaction.on_commit)
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_content()
        assert content_version() == before
    assert content_version() != before
