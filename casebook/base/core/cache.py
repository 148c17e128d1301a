"""Cache for work repeated on every list request: facet labels and counts, result counts and
ids of lists and searches, rendered fragments and export files.

Every entry is keyed by the content version, a random token kept in the database
(`core.ContentVersion`) that any publish, unpublish, move, delete, view restriction, taxonomy
change, command or migration replaces when its transaction commits. The database is the one
source of truth: a change made by any process (the admin, cron, an import, another app server)
is seen by every other on its next request, whatever cache each of them uses. The cache only
ever speeds things up; it may be empty, shared, or down (see casebook/base/core/cache_backends.py),
and each process keeps what it read or computed in memory too, for a short while (`cached`).
"""

import contextvars
import hashlib
import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_migrate, post_save
from django.db.transaction import on_commit
from django.dispatch import Signal
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from casebook.base.core.cache_backends import local_tier
from casebook.base.core.models import ContentVersion
from casebook.base.core.replicas import primary_reads

logger = logging.getLogger(__name__)
# Sent once the new content version is in the database: for work that follows a change (the dataset's
# rebuild, cases/reuse/prepared.py), which this layer knows nothing of.
content_changed = Signal()
DEFAULT_TIMEOUT = 60 * 60
VERSION_ROW = 1
# A second token for what routes every request: the sites, the home page and its sections. It
# changes with the first whenever one of them changes (see `invalidate_content`), and keeps still
# when a case is published, so a publish does not make every process read them again.
STRUCTURE_ROW = 2
ROWS = (VERSION_ROW, STRUCTURE_ROW)
# Pages this deep or less are the root, the home page and its sections (casebook.site.home.routing).
STRUCTURE_DEPTH = 3

# The version read once per request (ContentVersionMiddleware opens the scope); outside a
# request, e.g. in a command, it is read each time it is asked for.
_request_scope: contextvars.ContextVar[dict | None] = contextvars.ContextVar("casebook_version_scope", default=None)


def _tokens() -> dict[int, str]:
    scope = _request_scope.get()
    if scope is not None and "tokens" in scope:
        return scope["tokens"]
    # From the primary: a lagging replica's old token would serve entries the change retired.
    rows = ContentVersion.objects.using(DEFAULT_DB_ALIAS)
    tokens = dict(rows.filter(pk__in=ROWS).values_list("pk", "token"))
    for row in ROWS:
        if row not in tokens:
            # A database restored without the rows (they are made by `migrate`, never here): a token of
            # this read alone, so nothing cached is served until `migrate` puts the rows back.
            logger.warning("コンテンツのバージョンの行がありません。manage.py migrate を実行してください。")
            tokens[row] = f"missing-{uuid.uuid4().hex}"
    if scope is not None:
        scope["tokens"] = tokens
    return tokens


def content_version() -> str:
    return _tokens()[VERSION_ROW]


def structure_version() -> str:
    return _tokens()[STRUCTURE_ROW]


