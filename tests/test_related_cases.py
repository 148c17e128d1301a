"""Related cases worked out from data, under the editor's own picks on a case page: up to four public cases
sharing the most with it (the same measure, shared tags, the same grant type, a lead organization of similar
size, a nearby one), each with its reasons in words; deterministic, cached, and with a query count that does
not grow with the number of cases."""

import re

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from casebook.base.core.cache import forget_process_memory
from casebook.base.taxonomy.models import Municipality
from cases.discovery.related import MAX_WORKED_OUT, related_cases, worked_out
from cases.models import CasePage, CaseRelatedCase

from .factories import GrantProgramFactory, MunicipalityFactory, PrefectureFactory, make_case, make_measures, make_site
from .helpers import visible_text

pytestmark = pytest.mark.django_db

FUCHU, NANKOKU = "fuchu-workation", "nankoku-health-portal"
# 府中市 (広島県)'s town hall, and a place far from it (札幌).
HERE, FAR = (34.568, 133.236), (43.064, 141.347)


def related_items(html: str) -> dict[str, str]:
    """Worked-out related case title → its reason, as the page shows them."""
    section = html.split('id="related"', 1)[1]
    items = re.findall(r'<li class="related-case">(.*?)</li>', section, flags=re.S)
    found = {}
    for item in items:
        title = re.search(r'<a href="[^"]*">([^<]+)</a>', item).group(1)
        found[title] = re.search(r"共通点: ([^<]+)</p>", item).group(1).strip()
    return found


# The seed


def test_fuchus_case_offers_nankokus_as_a_town_of_similar_size(client, seeded):
    html = client.get(f"/cases/{FUCHU}/").content.decode()
    nankoku = CasePage.objects.get(slug=NANKOKU)
    found = related_items(html)
    assert nankoku.title in found
    assert "人口規模が近い" in found[nankoku.title].split("・")  # 46,648人 is within half to twice 37,226人
    assert "共通点の多い事例" in visible_text(client.get(f"/cases/{FUCHU}/"))


def test_the_seed_cases_never_offer_themselves_or_an_editors_pick_again(client, seeded):
    for case in CasePage.objects.live():
        picks = set(case.related_case_links.values_list("case_id", flat=True))
        offered = {item.case.pk for item in related_cases(case).worked_out}
        assert case.pk not in offered
        assert not offered & picks
        assert len(offered) <= MAX_WORKED_OUT


# Built cases


@pytest.fixture
def town():
    """A city of 40,000 and cases around it: one sharing everything, one only its size, one nothing."""
    _, measure_index, index = make_site()
    m = make_measures(measure_index)
    pref = PrefectureFactory()

    def org(population, kind="city", where=HERE):
        return MunicipalityFactory(
            kind=kind, prefecture=pref, population=population, latitude=where[0], longitude=where[1]
        )

    kofukin = GrantProgramFactory(grant_type="kofukin")
    other_kofukin = GrantProgramFactory(name="デジタル田園都市国家構想交付金", slug="denen", grant_type="kofukin")
    home = org(40_000)

    def case(title, lead, primary="telework", **fields):
        return make_case(index, title=title, lead=lead, primary=m[primary], **fields)

    target = case("本体の事例", home, tags=["観光", "キャンプ場"], grants=[kofukin])
    everything = case(
        "何もかも近い事例",
        org(50_000, where=(34.60, 133.30)),
        tags=["観光", "キャンプ場"],
        grants=[other_kofukin],
    )
    size_only = case("人口だけ近い事例", org(30_000, where=FAR), primary="security")
    case("何も共通しない事例", org(900_000, kind="designated-city", where=FAR), primary="security")
    return {
        "index": index,
        "m": m,
        "org": org,
        "case": case,
        "target": target,
        "everything": everything,
        "size_only": size_only,
        "home": home,
        "kofukin": kofukin,
    }


def offered(case) -> list[tuple[str, str]]:
    return [(item.case.title, item.reason) for item in related_cases(CasePage.objects.get(pk=case.pk)).worked_out]


def test_the_case_sharing_most_comes_first_with_every_reason_in_words(town):
    assert offered(town["target"]) == [
        ("何もかも近い事例", "同じ重点取組事項・共通のタグ・同じ財源の種類・人口規模が近い・近くの団体"),
        ("人口だけ近い事例", "人口規模が近い"),
    ]


def test_a_case_sharing_nothing_is_not_offered(town):
    assert "何も共通しない事例" not in [title for title, _ in offered(town["target"])]


def test_an_other_measure_counts_as_the_same_measure(town):
    other = town["case"](
        "その他の取組で同じ事例",
        town["org"](900_000, kind="designated-city", where=FAR),
        primary="security",
        others=[town["m"]["telework"]],
    )
    assert ("その他の取組で同じ事例", "同じ重点取組事項") in offered(town["target"])
    assert other.pk not in [item.case.pk for item in related_cases(other).picked]


