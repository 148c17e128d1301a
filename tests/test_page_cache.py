"""Whole pages kept for anonymous visitors under the content version (casebook/base/core/page_cache.py): a
repeat costs one query; a publish shows at once; nothing a logged-in person, a form's token, a private page
or an error page holds is ever kept or served to someone else."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cases.models import CasePage

from .admin import edit_url, fill, page_form, post_form
from .factories import make_case
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


def locmem(name: str) -> dict:
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}}


def test_a_page_kept_for_one_host_is_not_served_for_another(client, seeded):
    kept = client.get("/cases/", HTTP_HOST="localhost")
    assert kept.context is not None
    assert client.get("/cases/", HTTP_HOST="localhost").context is None  # kept for that host
    other = client.get("/cases/", HTTP_HOST="127.0.0.1")
    assert other.context is not None  # rendered for this host, not the other's copy


def test_a_change_made_in_another_process_is_seen_on_the_next_request(client, seeded):
    """The server keeps the page in its own cache; a cron job with a cache of its own publishes a case."""
    with override_settings(CACHES=locmem("server")):
        client.get("/cases/?measure=telework")
        assert client.get("/cases/?measure=telework").context is None  # served from the server's cache
    with override_settings(CACHES=locmem("cron")):
        lead = CasePage.objects.get(slug="fuchu-workation")
        make_case(
            lead.get_parent(),
            title="別のプロセスで公開した事例",
            lead=lead.lead_organization,
            primary=lead.primary_measure,
        )
    with override_settings(CACHES=locmem("server")):
        assert "別のプロセスで公開した事例" in body(client.get("/cases/?measure=telework"))


def test_a_preview_is_never_served_from_the_cache_nor_kept_for_the_public(client, seeded, staff):
    case = CasePage.objects.get(slug="fuchu-workation")
    anonymous = Client()
    anonymous.get(case.url)
    assert anonymous.get(case.url).context is None  # the public copy is kept
    client.force_login(staff.editor)
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(case.pk,))
    data = fill(page_form(client, edit_url(case)), {"title": "プレビュー中の題"}, body=[])
    assert post_form(client, preview, data).json()["is_valid"]
    shown = client.get(preview).content.decode()
    assert "プレビュー中の題" in shown  # the draft, not the kept public page
    public = body(anonymous.get(case.url))
    assert "プレビュー中の題" not in public and case.title in public
    assert "プレビュー中の題" not in body(Client().get(case.url))


def test_a_login_only_page_is_never_kept_nor_served_to_the_public(client, seeded, staff):
    case = CasePage.objects.get(slug="fuchu-workation")
    anonymous = Client()
    assert anonymous.get(case.url).status_code == 200  # kept while public
    PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(staff.editor)
    assert case.title in body(client.get(case.url))  # the editor reads it
    for visitor in (anonymous, Client()):
        response = visitor.get(case.url)
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert case.title not in body(response)


def test_a_returning_reader_gets_not_modified_until_the_content_changes(client, seeded):
    first = client.get("/cases/?measure=telework")
    tag = first["ETag"]
    again = client.get("/cases/?measure=telework", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    case = CasePage.objects.get(slug="fuchu-workation")
    case.title = "304のあとの改題"
    case.save_revision().publish()
    changed = client.get("/cases/?measure=telework", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and "304のあとの改題" in body(changed)
    assert changed["ETag"] != tag
