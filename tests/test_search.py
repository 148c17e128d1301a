"""Japanese search: /search/, /cases/?q= and the exports, on whichever database runs the suite."""

import json

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction

from casebook.base.search import documents
from casebook.base.search.models import SearchEntry
from cases.models import CasePage

from .factories import make_case
from .helpers import visible_text
from .search_queries import EXPECTED, NOTHING

HOSTILE = [
    '"',
    "'\"<x>",
    "(((",
    "a)b(",
    "NEAR(",
    "x" * 5000,
    "\x00",
    "観\x00光",
    "😀",
    "AND",
    "*",
    "-観光",
    "col:x",
    "%",
]


def slug_of(page):
    page = page.specific
    if page._meta.model_name == "interviewpage":
        return f"{page.get_parent().slug}/interview"
    return page.slug


def found(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return [slug_of(hit["page"]) for hit in response.context["hits"]]


@pytest.mark.django_db
@pytest.mark.parametrize("q", EXPECTED)
def test_query_finds_the_pages_that_contain_it(client, seeded, q):
    assert EXPECTED[q] <= set(found(client, q))


@pytest.mark.django_db
@pytest.mark.parametrize("q", NOTHING)
def test_query_without_matches_finds_nothing_and_says_so(client, seeded, q):
    response = client.get("/search/", {"q": q})
    assert response.context["hits"] == []
    assert "一致するページはありません" in visible_text(response)


@pytest.mark.django_db
def test_cases_come_first_then_other_page_types(client, seeded):
    slugs = found(client, "マイナンバーカード")
    kinds = [
        "case" if s in {h for v in EXPECTED.values() for h in v if "-" in h and "/" not in h} else "other"
        for s in slugs
    ]
    assert kinds == sorted(kinds, key=lambda k: k != "case")
    response = client.get("/search/", {"q": "ポケットカルテ"})
    assert [hit["kind"] for hit in response.context["hits"]] == ["事例", "インタビュー"]


@pytest.mark.django_db
def test_hits_show_a_snippet_with_the_words_marked(client, seeded):
    response = client.get("/search/", {"q": "怪談"})
    html = response.content.decode()
    assert "<mark>怪談</mark>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_answer_200_everywhere(client, seeded, q):
    assert client.get("/search/", {"q": q}).status_code == 200
    assert client.get("/cases/", {"q": q}).status_code == 200
    assert client.get("/cases/export.json", {"q": q}).status_code == 200
    assert client.get("/cases/export.csv", {"q": q}).status_code == 200


@pytest.mark.django_db
def test_case_list_search_combines_with_facets(client, seeded):
    response = client.get("/cases/", {"q": "観光", "measure": "telework"})
    assert [c.slug for c in response.context["page_obj"].object_list] == ["fuchu-workation"]
    assert "テレワークの推進で「観光」を含む事例 (1件)" in visible_text(response)


@pytest.mark.django_db
def test_exports_honour_q_in_relevance_order(client, seeded):
    listed = [c.slug for c in client.get("/cases/", {"q": "市"}).context["page_obj"].object_list]
    exported = json.loads(b"".join(client.get("/cases/export.json", {"q": "市"}).streaming_content))
    assert [r["slug"] for r in exported["results"]] == listed
    assert exported["filters"]["sort"] == "relevance"


@pytest.fixture
def ranking(db):
    from .factories import MunicipalityFactory, make_measures, make_site

    home, measure_index, case_index = make_site()
    measures = make_measures(measure_index)
    lead = MunicipalityFactory()

    def case(title, summary):
        return make_case(case_index, title=title, summary=summary, lead=lead, primary=measures["telework"])

    return case


def test_a_whole_word_outranks_a_match_inside_a_longer_word(client, ranking):
    kyoto = ranking("事例A", "京都の取り組みです。")
    ranking("事例B", "東京都の取り組みです。")  # newer, so it would win a tie
    assert found(client, "京都")[0] == kyoto.slug


def test_a_title_match_outranks_a_body_match(client, ranking):
    in_title = ranking("観光の事例", "まちの取り組みです。")
    ranking("別の事例", "観光の取り組みです。")
    assert found(client, "観光")[0] == in_title.slug


def test_newer_pages_win_ties(client, ranking):
    ranking("事例一", "観光の取り組みです。")
    newer = ranking("事例二", "観光の取り組みです。")
    assert found(client, "観光")[0] == newer.slug


def test_drafts_and_restricted_pages_are_never_found(client, ranking):
    live = ranking("公開の事例", "ひみつのことば を含む公開ページ")
    restricted = ranking("限定の事例", "ひみつのことば を含む限定ページ")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    draft = ranking("下書きの事例", "ひみつのことば を含む下書き")
    draft.unpublish()
    revision_only = CasePage.objects.get(pk=live.pk)
    revision_only.summary = "ひみつのことば と まだ公開していない語"
    revision_only.save_revision()  # a draft revision of a live page
    assert found(client, "ひみつのことば") == [live.slug]
    assert found(client, "まだ公開していない語") == []
    listed = client.get("/cases/", {"q": "ひみつのことば"}).context["page_obj"].object_list
    assert [c.slug for c in listed] == [live.slug]


def test_publishing_unpublishing_and_deleting_update_the_index_at_once(client, ranking):
    case = ranking("新しい事例", "ゆずの里のテレワーク")
    assert found(client, "ゆずの里") == [case.slug]
    case.summary = "みかんの里のテレワーク"
    case.save_revision().publish()
    assert found(client, "ゆずの里") == []
    assert found(client, "みかんの里") == [case.slug]
    case.unpublish()
    assert found(client, "みかんの里") == []
    case.save_revision().publish()
    assert found(client, "みかんの里") == [case.slug]
    Page.objects.get(pk=case.pk).delete()
    assert found(client, "みかんの里") == []


def test_update_index_rebuilds_and_one_failure_does_not_stop_it(client, ranking, monkeypatch):
    good = ranking("よい事例", "すだちの取り組み")
    bad = ranking("こわれた事例", "すだちの取り組み")
    SearchEntry.objects.all().delete()
    assert found(client, "すだち") == []
    real = documents.BUILDERS[CasePage]

    def flaky(case):
        if case.pk == bad.pk:
            raise RuntimeError("broken page")
        return real(case)

    monkeypatch.setitem(documents.BUILDERS, CasePage, flaky)
    call_command("update_index", verbosity=0)
    assert found(client, "すだち") == [good.slug]


def test_an_interview_is_part_of_its_case_text(client, ranking):
    from cases.models import InterviewPage

    case = ranking("取材した事例", "まちの取り組みです。")
    interview = InterviewPage(
        title="担当者インタビュー",
        slug="interview",
        interviewee_name="山田",
        body=[
            {"type": "qa", "value": {"question": "工夫は?", "speaker": "山田", "answer": "<p>かぼすの里で説明会</p>"}}
        ],
    )
    case.add_child(instance=interview)
    interview.save_revision().publish()
    listed = client.get("/cases/", {"q": "かぼすの里"}).context["page_obj"].object_list
    assert [c.slug for c in listed] == [case.slug]
    assert set(found(client, "かぼすの里")) == {case.slug, f"{case.slug}/interview"}
