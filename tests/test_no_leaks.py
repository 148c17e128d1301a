"""Nothing unpublished or restricted shows anywhere public, whoever is signed in.

Each hidden page carries its own marker in its title, summary and a tag; every response body of every
public URL is searched for every marker. The page's own URL is the one place a signed-in reader may see
a login-only page, and a member of the right group a group-only one.
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import PageViewRestriction

from casebook.base.taxonomy.models import GrantProgram, Municipality
from casebook.site.editorial.roles import MODERATORS
from cases.models import CaseIndexPage, CasePage, InterviewPage
from measures.models import MeasurePage

pytestmark = pytest.mark.django_db

MARKERS = {
    "draft": "秘匿マーカーDRAFT",
    "scheduled": "秘匿マーカーSCHEDULED",
    "login": "秘匿マーカーLOGIN",
    "group": "秘匿マーカーGROUP",
    "draft_interview": "秘匿マーカーINTERVIEW",
    "contact": "hitoku-marker-contact",
}


def hidden_case(kind, **extra):
    """A case sharing every facet with the seed's 府中市 case, so a careless filter would show it."""
    marker = MARKERS[kind]
    case = CasePage(
        title=f"府中市のテレワーク {marker}",
        summary=f"観光とテレワーク。{marker}",
        lead_organization=Municipality.objects.get(code="342084"),
        primary_measure=MeasurePage.objects.get(slug="telework"),
        fiscal_year=2021,
        project_cost_yen=22_000_000,
        cost_fiscal_year=2021,
        **extra,
    )
    case.grant_programs = [GrantProgram.objects.get(slug="chiho-sosei-suishin")]
    case.tags.add(f"タグ{marker}", "ワーケーション")
    CaseIndexPage.objects.get().add_child(instance=case)
    return case


@pytest.fixture
def hidden(seeded):
    draft = hidden_case("draft", live=False)
    draft.save_revision()

    scheduled = hidden_case("scheduled", live=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=3)
    scheduled.save_revision().publish()

    login_only = hidden_case("login")
    login_only.save_revision().publish()
    # An alias made before the source was restricted (Wagtail copies restrictions only at creation):
    # it copies the login marker, and takes the source's restriction when served.
    parent = CasePage.objects.get(title="高知県南国市のマイナンバー普及事例")
    alias = login_only.create_alias(parent=parent, update_slug="alias-of-login-only")
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)

    group_only = hidden_case("group")
    group_only.save_revision().publish()
    restriction = PageViewRestriction.objects.create(page=group_only, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name=MODERATORS)])

    interview = InterviewPage(
        title=f"担当者インタビュー {MARKERS['draft_interview']}",
        interviewee_name="秘匿",
        body=[("topic", MARKERS["draft_interview"])],
        live=False,
    )
    parent.add_child(instance=interview)
    interview.save_revision()

    for page in (draft, scheduled):
        assert not CasePage.objects.get(pk=page.pk).live
    # A public case whose municipality did not agree to publish its contact.
    public = CasePage.objects.get(slug="fuchu-workation")
    public.contact_email, public.contact_department = f"{MARKERS['contact']}@example.jp", MARKERS["contact"]
    public.save_revision().publish()
    return {
        "draft": draft,
        "scheduled": scheduled,
        "login": login_only,
        "group": group_only,
        "interview": interview,
        "alias": alias,
    }


def public_urls():
    measures = list(MeasurePage.objects.live())
    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    facet_queries = [
        *[f"measure={m.slug}" for m in measures],
        "prefecture=34",
        "region=chugoku",
        "grant=chiho-sosei-suishin",
        "tag=ワーケーション",
        "year=2021",
        "kind=city",
        "sort=cost",
        "sort=year",
        "q=秘匿マーカー",
        "q=テレワーク",
    ]
    urls = ["/", "/measures/", *[m.url for m in measures], "/cases/", "/cases/prefectures/", case.url]
    urls += [f"/cases/?{query}" for query in facet_queries]
    for query in ("", "q=秘匿マーカー", "measure=telework&prefecture=34", "tag=ワーケーション"):
        urls += [f"/cases/export.csv?{query}", f"/cases/export.json?{query}"]
    urls += ["/search/?q=秘匿マーカー", "/search/?q=テレワーク", "/search/?q=府中市", "/search/?q=担当者インタビュー"]
    # Every other way out: feeds, exports, the API, the sitemap, comparison, charts and the map.
    hidden_slugs = ",".join(p.slug for p in CasePage.objects.filter(title__contains="秘匿マーカー"))
    urls += ["/cases/feed/", "/cases/feed/rss/", "/cases/feed/?measure=telework", "/sitemap.xml"]
    urls += [
        "/cases/export.xlsx",
        "/cases/export.xlsx?measure=telework",
        "/cases/stats/",
        "/cases/stats/?prefecture=34",
    ]
    urls += [
        f"/cases/compare/?cases=fuchu-workation,{hidden_slugs}",
        f"/cases/compare.csv?cases=fuchu-workation,nagoya-vdi,{hidden_slugs}",
    ]
    urls += ["/cases/?near=342084", "/cases/?measure=frontyard-reform", "/cases/?status=expanded"]
    urls += ["/api/v2/pages/?limit=20", "/api/v2/pages/?limit=20&offset=20"]
    urls += ["/api/v2/pages/?type=cases.CasePage&fields=*&limit=20"]
    urls += [f"/api/v2/pages/{CasePage.objects.get(slug='fuchu-workation').pk}/?fields=*"]
    urls += [m.url for m in measures]
    return urls


def body(response):
    content = b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return content.decode("utf-8-sig")


def test_the_api_does_not_serve_an_alias_of_a_login_only_case(client, hidden):
    assert client.get(f"/api/v2/pages/{hidden['alias'].pk}/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "editor", "moderator"])
def test_no_public_listing_shows_a_hidden_page(client, staff, hidden, role):
    if role != "anonymous":
        client.force_login(getattr(staff, role))
    leaks = {}
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        found = [kind for kind, marker in MARKERS.items() if marker in text]
        if found:
            leaks[url] = found
    assert leaks == {}


# Who may open each hidden page at its own URL.
PAGE_ACCESS = {
    "draft": set(),
    "scheduled": set(),
    "interview": set(),
    "login": {"editor", "moderator"},
    "group": {"moderator"},
}


@pytest.mark.parametrize("role", ["anonymous", "editor", "moderator"])
@pytest.mark.parametrize("kind", list(PAGE_ACCESS))
def test_hidden_page_url_opens_only_for_whom_it_is_meant(client, staff, hidden, role, kind):
    if role != "anonymous":
        client.force_login(getattr(staff, role))
    page = hidden[kind]
    url = page.get_url() or f"{page.get_parent().url}{page.slug}/"
    response = client.get(url)
    marker = MARKERS["draft_interview" if kind == "interview" else kind]
    shown = response.status_code == 200 and marker in body(response)
    assert shown is (role in PAGE_ACCESS[kind])
    if not shown:
        assert marker not in body(response)
