"""Feeds per filter: /cases/feed/ (Atom) and /cases/feed/rss/ honour every parameter of the list,
parse with a real feed parser, and never carry a draft or a login-only case."""

import feedparser
import pytest
from wagtail.models import PageViewRestriction

from cases.models import CasePage

from .admin import add_case_url, fill, page_form, post_form
from .helpers import visible_text

pytestmark = pytest.mark.django_db


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


@pytest.mark.parametrize("path", ["/cases/feed/", "/cases/feed/rss/"])
def test_the_feed_holds_the_filtered_lists_cases_newest_first(client, catalog, path):
    response, feed = parsed(client, f"{path}?measure=telework")
    titles = [entry.title for entry in feed.entries]
    listed = [c.title for c in client.get("/cases/?measure=telework&sort=newest").context["page_obj"].object_list]
    assert titles == listed and len(titles) == 2
    assert feed.feed.title == "Casebook 新着事例: テレワークの推進の事例"
    entry = next(e for e in feed.entries if e.title == "府中市のワーケーション")
    assert entry.link == CasePage.objects.get(pk=catalog.cases.workation.pk).full_url
    assert "広島県府中市" in entry.get("author", "") + entry.summary
    assert feed.feed.link.endswith("/cases/?measure=telework")


def test_atom_and_rss_say_the_same(client, catalog):
    _, atom = parsed(client, "/cases/feed/?prefecture=34")
    _, rss = parsed(client, "/cases/feed/rss/?prefecture=34")
    assert atom.version == "atom10" and rss.version == "rss20"
    assert [e.title for e in atom.entries] == [e.title for e in rss.entries] == ["府中市のワーケーション"]


def test_drafts_and_login_only_cases_never_reach_a_feed(client, catalog):
    restricted = CasePage.objects.get(pk=catalog.cases.tokyo_fuchu.pk)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    draft = CasePage.objects.get(pk=catalog.cases.prefecture_led.pk)
    draft.unpublish()
    _, feed = parsed(client, "/cases/feed/")
    assert [e.title for e in feed.entries] == ["府中市のワーケーション"]


def test_the_list_and_measure_pages_link_their_feeds(client, seeded):
    html = client.get("/cases/?measure=telework").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/cases/feed/?measure=telework"' in html and 'href="/cases/feed/rss/?measure=telework"' in html
    measure = client.get("/measures/telework/").content.decode()
    assert 'href="/cases/feed/?measure=telework"' in measure


def test_bad_filters_give_a_valid_feed_of_what_could_be_honoured(client, catalog):
    _, feed = parsed(client, "/cases/feed/?measure=%00nope&year=abc")
    assert len(feed.entries) == 3


def test_a_case_cannot_take_a_slug_the_list_uses(client, catalog, staff):
    client.force_login(staff.editor)
    data = fill(
        page_form(client, add_case_url(catalog.index)),
        {
            "title": "購読という名の事例",
            "slug": "feed",
            "summary": "概要",
            "lead_organization": catalog.cases.workation.lead_organization_id,
            "primary_measure": catalog.measures["telework"].pk,
        },
        body=[],
    )
    response = post_form(client, add_case_url(catalog.index), data)
    assert response.status_code == 200
    assert "事例一覧の機能（新着の購読）が使うため" in visible_text(response)


def test_a_control_character_pasted_into_a_summary_does_not_break_the_feed_or_the_workbook(client, catalog):
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    case.summary = "PDFから貼り付け\x0cた概要\x0b"
    case.save_revision().publish()
    _, feed = parsed(client, "/cases/feed/?measure=telework")
    assert any("PDFから貼り付けた概要" in entry.summary for entry in feed.entries)
    assert client.get("/cases/export.xlsx?measure=telework").status_code == 200
