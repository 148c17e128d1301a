"""Which pages use a taxonomy item, for the delete guard and the admin's counts.

The apps above (cases, measures) register how to find their pages in their AppConfig.ready, so
taxonomy imports none of them.
"""

from collections import defaultdict
from collections.abc import Callable

from wagtail.models import Page

# model → [(live pages using obj, does a draft's content cite obj's pk)]
_USERS: dict[type, list[tuple[Callable, Callable]]] = defaultdict(list)


def register(model: type, pages: Callable, cites: Callable[[dict, int], bool]) -> None:
    """`pages(obj)` gives the pages that use obj; `cites(content, pk)` tells whether a draft's
    revision content names it (a draft may name something its live page does not yet)."""
    _USERS[model].append((pages, cites))


def used_by(obj) -> list:
    groups = [list(pages(obj)) for pages, _ in _USERS[type(obj)]]
    checks = [cites for _, cites in _USERS[type(obj)]]
    drafts = Page.objects.filter(has_unpublished_changes=True).select_related("latest_revision")
    groups.append(
        [
            page
            for page in drafts
            if page.latest_revision and any(cites(page.latest_revision.content or {}, obj.pk) for cites in checks)
        ]
    )
    seen, merged = set(), []
    for page in (page for group in groups for page in group):
        if page.pk not in seen:
            seen.add(page.pk)
            merged.append(page)
    return merged


# model → (column label, annotation name, a function giving the annotation expression)
_COUNTS: dict[type, list[tuple[str, str, Callable]]] = defaultdict(list)


def register_count(model: type, label: str, name: str, expression: Callable) -> None:
    """A column of the model's admin listing, e.g. how many cases name each municipality."""
    _COUNTS[model].append((label, name, expression))


def counts(model: type) -> list[tuple[str, str, Callable]]:
    return _COUNTS[model]
