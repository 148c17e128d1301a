"""What crawlers and link previews see: a sitemap of public pages only, robots.txt, a favicon, and on
every page a description, a canonical link and Open Graph tags; schema.org JSON-LD on case pages."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from wagtail.models import PageViewRestriction

from cases.models import CasePage
from measures.models import MeasurePage

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(b"".join(response.streaming_content) if response.streaming else response.content)
    return {
        url.find(f"{SITEMAP}loc").text: getattr(url.find(f"{SITEMAP}lastmod"), "text", None)
        for url in root.iter(f"{SITEMAP}url")
    }


def meta(html: str, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def test_the_sitemap_lists_the_public_pages_with_their_dates(client, seeded):
    urls = sitemap_urls(client)
    paths = {url.split("testserver", 1)[1] for url in urls}
    assert {"/", "/measures/", "/measures/frontyard-reform/", "/cases/", "/cases/prefectures/"} <= paths
    assert "/cases/nagoya-vdi/" in paths and "/cases/nankoku-health-portal/interview/" in paths
    assert all(urls.values())  # every entry says when it last changed


def test_drafts_and_login_only_pages_stay_out_of_the_sitemap(client, seeded):
    CasePage.objects.get(slug="nagoya-vdi").unpublish()
    restricted = CasePage.objects.get(slug="fuchu-workation")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    paths = {url.split("testserver", 1)[1] for url in sitemap_urls(client)}
    assert "/cases/nagoya-vdi/" not in paths and "/cases/fuchu-workation/" not in paths
    assert "/cases/yamagata-online-procedures/" in paths


def test_robots_points_to_the_sitemap_and_keeps_search_and_exports_out(client, seeded):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /search/" in text and "Disallow: /cases/export." in text
    assert "Disallow: /cases/\n" not in text  # the list's own noindex must stay visible to crawlers


def test_the_favicon_answers(client, seeded):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".ico")  # the name changes with the icon
    assert client.head("/favicon.ico").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/measures/",
        "/measures/telework/",
        "/cases/",
        "/cases/nagoya-vdi/",
        "/cases/nankoku-health-portal/interview/",
    ],
)
def test_every_page_type_has_a_description_canonical_link_and_preview_tags(client, seeded, path):
    html = client.get(path).content.decode()
    assert meta(html, "name", "description")
    # The site's own address (its Site record), whatever host the request came in on.
    canonical = re.search(r'<link rel="canonical" href="(https?://[^/"]+)([^"]*)">', html)
    assert canonical and canonical.group(2) == path
    assert meta(html, "property", "og:title") and meta(html, "property", "og:description")
    assert meta(html, "property", "og:url") == canonical.group(1) + path
    assert meta(html, "name", "twitter:card") == "summary"


def test_a_page_without_a_search_description_is_described_by_its_summary(client, seeded):
    measure = MeasurePage.objects.get(slug="telework")
    html = client.get("/measures/telework/").content.decode()
    assert meta(html, "name", "description") == measure.summary  # short enough not to be cut


def test_a_filtered_list_is_canonical_only_with_one_filter(client, seeded):
    one = client.get("/cases/?measure=telework").content.decode()
    assert '<link rel="canonical" href="http://testserver/cases/?measure=telework">' in one
    assert meta(one, "property", "og:title") == "テレワークの推進の事例 (1件)"
    two = client.get("/cases/?measure=telework&prefecture=34").content.decode()
    assert '<link rel="canonical" href="http://testserver/cases/">' in two


def test_a_case_page_describes_itself_in_json_ld(client, seeded):
    html = client.get("/cases/fuchu-workation/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Article" and data["headline"] == "広島県府中市のテレワーク環境の整備事例"
    assert data["author"] == {"@type": "GovernmentOrganization", "name": "広島県府中市", "url": data["author"]["url"]}
    assert data["dateModified"] and data["inLanguage"] == "ja"
    assert meta(html, "property", "og:type") == "article"


def test_json_ld_cannot_be_closed_by_a_title(client, catalog):
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    case.title = "</script><script>alert(1)</script>"
    case.save_revision().publish()
    html = client.get(case.url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


def test_a_route_of_the_case_list_is_its_own_canonical_page(client, seeded):
    html = client.get("/cases/prefectures/").content.decode()
    assert '<link rel="canonical" href="http://testserver/cases/prefectures/">' in html
    fields = client.get("/cases/export/fields/").content.decode()
    assert '<link rel="canonical" href="http://testserver/cases/export/fields/">' in fields
