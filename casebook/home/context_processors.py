"""Links to the site's sections for every template: their slugs are editable, so no template
hard-codes `/cases/` or `/measures/`."""

from dataclasses import dataclass

from django.db.models import Value
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page

from casebook.core.cache import cached
from casebook.core.visibility import restricted_paths, visible
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


def read_section_urls() -> dict[str, str]:
    """One query for all sections (a union of the index types' own small tables: Page.objects.type()
    scanned every page, 4 ms at 20,000 cases), and URLs from their url_path without loading pages."""
    parts = [
        visible(model.objects.all()).order_by().values_list(Value(key), "id", "url_path") for model, key, _ in SECTIONS
    ]
    urls = {}
    for key, pk, url_path in parts[0].union(*parts[1:], all=True):
        urls.setdefault(key, Page(id=pk, url_path=url_path).get_url(None))
    return urls


def section_urls(request) -> dict[str, str]:
    """From the home page's children when routing this request already read them (HomePage.route),
    else read once per content version."""
    children = getattr(request, "casebook_sections", None)
    if children is not None:
        urls = urls_of(children, request)
    else:
        urls = cached("section-urls", (), read_section_urls, small=True)
    return {"search": reverse("search"), **urls}


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
