"""Which pages the public may see: live, and under no view restriction. The one place for it."""

from django.db import models
from wagtail.models import Page, PageViewRestriction

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
        small=True,
    )


def visible(queryset):
    """Wagtail's `.live().public()`, with the restricted subtrees read once per content version:
    every public list, page link and facet label goes through this, never through its own rule."""
    queryset = queryset.live()
    restricted = models.Q()
    for path in restricted_paths():
        restricted |= models.Q(path__startswith=path)
    return queryset.exclude(restricted) if restricted else queryset


def alias_paths() -> list[str]:
    """Tree paths of alias pages (a copy that shows another page's content and its restrictions)."""
    return cached(
        "alias-paths",
        (),
        lambda: list(Page.objects.filter(alias_of__isnull=False).order_by("path").values_list("path", flat=True)),
        small=True,
    )


class ServedPageMixin:
    """For every page type: Wagtail checks each served page for view restrictions with two queries
    (its ancestors, for aliases; then the restrictions). When neither the page nor an ancestor is an
    alias and no restricted subtree holds it — both read once per content version — no restriction
    applies and the queries are skipped; otherwise Wagtail's own check runs unchanged."""

    def get_view_restrictions(self):
        if self.alias_of_id is None and not self.path.startswith((*alias_paths(), *restricted_paths())):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
