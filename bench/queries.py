"""How many SQL queries one uncached request of each URL makes (bench/run.py calls it).

Run with the project's settings and DATABASE_URL in the environment, from the tree whose code is
to be counted (PYTHONPATH=that tree); prints {"url": queries} as JSON. The cache is emptied
before each URL, so each count is what a filter nobody asked for yet costs.
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings.production")


def main(paths):
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from casebook.base.core import cache as content_cache

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    counts = {}
    for path in paths:
        cache.clear()
        if hasattr(content_cache, "forget_process_memory"):
            content_cache.forget_process_memory()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if response.streaming:  # an export's rows are read as it streams
                b"".join(response.streaming_content)
        # 202 and 303: a big export, prepared on the task worker (cases/reuse/prepared.py).
        if response.status_code not in (200, 202, 303):
            raise SystemExit(f"{path}: {response.status_code}")
        counts[path] = len(captured.captured_queries)
    print(json.dumps(counts))


if __name__ == "__main__":
    main(sys.argv[1:])
