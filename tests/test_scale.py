"""What keeps the library fast at national scale: index use, shared cache invalidation, bulk build."""

import os
import socket

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from wagtail.models import Page

from casebook.base.core.cache import content_version
from cases.models import CasePage

from .factories import make_case


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


# A Redis database of its own for each xdist process (gw0 → 2, gw1 → 3, …): the tests clear it.
REDIS_DATABASE = 2 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:6379/{REDIS_DATABASE}",
    }
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_search_can_use_the_gin_index(seeded):
    from casebook.base.search.backend import PostgresIndex
    from casebook.base.search.tokenizer import parse_query

    sql, params = PostgresIndex().matching_sql(parse_query("観光"))
    with PostgresIndex().matching_cursor() as cursor:  # what search and the relevance list use
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "casebook_search_vector_gin" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_ranks_on_the_small_vector_without_the_body(seeded):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), SUM(pg_column_size(rank_vector)), SUM(pg_column_size(vector)), "
            "COUNT(*) FILTER (WHERE rank_vector <> ts_filter(vector, '{a,b,c}')) FROM casebook_search_searchentry"
        )
        entries, ranking_bytes, full_bytes, different = cursor.fetchone()
    assert entries > 0 and different == 0
    assert ranking_bytes * 2 < full_bytes


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_search_runs_the_match_once(seeded):
    from casebook.base.search.backend import SQLiteFTSIndex
    from casebook.base.search.tokenizer import parse_query

    sql, params = SQLiteFTSIndex().ranked_sql(parse_query("観光"), "SELECT id FROM wagtailcore_page", [], False)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql.replace("%s", "?"), params)
        plan = "\n".join(str(row[3]) for row in cursor.fetchall())
    assert "MATERIALIZE hits" in plan and "VIRTUAL TABLE INDEX" in plan, plan


@pytest.mark.skipif(not redis_reachable(), reason="Redis is not running at 127.0.0.1:6379")
@override_settings(CACHES=REDIS_CACHE)
@pytest.mark.parametrize("change", ["publish", "unpublish", "move", "delete"])
def test_facet_counts_cached_in_redis_follow_every_change(client, catalog, change):
    cache.clear()

    def telework_count():
        groups = client.get("/cases/").context["facet_groups"]
        return {o.value: o.count for g in groups if g.name == "measure" for o in g.options}.get("telework", 0)

    assert telework_count() == 2
    # The counts really went through Redis.
    assert cache._cache.get_client().keys(f"*casebook:facet-counts:{content_version()}:*")
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    if change == "publish":
        make_case(catalog.index, title="追加", lead=case.lead_organization, primary=catalog.measures["telework"])
        expected = 3
    elif change == "unpublish":
        case.unpublish()
        expected = 1
    elif change == "move":
        # Cases only live under the case index, so a move changes no count; it must still invalidate.
        version = content_version()
        case.move(catalog.cases.tokyo_fuchu, pos="left")
        assert content_version() != version
        expected = 2
    else:
        Page.objects.get(pk=case.pk).delete()
        expected = 1
    assert telework_count() == expected
    cache.clear()


@pytest.mark.django_db
def test_generate_cases_builds_marked_cases_that_behave_like_the_rest(client, seeded):
    call_command("generate_cases", count=30, seed=7, stdout=open("/dev/null", "w"))
    samples = CasePage.objects.filter(title__startswith="【サンプル】")
    assert samples.count() == 30
    assert all("サンプル" in c.tags.names() for c in samples[:5])
    assert Page.find_problems() == ([], [], [], [], [])
    assert client.get(samples.first().url).status_code == 200
    listed = client.get("/cases/", {"tag": "sample"}).context["page_obj"].paginator.count
    assert listed == 30
    assert client.get("/search/", {"q": "サンプル"}).context["page_obj"].paginator.count >= 30


@pytest.mark.django_db
def test_generate_cases_is_deterministic_per_seed(seeded):
    call_command("generate_cases", count=5, seed=11, stdout=open("/dev/null", "w"))
    first = list(
        CasePage.objects.filter(slug__startswith="sample-11-").order_by("slug").values_list("title", "fiscal_year")
    )
    CasePage.objects.filter(slug__startswith="sample-11-").delete()
    call_command("generate_cases", count=5, seed=11, stdout=open("/dev/null", "w"))
    again = list(
        CasePage.objects.filter(slug__startswith="sample-11-").order_by("slug").values_list("title", "fiscal_year")
    )
    assert first == again


@pytest.mark.django_db
@pytest.mark.parametrize("count", ["0", "-5", "300000"])
def test_generate_cases_refuses_bad_counts_in_japanese(count):
    with pytest.raises(CommandError, match="--count"):
        call_command("generate_cases", count=int(count))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_migrate_leaves_the_planner_statistics_of_rebuilt_tables(catalog):
    """SQLite drops a rebuilt table's statistics; migrate runs ANALYZE so the list keeps its plans."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'cases_casepage'")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'cases_casepage'")
        assert cursor.fetchone()[0] > 0
