"""Which pages the public may see: live, and under no view restriction. The one place for it."""

from django.db import models
from wagtail.models import PageViewRestriction

from casebook.core.cache import cached


def restricted_paths() -> list[str]:
    """Tree paths of the pages with a view restriction (login, password, group); their subtrees are hidden.

    There are few of them, so they are read once per content version (saving or deleting a
    restriction, or moving a page, changes the version) and the page query gets plain prefix
    tests. A correlated subquery asking the same inside the page query looked cheaper but let
    SQLite, once ANALYZE had run, scan every page for every page.
    """
    return cached(
        "restricted-paths",
        (),
        lambda: list(PageViewRestriction.objects.order_by("page__path").values_list("page__path", flat=True)),
    )


def visible(queryset):
    """Wagtail's `.live().public()`, with the restricted subtrees read once per content version:
    every public list, page link and facet label goes through this, never through its own rule."""
    queryset = queryset.live()
    restricted = models.Q()
    for path in restricted_paths():
        restricted |= models.Q(path__startswith=path)
    return queryset.exclude(restricted) if restricted else queryset
