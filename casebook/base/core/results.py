"""Result lists for Paginator and the exports: ids first, pages only for what is shown.

A list page needs the number of matches and the ids of one page of them. Both are the expensive
part at national scale and both depend only on the published content, so `CachedResults` keeps
them under the content version (casebook.base.core.cache). The pages themselves are loaded only when a
template renders them, which it does not when the rendered fragment is in the cache too.
"""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from casebook.base.core.cache import DEFAULT_TIMEOUT, cache_key, cached, content_version
from casebook.base.core.replicas import primary_reads


class QuerysetResults:
    """An ordered queryset seen as count / ids / pages."""

    def __init__(self, queryset, fetch):
        self.queryset = queryset
        # Loads the pages of a list of ids, e.g. with select_related for the list's cards.
        self.fetch = fetch

    def count(self) -> int:
        return self.queryset.count()

    def ids(self, limit: int | None = None, offset: int = 0) -> list[int]:
        ids = self.queryset.values_list("pk", flat=True)
        return list(ids[offset : offset + limit] if limit is not None else ids[offset:])

    def page_slice(self, limit: int, offset: int) -> list:
        """The pages of one slice in one query (the queryset carries what the list shows)."""
        return list(self.queryset[offset : offset + limit])

    def pages(self, ids: list[int]) -> list:
        by_id = {page.pk: page for page in self.fetch(ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


class CachedResults:
    """A sliceable list of pages whose count and slice ids are cached under the content version.

    `source` answers count(), ids(limit, offset) and pages(ids) (QuerysetResults, RankedResults),
    and may answer page_slice(limit, offset) to load a slice in one query when its ids are not
    cached yet. `key_parts` must name everything the result depends on besides the content;
    `count`, if given, replaces the source's own count (the facet query already counts).
    """

    def __init__(self, name: str, key_parts, source, count=None):
        self.name = name
        self.key_parts = key_parts
        self.source = source
        self._count = count or source.count
        # One version for the whole result, even for pages a template loads after the request.
        self.version = content_version()

    def count(self) -> int:
        return cached(f"{self.name}-count", self.key_parts, self._count, version=self.version)

    def __len__(self):
        return self.count()

    def ids(self, limit: int | None = None, offset: int = 0) -> list[int]:
        return cached(
            f"{self.name}-ids",
            (self.key_parts, limit, offset),
            lambda: self.source.ids(limit, offset),
            version=self.version,
        )

    def __getitem__(self, item):
        if isinstance(item, slice):
            start = item.start or 0
            limit = None if item.stop is None else max(item.stop - start, 0)
            # Loaded when a template first looks at it; a list whose cards come from the
            # fragment cache never loads them.
            return SimpleLazyObject(lambda: self.load(limit, start))
        return self[item : item + 1][0]

    def load(self, limit: int | None, offset: int) -> list:
        # From the primary: these pages are rendered into fragments that are cached under the
        # current content version, which a lagging replica's rows must not be.
        with primary_reads():
            key = cache_key(f"{self.name}-ids", (self.key_parts, limit, offset), self.version)
            ids = cache.get(key)
            if ids is None and limit is not None and hasattr(self.source, "page_slice"):
                pages = self.source.page_slice(limit, offset)
                cache.set(key, [page.pk for page in pages], DEFAULT_TIMEOUT)
                return pages
            return self.source.pages(ids if ids is not None else self.ids(limit, offset))
