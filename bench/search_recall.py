"""Recall and speed of search on the seed content: Wagtail's stock backend against ours.

    DATABASE_URL=sqlite:////tmp/casebook-bench.sqlite3 .venv/bin/python bench/search_recall.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casebook_bench .venv/bin/python bench/search_recall.py

The database is migrated and given the seed content first, so point DATABASE_URL at a
throw-away database. The query set is tests/search_queries.py.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from wagtail.models import Page  # noqa: E402

from casebook.base.core.visibility import visible  # noqa: E402
from casebook.base.search.query import RankedResults  # noqa: E402
from casebook.base.search.tokenizer import parse_query  # noqa: E402
from tests.search_queries import EXPECTED  # noqa: E402

REPEAT = 20


def slug_of(page):
    page = page.specific
    return f"{page.get_parent().slug}/interview" if page._meta.model_name == "interviewpage" else page.slug


def stock(q):
    try:
        return {slug_of(p) for p in Page.objects.live().public().search(q)}
    except Exception:  # the stock SQLite backend raises on some queries
        return set()


def ours(q):
    """The first 50 hits as /search/ ranks them (casebook/base/search/views.py)."""
    results = RankedResults(parse_query(q), visible(Page.objects.all()), cases_first=True)
    return {slug_of(p) for p in results[:50]}


def recall(finder):
    hits = sum(len(expected & finder(q)) for q, expected in EXPECTED.items())
    return hits, sum(len(expected) for expected in EXPECTED.values())


def main():
    call_command("migrate", verbosity=0)
    call_command("load_initial_content", verbosity=0)
    call_command("update_index", verbosity=0, stdout=open(os.devnull, "w"))
    timings = []
    for q in EXPECTED:
        for _ in range(REPEAT):
            start = time.perf_counter()
            ours(q)
            timings.append((time.perf_counter() - start) * 1000)
    stock_hits, total = recall(stock)
    our_hits, _ = recall(ours)
    print(f"database: {connection.vendor}, queries: {len(EXPECTED)}, expected hits: {total}")
    print(f"stock Wagtail backend recall: {stock_hits}/{total} = {stock_hits / total:.0%}")
    print(f"Casebook search recall:       {our_hits}/{total} = {our_hits / total:.0%}")
    print(
        f"Casebook search time per query (ranked ids + pages): median {statistics.median(timings):.2f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
