"""What search engines and link previews read: /sitemap.xml (public pages only), /robots.txt and
/favicon.ico, and the description a page gives of itself."""

from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, Site

from casebook.base.core.cache import cached
from casebook.base.core.links import public_url
from casebook.base.core.visibility import visible

DESCRIPTION_LENGTH = 120
# Crawlers stay out of search results and exports; a combined filter of the list is crawlable but
# says `noindex` itself (a Disallow would hide that header from the crawler).
ROBOTS_DISALLOW = ["/admin/", "/search/", "/cases/export.", "/cases/municipalities.json", "/documents/"]


class PublicPagesSitemap(Sitemap):
    """Every page the public may see (casebook.base.core.visibility), with its last publication."""

    def items(self):
        try:
            root = self.get_wagtail_site().root_page
        except Site.DoesNotExist:  # no site for this host and no default site: nothing to list
            return Page.objects.none()
        return visible(root.get_descendants(inclusive=True)).order_by("path").defer_streamfields().specific()


def sitemap(request):
    """Built once per content version and host: at 20,000 cases it lists every one of them."""

    def build() -> bytes:
        response = wagtail_sitemap(request, sitemaps={"pages": PublicPagesSitemap})
        response.render()
        return response.content

    content = cached("sitemap", (request.get_host(), request.GET.get("p", "")), build)
    return HttpResponse(content, content_type="application/xml; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def robots(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {public_url('/sitemap.xml', request)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    # Temporary: the target's name carries the file's hash, which changes with the icon.
    return HttpResponseRedirect(static("favicon.ico"))


def page_description(page) -> str:
    """The editor's search description, else the page's summary, lead or intro as plain text."""
    for field in ("search_description", "summary", "lead", "intro"):
        text = strip_tags(str(getattr(page, field, "") or "")).strip()
        if text:
            return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)
    return ""
