"""The site names its own address: every absolute link it emits starts with CASEBOOK_BASE_URL, the Wagtail
Site record agrees with it (load_initial_content), a system check warns when they differ; without it
(development), links and e-mails follow the address the request came to."""

import json
import re

import feedparser
import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command
from wagtail.models import Site

from cases.models import CasePage

pytestmark = pytest.mark.django_db

SITE = "https://casebook.example.jp"
HOST = "casebook.example.jp"


@pytest.fixture
def deployed(settings, seeded):
    """As the deployment recipe has it: the address set, then load_initial_content run."""
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    settings.CASEBOOK_BASE_URL = SITE
    settings.WAGTAILAPI_BASE_URL = SITE
    call_command("load_initial_content", verbosity=0)


def get(client, path, **extra):
    return client.get(path, HTTP_HOST=HOST, **extra)


def absolute_links(html: str) -> dict[str, list[str]]:
    found = {
        "canonical": re.findall(r'<link rel="canonical" href="([^"]+)"', html),
        "og:url": re.findall(r'<meta property="og:url" content="([^"]+)"', html),
    }
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        found.setdefault("json-ld", []).extend(re.findall(r'"(https?://[^"]+)"', block))
    return found


def test_every_absolute_link_starts_with_the_sites_address(client, seeded, deployed):
    case = CasePage.objects.get(slug="fuchu-workation")
    for path in ["/", "/cases/", case.url, "/cases/prefectures/", "/measures/telework/"]:
        links = absolute_links(get(client, path).content.decode())
        assert links["canonical"] and links["og:url"], path
        for kind, urls in links.items():
            own = [url for url in urls if "example.jp" in url or "localhost" in url or "testserver" in url]
            assert own and all(url.startswith(f"{SITE}/") for url in own), (path, kind, urls)

    sitemap = get(client, "/sitemap.xml").content.decode()
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locs) == 18 and all(loc.startswith(f"{SITE}/") for loc in locs)

    feed = feedparser.parse(get(client, "/cases/feed/").content)
    assert feed.entries and all(entry.link.startswith(f"{SITE}/cases/") for entry in feed.entries)

    listing = get(client, "/api/v2/pages/?type=cases.CasePage").content.decode()
    detail = get(client, f"/api/v2/pages/{case.pk}/").content.decode()
    assert json.loads(listing)["items"] and json.loads(detail)["meta"]["html_url"] == f"{SITE}/cases/{case.slug}/"
    api_urls = re.findall(r'"(https?://[^"]+)"', listing + detail)
    assert [url for url in api_urls if ("example.jp" in url or "local" in url) and not url.startswith(f"{SITE}/")] == []

    other = CasePage.objects.get(slug="nagoya-vdi").slug
    compare = get(client, f"/cases/compare.csv?cases={case.slug}&cases={other}").content.decode("utf-8-sig")
    assert f"{SITE}/cases/{case.slug}/" in compare
    exported = json.loads(b"".join(get(client, "/cases/export.json").streaming_content))
    assert all(record["url"].startswith(f"{SITE}/cases/") for record in exported["results"])
    assert "localhost" not in sitemap + compare + listing + detail


def test_the_seed_loader_makes_the_site_record_agree_and_the_check_warns_when_it_does_not(seeded, settings):
    settings.CASEBOOK_BASE_URL = SITE
    call_command("load_initial_content", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == (HOST, 443)
    assert not [m for m in run_checks(databases=["default"]) if m.id == "casebook.W001"]

    settings.CASEBOOK_BASE_URL = "http://casebook.example.jp:8080"
    warnings = [m for m in run_checks(databases=["default"]) if m.id == "casebook.W001"]
    assert len(warnings) == 1 and "CASEBOOK_BASE_URL" in warnings[0].msg


def test_without_an_address_links_and_mail_follow_the_request(client, seeded, settings):
    """`PORT=8711 make run`: no CASEBOOK_BASE_URL, and the links name 127.0.0.1:8711, e-mails too."""
    settings.CASEBOOK_BASE_URL = ""
    settings.CASEBOOK_ADMIN_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    here = "http://127.0.0.1:8711"
    html = client.get("/cases/", HTTP_HOST="127.0.0.1:8711").content.decode()
    assert absolute_links(html)["canonical"] == [f"{here}/cases/"]
    feed = feedparser.parse(client.get("/cases/feed/", HTTP_HOST="127.0.0.1:8711").content)
    assert feed.entries and all(entry.link.startswith(f"{here}/cases/") for entry in feed.entries)

    client.post(
        "/alerts/",
        {"email": "tanaka@example.jp", "frequency": "weekly", "filters": "measure=telework"},
        HTTP_HOST="127.0.0.1:8711",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].from_email == "casebook@localhost"  # as the docs say, in development too
    links = re.findall(r"https?://[^\s>]+", mail.outbox[0].body)
    assert links and all(link.startswith(f"{here}/") for link in links), links
    assert all(
        value.startswith(f"<{here}/") for value in [mail.outbox[0].extra_headers.get("List-Unsubscribe", f"<{here}/")]
    )
