"""The case editor's organization search at national scale: the median and worst time of the admin
endpoint behind the partner and visited choosers (target: under 100 ms), on the configured database.

    DATABASE_URL=sqlite:////tmp/casebook-bench-seed.sqlite3 .venv/bin/python bench/chooser.py
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings.dev")

import django  # noqa: E402

django.setup()

from django.test import RequestFactory  # noqa: E402

from casebook.base.taxonomy.models import Municipality  # noqa: E402
from casebook.base.taxonomy.views import organization_search  # noqa: E402

QUERIES = ["ふちゅう", "府中", "342084", "市", "北海道 町", "fuchu"]
RUNS = 20


def main():
    print(f"{Municipality.objects.count()} organizations")
    factory = RequestFactory()
    for query in QUERIES:
        times = []
        for _ in range(RUNS):
            request = factory.get("/admin/organizations/search/", {"q": query})
            started = time.perf_counter()
            response = organization_search(request)
            times.append((time.perf_counter() - started) * 1000)
        found = len(json.loads(response.content)["results"])
        print(f"{query}: median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms, {found} found")


if __name__ == "__main__":
    main()
