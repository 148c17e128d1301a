"""Links to the site's sections for every template: their slugs are editable, so no template
hard-codes `/cases/` or `/measures/`."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from casebook.base.core.visibility import restricted_paths
from casebook.site.home.routing import home_sections
from cases.models import CaseIndexPage
from measures.models import MeasureIndexPage

# The sections in the menu, in its order: the index page type, its key and its menu label.
SECTIONS = [(MeasureIndexPage, "measures", "重点取組事項"), (CaseIndexPage, "cases", "事例")]


def urls_of(pages, request=None) -> dict[str, str]:
    """The URL of each section among `pages` (live and public), by key."""
    hidden = tuple(restricted_paths())
    urls = {}
    for model, key, _ in SECTIONS:
        for page in pages:
            if page.specific_class is model and page.live and not page.path.startswith(hidden):
                urls.setdefault(key, page.get_url(request))
    return urls


def section_urls(request=None) -> dict[str, str]:
    """From the home page's children that routing this request already read (HomePage.route), else the
    default site's from the same cached read (casebook.site.home.routing)."""
    children = getattr(request, "casebook_sections", None)
    if children is None:
        children = list((home_sections() or {}).values())
    return {"search": reverse("search"), **urls_of(children, request)}


@dataclass
class NavItem:
    label: str
    url: str
    current: str  # the value of aria-current: "page", "true" (a page inside the section) or ""


def navigation(path: str, urls: dict[str, str]) -> list[NavItem]:
    items = []
    for label, key in [*((label, key) for _, key, label in SECTIONS), ("検索", "search")]:
        url = urls.get(key, "")
        inside = key != "search" and bool(url) and path.startswith(url)
        items.append(NavItem(label, url, "page" if path == url else "true" if inside else ""))
    return [item for item in items if item.url]


def sections(request):
    urls = SimpleLazyObject(lambda: section_urls(request))
    return {"sections": urls, "nav": SimpleLazyObject(lambda: navigation(request.path, urls))}
