"""What a load balancer asks, and what the site answers while the database is away.

- `/healthz` (liveness): 200 while this process can answer at all. It needs nothing else, so a
  database or cache outage never makes the balancer restart healthy processes.
- `/readyz` (readiness): 200 when the database, the cache and the upload storage answer; 503 naming
  the part that did not, so the balancer sends no visitor to a server that cannot serve them. The
  storage is looked at without writing (its folder, or one HEAD of the bucket, remembered for a few
  seconds), so a probe every few seconds costs one `SELECT 1`, one cache read and, with a task worker
  configured, one read of the workers' heartbeats. A cache that does not answer is named but leaves the
  server ready: the site answers without it (cache_backends).
  A task worker nobody has seen for a while is named as a warning (it does not make a web server unready).

Both are answered by `HealthMiddleware`, first in the chain, before the HTTPS redirect and before
anything reads the Host header, so they answer plain HTTP to any Host, as balancers probe. Their answers
name parts and states only: no host, address or error text.

`server_error` is the site's 500 handler: a request that failed because the database cannot be reached
gets 503 with Retry-After and the Japanese page that says so, whichever URL it was (robots.txt and the
sitemap included); Django reconnects by itself on a later request once the database is back."""

import json
import os
import time

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader

from casebook.base.core.tasks import worker_missing

RETRY_AFTER_SECONDS = 30
STORAGE_CHECK_SECONDS = 10.0  # how long one look at the storage is remembered per process
_storage_seen: dict[str, float | str] = {}


def _json(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def check_cache() -> str:
    """One read of a key nobody sets. The site's backends fail open: a failed call marks the server down."""
    try:
        cache.get("casebook-readyz")
    except Exception:
        return "unavailable"
    is_down = getattr(cache, "_is_down", None)
    return "unavailable" if is_down and is_down() else "ok"


def _look_at_storage() -> str:
    location = getattr(default_storage, "location", None)
    bucket = getattr(default_storage, "bucket_name", None)
    try:
        if bucket:
            default_storage.connection.meta.client.head_bucket(Bucket=bucket)
        elif location is not None and not _can_hold_files(location):
            return "unavailable"
    except Exception:
        return "unavailable"
    return "ok"


def _can_hold_files(location: str) -> bool:
    """The upload folder, or (before the first upload) the nearest folder above it, is a writable folder."""
    path = os.path.abspath(location)
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.path.isdir(path) and os.access(path, os.W_OK)


def check_storage() -> str:
    now = time.monotonic()
    if now - float(_storage_seen.get("at", float("-inf"))) >= STORAGE_CHECK_SECONDS:
        _storage_seen.update(at=now, state=_look_at_storage())
    return str(_storage_seen["state"])


def readiness() -> tuple[int, dict]:
    checks = {"database": check_database(), "cache": check_cache(), "storage": check_storage()}
    failed = [name for name in ("database", "storage") if checks[name] != "ok"]
    body: dict = {"status": "unavailable" if failed else "ok", "checks": checks}
    warnings = []
    if checks["cache"] != "ok":
        warnings.append("cache: the site answers without it, more slowly")
    if not failed:
        try:
            if worker_missing("imports"):
                warnings.append("worker: no task worker seen recently; imports wait")
        except DatabaseError:
            pass
    if warnings:
        body["warnings"] = warnings
    return (503 if failed else 200), body


class HealthMiddleware:
    """Answers /healthz and /readyz before any other middleware (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return _json(200, {"status": "ok"})
        if request.path_info == "/readyz":
            status, body = readiness()
            response = _json(status, body)
            if status == 503:
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return self.get_response(request)


DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unreachable(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request, *args, **kwargs):
    """The 500 handler: 503 with Retry-After when the database could not be reached, else the 500 page.
    Renders without the database (no context processors)."""
    import sys

    if database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