def test_each_tag_in_common_counts(town):
    org, case = town["org"], town["case"]
    far = (26.212, 127.681)  # 那覇: near neither the target nor the other cases
    two = case(
        "タグが2つ共通の事例",
        org(900_000, kind="designated-city", where=far),
        primary="ai-rpa",
        tags=["観光", "キャンプ場"],
    )
    one = case("タグが1つ共通の事例", org(900_000, kind="designated-city", where=far), primary="ai-rpa", tags=["観光"])
    found = offered(town["target"])
    titles = [title for title, _ in found]
    assert titles.index(two.title) < titles.index(one.title)  # the older one, with more in common
    assert dict(found)[two.title] == dict(found)[one.title] == "共通のタグ"


def test_never_the_case_itself_an_unpublished_or_a_private_case(town):
    org = town["org"]
    draft = town["case"]("非公開に戻した事例", org(45_000), tags=["観光"])
    draft.unpublish()
    private = town["case"]("ログインが必要な事例", org(45_000), tags=["観光"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    titles = [title for title, _ in offered(town["target"])]
    assert "本体の事例" not in titles
    assert "非公開に戻した事例" not in titles
    assert "ログインが必要な事例" not in titles


def test_an_editors_pick_is_shown_once_among_the_picks_not_again(client, town):
    target, everything = town["target"], town["everything"]
    target.related_case_links = [CaseRelatedCase(case=everything)]
    target.save_revision().publish()
    related = related_cases(CasePage.objects.get(pk=target.pk))
    assert [case.pk for case in related.picked] == [everything.pk]
    assert everything.pk not in [item.case.pk for item in related.worked_out]
    html = client.get(target.url).content.decode()
    assert html.count(f'href="{everything.url}"') == 1
    assert list(related_items(html)) == ["人口だけ近い事例"]


def test_at_most_four_ties_going_to_the_newest(town):
    org, case = town["org"], town["case"]
    made = [case(f"同じ規模の事例{n}", org(40_000 + n, where=FAR), primary="security") for n in range(6)]
    titles = [title for title, _ in offered(town["target"])]
    assert len(titles) == MAX_WORKED_OUT
    assert titles[0] == "何もかも近い事例"
    # The rest tie on 人口規模が近い alone: newest first, the same every time.
    assert titles[1:] == [c.title for c in reversed(made)][:3]
    assert titles == [title for title, _ in offered(town["target"])]


def test_a_town_is_like_a_village_but_not_like_a_city_of_the_same_size(town):
    village_home = town["org"](8_000, kind="village", where=FAR)
    target = town["case"]("村の事例", village_home, primary="security")
    town["case"]("町の事例", town["org"](12_000, kind="town", where=HERE), primary="ai-rpa")
    town["case"]("市の事例", town["org"](9_000, kind="city", where=HERE), primary="ai-rpa")
    titles = [title for title, _ in offered(target)]
    assert "町の事例" in titles and "市の事例" not in titles


def test_the_choice_is_cached_and_a_change_of_content_is_seen(town, django_assert_max_num_queries):
    target = CasePage.objects.get(pk=town["target"].pk)
    picked = target.related_cases()
    first = [item.case.pk for item in worked_out(target, picked)]
    # Only the cards and their other measures (and, outside a request, the content version per cached value).
    with django_assert_max_num_queries(4) as captured:
        assert [item.case.pk for item in worked_out(target, picked)] == first
    assert not [q for q in captured.captured_queries if "casetag" in q["sql"] or "score" in q["sql"]]
    newer = town["case"](
        "新しく公開した近い事例", town["org"](41_000), tags=["観光", "キャンプ場"], grants=[town["kofukin"]]
    )
    assert newer.pk in [item.case.pk for item in worked_out(target, picked)]


def page_queries(client, case, django_assert_max_num_queries) -> int:
    """The queries of the case page with every cache empty (after a first request: Wagtail's own
    per-process look-up of the site is not the page's)."""
    client.get(case.url)
    cache.clear()
    forget_process_memory()
    with django_assert_max_num_queries(60) as captured:
        response = client.get(case.url)
    assert response.status_code == 200
    assert len(related_items(response.content.decode())) == MAX_WORKED_OUT
    return len(captured.captured_queries)


def test_the_case_pages_queries_do_not_grow_with_the_number_of_cases(client, town, django_assert_max_num_queries):
    org, case = town["org"], town["case"]
    target = town["target"]

    def add(count, start):
        for n in range(start, start + count):
            # Every one shares something with the target (a tag, its size, its measure or its place).
            case(
                f"生成した事例{n}",
                org(35_000 + n, where=HERE if n % 2 else FAR),
                primary="telework" if n % 3 else "security",
                tags=["観光"] if n % 4 else [],
            )

    add(5, 0)
    small = page_queries(client, target, django_assert_max_num_queries)
    add(55, 5)
    assert CasePage.objects.live().count() > 60
    large = page_queries(client, target, django_assert_max_num_queries)
    assert small == large


def test_a_case_whose_lead_has_no_figures_or_position_still_gets_its_shared_measure(town):
    bare = Municipality.objects.get(pk=town["home"].pk)
    Municipality.objects.filter(pk=bare.pk).update(population=None, latitude=None, longitude=None)
    titles = [title for title, _ in offered(town["target"])]
    assert titles[0] == "何もかも近い事例"
    assert dict(offered(town["target"]))["何もかも近い事例"] == "同じ重点取組事項・共通のタグ・同じ財源の種類"
