"""Read replicas: public GET requests read from a replica; writes, the admin and the cache fill use the primary.

Switched on by DATABASE_REPLICA_URLS (comma-separated); settings add the aliases replica1, replica2, …
and this router and middleware. Without it nothing here runs.

What is cached under the content version is always computed on the primary (`primary_reads`):
a replica a moment behind a publish must not store yesterday's list under today's version.
"""

import contextvars
import random
from contextlib import contextmanager

from django.conf import settings

_public_read = contextvars.ContextVar("casebook_public_read", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get():
            replicas = replica_aliases()
            if replicas:
                return random.choice(replicas)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


@contextmanager
def primary_reads():
    token = _public_read.set(False)
    try:
        yield
    finally:
        _public_read.reset(token)


class PublicReadsMiddleware:
    """Marks safe public requests so that the router may send their reads to a replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The admin reads from the primary even on GET: editors expect to see what they just saved.
        admin = request.path_info.startswith(settings.CASEBOOK_ADMIN_PREFIX)
        public = request.method in ("GET", "HEAD") and not admin
        token = _public_read.set(public)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
