"""Whole pages kept for anonymous visitors under the content version (casebook/base/core/page_cache.py): a
repeat costs one query; a publish shows at once; nothing a logged-in person, a form's token, a private page
or an error page holds is ever kept or served to someone else."""

import pytest
from django.test import Client

from cases.models import CasePage

from .test_no_leaks import MARKERS, PAGE_ACCESS, body, hidden, public_urls  # noqa: F401 (hidden: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.CASEBOOK_PAGE_CACHE = True


def test_a_repeated_anonymous_page_is_sent_from_the_cache_with_one_query(client, seeded, django_assert_num_queries):
    first = client.get("/cases/?measure=telework")
    assert first.status_code == 200 and first.context is not None  # rendered
    with django_assert_num_queries(1):  # the content version's read
        again = client.get("/cases/?measure=telework")
    assert again.content == first.content and again.context is None
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Frame-Options"] == first["X-Frame-Options"]
    # The query's order does not matter; another host, scheme or query is another page.
    assert client.get("/cases/?measure=telework").context is None
    assert client.get("/cases/?measure=security").context is not None
    assert client.get("/cases/?measure=telework", HTTP_HOST="localhost").context is not None


def test_a_publish_is_seen_on_the_next_request(client, seeded):
    case = CasePage.objects.get(slug="fuchu-workation")
    client.get(case.url)
    case.title = "公開し直したタイトル"
    case.save_revision().publish()
    assert "公開し直したタイトル" in client.get(case.url).content.decode()


def test_logged_in_visitors_are_never_served_nor_kept(client, seeded, staff):
    client.force_login(staff.editor)
    seen = client.get("/cases/")
    assert seen.context is not None
    assert client.get("/cases/").context is not None  # not from the cache
    anonymous = Client()
    assert anonymous.get("/cases/").context is not None  # the editor's page was not kept


def test_a_page_whose_form_holds_the_visitors_token_is_not_kept(client, seeded):
    first = client.get("/alerts/?measure=telework")  # the sign-up form posts: its CSRF token is the visitor's
    assert first.status_code == 200
    assert client.get("/alerts/?measure=telework").context is not None
    submit = CasePage.objects.filter(live=True).first().get_parent().url + "submit/"
    client.get(submit)
    assert Client().get(submit).context is not None


def test_error_pages_are_not_kept(client, seeded):
    assert client.get("/cases/no-such-case/").status_code == 404
    assert client.get("/cases/no-such-case/").status_code == 404


def test_no_hidden_page_reaches_an_anonymous_visitor_through_the_cache(client, staff, hidden):  # noqa: F811
    """Staff open every hidden page and every public URL first; then an anonymous visitor does."""
    moderator = Client()
    moderator.force_login(staff.moderator)
    urls = public_urls()
    pages = {
        kind: page.get_url() or f"{page.get_parent().url}{page.slug}/"
        for kind, page in hidden.items()
        if kind in PAGE_ACCESS
    }
    for url in [*urls, *pages.values()]:
        moderator.get(url)
    anonymous = Client()
    for url in urls:
        text = body(anonymous.get(url))
        assert not [kind for kind, marker in MARKERS.items() if marker in text], url
        text = body(anonymous.get(url))  # and once more, from the cache where it was kept
        assert not [kind for kind, marker in MARKERS.items() if marker in text], url
    for kind, url in pages.items():
        marker = MARKERS["draft_interview" if kind == "interview" else kind]
        assert marker not in body(anonymous.get(url))
