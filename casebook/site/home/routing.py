"""Which site and home page answer a request, read once per content version.

Wagtail finds the site with one query per request, then loads the site's root page and its
specific type with two more, and asks the cache for every site's root path to build page URLs.
Here all of that is one snapshot per content version (sites, their home pages with their
sections, the root paths), kept in process memory like the other small entries, and handed to
Wagtail through the attributes it caches on the request. It is keyed by the structure version
(casebook.base.core.cache), which saving a Site or a page of the first levels changes, so the snapshot
is never stale, and publishing a case does not make every process read it again.
"""

import copy

from django.conf import settings
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import SiteRootPath

from casebook.base.core.cache import cached, structure_version


def _read() -> dict:
    sites = list(Site.objects.select_related("root_page", "root_page__locale"))
    homes = {}
    for site in sites:
        if site.root_page_id not in homes:
            home = site.root_page.specific  # one query: a site's root page as its own type
            if hasattr(home, "read_sections"):
                home._sections = home.read_sections()
            homes[home.pk] = home
    # As Wagtail's Site.get_site_root_paths orders them: the most specific path first.
    ordered = sorted(sites, key=lambda site: (site.hostname,))
    ordered = sorted(ordered, key=lambda site: site.is_default_site, reverse=True)
    ordered = sorted(ordered, key=lambda site: site.root_page.url_path, reverse=True)
    root_paths = [
        SiteRootPath(site.id, site.root_page.url_path, site.root_url, site.root_page.locale.language_code)
        for site in ordered
    ]
    for site in sites:
        site.root_page = homes.get(site.root_page_id, site.root_page)
    return {"sites": sites, "root_paths": root_paths}


def snapshot() -> dict:
    """The one cached read of the sites, their home pages and the homes' sections (HomePage.sections)."""
    return cached("site-routing", (), _read, small=True, version=structure_version())


def home_sections(home_pk: int | None = None) -> dict | None:
    """The sections of the home page `home_pk` (the default site's without one) from the snapshot; None
    when no site has that home page."""
    for site in snapshot()["sites"]:
        if (site.root_page_id == home_pk) if home_pk is not None else site.is_default_site:
            return getattr(site.root_page, "_sections", None)
    return None


def site_for(hostname: str, port: int, sites: list[Site]) -> Site | None:
    """Wagtail's choice (wagtail.models.sites.get_site_for_hostname) over the snapshot: the site with
    this hostname and port, else this hostname on the default site, else the default site unless
    exactly one other site has this hostname."""
    ranked = []
    for site in sites:
        if site.hostname == hostname and site.port == port:
            ranked.append((0, site))
        elif site.hostname == hostname and site.is_default_site:
            ranked.append((1, site))
        elif site.is_default_site:
            ranked.append((2, site))
        elif site.hostname == hostname:
            ranked.append((3, site))
    ranked.sort(key=lambda pair: pair[0])
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0][0] in (0, 1):
        return ranked[0][1]
    if ranked[0][0] == 2:
        return ranked[len(ranked) == 2][1]
    return None


class SiteRoutingMiddleware:
    """Gives Wagtail the request's site, its root page already the specific home page, and the root
    paths from the snapshot, and the navigation the home page's sections; each request gets its own
    copies of the shared objects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            found = snapshot()
            hostname, _ = split_domain_port(request._get_raw_host())
            try:
                port = int(request.get_port())
            except ValueError:
                port = None
            site = site_for(hostname, port, found["sites"])
            if site is not None:
                site = copy.copy(site)
                site.root_page = copy.copy(site.root_page)
                if hasattr(site.root_page, "sections"):
                    request.casebook_sections = [copy.copy(page) for page in site.root_page.sections().values()]
            request._wagtail_site = site
            request._wagtail_cached_site_root_paths = found["root_paths"]
        return self.get_response(request)