def ensure_version_rows(using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """On `migrate` only (post_migrate): the rows a database restored without them lacks."""
    for row in ROWS:
        ContentVersion.objects.using(using).get_or_create(pk=row, defaults={"token": uuid.uuid4().hex})


def new_content_version(structure: bool = True) -> None:
    """Replace the token now (and the structure's, unless told it is untouched), in a transaction of
    its own held for one UPDATE, never longer."""
    rows = ContentVersion.objects.using(DEFAULT_DB_ALIAS)
    for row in ROWS if structure else (VERSION_ROW,):
        rows.filter(pk=row).update(token=uuid.uuid4().hex)  # a missing row is `migrate`'s to make
    scope = _request_scope.get()
    if scope is not None:
        scope.pop("tokens", None)
    content_changed.send(sender=ContentVersion)


def _touches_structure(sender=None, instance=None, **kwargs) -> bool:
    """Whether a change may alter the sites, the home page or its sections. Moves always count: a
    page may have moved into or out of the home page's children."""
    if isinstance(instance, Page):
        return kwargs.get("signal") is post_page_move or instance.depth is None or instance.depth <= STRUCTURE_DEPTH
    return isinstance(instance, Site) or instance is None


def invalidate_content(*args, **kwargs) -> None:
    """Signal receiver: the content changed, so every cached result is stale.

    The token changes when the surrounding transaction commits (at once outside one): a request
    that reads the new token then also reads the new rows, and an import's long transaction never
    holds a lock on the token's row.
    """
    structure = _touches_structure(**kwargs)
    on_commit(lambda: new_content_version(structure=structure), using=DEFAULT_DB_ALIAS)


def invalidate_on_change(*models) -> None:
    """Saving or deleting any of `models` changes what the public sees (apps call this for their taxonomy)."""
    for model in models:
        post_save.connect(invalidate_content, sender=model, dispatch_uid=f"casebook-save-{model._meta.label}")
        post_delete.connect(invalidate_content, sender=model, dispatch_uid=f"casebook-delete-{model._meta.label}")


# What saving a draft or locking a page writes to the page row; none of it is public.
DRAFT_BOOKKEEPING = {
    "wagtail_admin_comments",
    "latest_revision_created_at",
    "draft_title",
    "latest_revision",
    "has_unpublished_changes",
    "locked",
    "locked_by",
    "locked_at",
}


def _page_saved(sender, instance, update_fields=None, **kwargs):
    """A live page saved through the ORM (a command, a script) changes what the public sees."""
    if isinstance(instance, Page) and instance.live and not (update_fields and set(update_fields) <= DRAFT_BOOKKEEPING):
        invalidate_content(instance=instance)


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_content(instance=instance)


def connect_invalidation(version_app) -> None:
    """Every way the public content changes: Wagtail's page signals, ORM saves and deletes of pages,
    view restrictions, and each deploy's migrate (whose post_migrate the version's own app sends once)."""
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(invalidate_content, dispatch_uid=f"casebook-invalidate-{signal!r}")
    post_save.connect(_page_saved, dispatch_uid="casebook-save-page")
    post_delete.connect(_page_deleted, dispatch_uid="casebook-delete-page")
    invalidate_on_change(PageViewRestriction, Site)  # sites route requests (casebook.site.home.routing)
    post_migrate.connect(ensure_version_rows, sender=version_app, dispatch_uid="casebook-version-rows")
    # Fragments cached by the previous code must not be served by the new templates.
    post_migrate.connect(invalidate_content, sender=version_app, dispatch_uid="casebook-invalidate-on-migrate")


class ContentVersionMiddleware:
    """Reads the content version at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_scope.set({})
        try:
            return self.get_response(request)
        finally:
            _request_scope.reset(token)


def cache_key(name: str, key_parts, version: str | None = None) -> str:
    """A key for `name` and `key_parts` that the next content change makes unreachable."""
    digest = hashlib.sha256(repr(key_parts).encode()).hexdigest()[:32]
    return f"casebook:{name}:{version or content_version()}:{digest}"


def forget_process_memory() -> None:
    """For tests, whose rolled-back databases bring the same token back with other rows."""
    local_tier().clear()


def cached(
    name: str, key_parts, compute, timeout: int = DEFAULT_TIMEOUT, version: str | None = None, small: bool = False
):
    """`compute()`'s value, kept under the content version: in this process's memory for a short while
    (casebook.base.core.cache_backends.LocalTier, bounded in bytes), and in the shared cache.

    The memory tier comes first: its keys name the content version like the shared cache's, so it is
    never stale, a warm request makes no round trip to Redis, and with Redis down the work this process
    did in the last minute still serves it. `small` entries (facet labels, restricted paths, the
    sections), which nearly every request reads, are kept as they are instead of as a copy.
    """
    key = cache_key(name, key_parts, version)
    tier = local_tier()
    value = tier.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        with primary_reads():  # never store a lagging replica's answer under the current version
            value = compute()
        cache.set(key, value, timeout)
    if value is not None:
        tier.set(key, value, timeout, live=small)
    return value
