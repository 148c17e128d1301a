"""Which pages the public may see: live, and under no view restriction. The one place for it."""

from django.db import models
from django.db.models import Value
from wagtail.models import Page, PageViewRestriction

from casebook.base.core.cache import cached
from casebook.base.core.links import OwnAddressMixin


def _special_paths() -> dict[str, list[str]]:
    """Tree paths of the pages with a view restriction (login, password, group), whose subtrees are
    hidden, and of alias pages, which take their source's restrictions: one query (both parts use
    an index), once per content version."""
    # Written so that both parts search an index: at 20,000 pages on SQLite, joining from the
    # restrictions and `alias_of IS NOT NULL` each scanned every page (1 and 7 ms); this takes 0.35 ms.
    restricted = Page.objects.filter(pk__in=PageViewRestriction.objects.values("page_id"))
    aliases = Page.objects.filter(alias_of_id__gt=0)
    rows = (
        restricted.order_by()
        .values_list(Value("restricted"), "path")
        .union(aliases.order_by().values_list(Value("alias"), "path"), all=True)
    )
    paths: dict[str, list[str]] = {"restricted": [], "alias": []}
    for kind, path in rows:
        paths[kind].append(path)
    return {kind: sorted(found) for kind, found in paths.items()}


def special_paths() -> dict[str, list[str]]:
    return cached("special-paths", (), _special_paths, small=True)


def restricted_paths() -> list[str]:
    """Restricted subtrees as paths. There are few, so the page query gets plain prefix tests; a
    correlated subquery asking the same inside the page query looked cheaper but let SQLite, once
    ANALYZE had run, scan every page for every page."""
    return special_paths()["restricted"]


def visible(queryset):
    """Wagtail's `.live().public()`, with the restricted subtrees read once per content version:
    every public list, page link and facet label goes through this, never through its own rule."""
    queryset = queryset.live()
    restricted = models.Q()
    paths = special_paths()
    for path in paths["restricted"]:
        restricted |= models.Q(path__startswith=path)
        # An alias takes its source's restrictions (Wagtail serves it so): an alias of a restricted
        # page is hidden too. Joined only when the site has aliases at all.
        if paths["alias"]:
            restricted |= models.Q(alias_of__path__startswith=path)
    return queryset.exclude(restricted) if restricted else queryset


class ServedPageMixin(OwnAddressMixin):
    """For every page type: its absolute address is the site's own (OwnAddressMixin). And Wagtail checks
    each served page for view restrictions with two queries
    (its ancestors, for aliases; then the restrictions). When neither the page nor an ancestor is an
    alias and no restricted subtree holds it — both read once per content version — no restriction
    applies and the queries are skipped; otherwise Wagtail's own check runs unchanged."""

    def get_view_restrictions(self):
        paths = special_paths()
        if self.alias_of_id is None and not self.path.startswith((*paths["alias"], *paths["restricted"])):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
