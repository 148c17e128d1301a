"""The plan's editions: the 2020 six and the seven of 第2.3版 in one library, numbered by edition,
with the crosswalk from 行政手続のオンライン化 to フロントヤード改革 in filters, counts, exports and search."""

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from measures.models import MeasurePage, PlanVersion

from .factories import FIRST_PLAN_NUMBERS, MeasurePageFactory, make_plan_version
from .helpers import visible_text

pytestmark = pytest.mark.django_db

YAMAGATA = "山形県の行政手続のオンライン化導入事例"
FUCHU = "広島県府中市のテレワーク環境の整備事例"
CURRENT_SEVEN = [
    (1, "自治体フロントヤード改革の推進"),
    (2, "自治体の情報システムの標準化・共通化"),
    (3, "公金収納におけるeLTAXの活用"),
    (4, "マイナンバーカードの普及促進・利用の推進"),
    (5, "セキュリティ対策の徹底"),
    (6, "自治体のAI・RPAの利用推進"),
    (7, "テレワークの推進"),
]
CROSSWALK_NOTE = "2020年版の『行政手続のオンライン化』として登録"


def titles(response) -> list[str]:
    return [case.title for case in response.context["page_obj"].object_list]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_measures_page_lists_the_seven_of_the_latest_edition_in_its_order(client, seeded):
    response = client.get("/measures/")
    assert [(number, title) for number, title, _ in response.context["measures"]] == CURRENT_SEVEN
    text = visible_text(response)
    assert "掲載している最新版" in text
    assert "【第2.3版】" in text and "2024年2月5日" in text
    assert 'href="/measures/?version=2020"' in response.content.decode()
    # The 2020 measure that 第2.3版 folded in is still reachable, with where it went.
    assert "第2.3版では「自治体フロントヤード改革の推進」に含まれます" in text


def test_the_earlier_edition_lists_the_2020_six_with_their_numbers(client, seeded):
    response = client.get("/measures/?version=2020")
    assert [(number, page.slug) for number, _, page in response.context["measures"]] == FIRST_PLAN_NUMBERS
    assert "以前の版" in visible_text(response)


def test_an_unknown_edition_shows_the_latest_with_a_japanese_note(client, seeded):
    response = client.get("/measures/", {"version": "<script>9.9"})
    assert response.status_code == 200
    assert "指定された計画の版は見つからない" in visible_text(response)
    assert len(response.context["measures"]) == 7


def test_the_home_page_shows_the_latest_editions_measures(client, seeded):
    response = client.get("/")
    assert [(number, title) for number, title, _ in response.context["measures"]] == CURRENT_SEVEN
    assert "7つの重点取組事項" in visible_text(response)


def test_frontyard_reform_lists_the_yamagata_case_with_its_crosswalk_note(client, seeded):
    response = client.get("/cases/?measure=frontyard-reform")
    assert titles(response) == [YAMAGATA]
    assert CROSSWALK_NOTE in visible_text(response)
    # A case of a measure in the latest edition carries no such note.
    assert "として登録" not in visible_text(client.get("/cases/?measure=telework"))


def test_facet_counts_honour_the_crosswalk_and_follow_the_latest_order(client, seeded):
    groups = {group.name: group for group in client.get("/cases/").context["facet_groups"]}
    options = {option.value: option for option in groups["measure"].options}
    assert options["frontyard-reform"].count == 1
    assert options["online-procedures"].count == 1
    assert options["online-procedures"].label == "自治体の行政手続のオンライン化（2020年版）"
    assert [option.value for option in groups["measure"].options][0] == "frontyard-reform"


def test_the_crosswalk_combines_with_other_facets(client, seeded):
    assert titles(client.get("/cases/?measure=frontyard-reform&region=tohoku")) == [YAMAGATA]
    assert titles(client.get("/cases/?measure=frontyard-reform&region=chugoku")) == []


def test_json_export_numbers_measures_by_the_latest_edition_and_names_it(client, seeded):
    data = json.loads(body_of(client.get("/cases/export.json?measure=frontyard-reform")))
    assert data["plan_version"] == {
        "slug": "2-3",
        "name": "自治体デジタル・トランスフォーメーション（DX）推進計画【第2.3版】",
        "short_name": "第2.3版",
        "issued_on": "2024-02-05",
    }
    [yamagata] = data["results"]
    assert yamagata["measures"] == [
        {
            "slug": "online-procedures",
            "number": None,
            "title": "自治体の行政手続のオンライン化",
            "filed": {"plan_version": "2020", "plan_version_name": "2020年版", "number": 3},
            "current": {"slug": "frontyard-reform", "number": 1, "title": "自治体フロントヤード改革の推進"},
        }
    ]
    # 府中市's case (令和3年度) was filed under the 2020 plan, where telework was 5; it is 7 now.
    [fuchu] = json.loads(body_of(client.get("/cases/export.json?measure=telework")))["results"]
    assert fuchu["measures"] == [
        {
            "slug": "telework",
            "number": 7,
            "title": "テレワークの推進",
            "filed": {"plan_version": "2020", "plan_version_name": "2020年版", "number": 5},
        }
    ]


def test_csv_export_says_which_edition_its_numbers_follow(client, seeded):
    rows = list(csv.DictReader(io.StringIO(body_of(client.get("/cases/export.csv")).decode("utf-8-sig"))))
    by_title = {row["タイトル"]: row for row in rows}
    assert by_title[FUCHU]["重点取組事項"] == "7. テレワークの推進（2020年版 5）"
    assert by_title[YAMAGATA]["重点取組事項"] == (
        "自治体の行政手続のオンライン化（2020年版 3） → 1. 自治体フロントヤード改革の推進"
    )
    assert {row["重点取組事項の番号の版"] for row in rows} == {
        "自治体デジタル・トランスフォーメーション（DX）推進計画【第2.3版】（2024-02-05）"
    }


def test_a_search_for_the_successor_finds_the_cases_of_its_predecessor(client, seeded):
    response = client.get("/search/", {"q": "フロントヤード改革"})
    assert YAMAGATA in [hit["page"].title for hit in response.context["hits"]]


def test_the_two_new_measure_pages_state_only_their_edition(client, seeded):
    for slug, heading in (
        ("frontyard-reform", "1. 自治体フロントヤード改革の推進"),
        ("eltax", "3. 公金収納におけるeLTAXの活用"),
    ):
        response = client.get(f"/measures/{slug}/")
        text = visible_text(response)
        assert heading in text
        assert "【第2.3版】" in text
        # No statistics or targets until an editor adds sourced ones; the seed article is not their source.
        assert "主な統計" not in text and "国の目標" not in text
        assert "事例5選" not in text
    # フロントヤード改革 shows the cases it took over.
    assert YAMAGATA in visible_text(client.get("/measures/frontyard-reform/"))


def test_the_2020_page_keeps_its_address_and_points_to_its_successor(client, seeded):
    response = client.get("/measures/online-procedures/")
    assert response.status_code == 200
    text = visible_text(response)
    assert "2020年版 3. 自治体の行政手続のオンライン化" in text
    assert "その事例は「自治体フロントヤード改革の推進」でも表示されます" in text
    # A measure in both editions shows both numbers.
    assert "重点取組事項（第2.3版 7・2020年版 5）" in visible_text(client.get("/measures/telework/"))


def edition_form(entries, slug="3-0", issued_on="2026-04-01"):
    return nested_form_data(
        {
            "name": "自治体DX推進計画【第3.0版】",
            "short_name": "第3.0版",
            "slug": slug,
            "issued_on": issued_on,
            "source_title": "",
            "source_url": "",
            "entries": inline_formset(entries),
        }
    )


def test_a_moderator_adds_the_next_edition_with_eight_measures_in_the_admin(client, seeded, staff):
    measures = list(MeasurePage.objects.order_by("path"))
    assert len(measures) == 8
    client.force_login(staff.moderator)
    entries = [{"number": n, "measure": m.pk, "title": f"新しい名称{n}"} for n, m in enumerate(measures, start=1)]
    response = client.post(reverse("wagtailsnippets_measures_planversion:add"), edition_form(entries))
    assert response.status_code == 302, response.context["form"].errors
    page = client.get("/measures/")
    assert [number for number, _, _ in page.context["measures"]] == list(range(1, 9))
    assert "第3.0版" in visible_text(page)
    assert "新しい名称8" in visible_text(page)


def test_an_edition_with_a_number_twice_is_refused_in_japanese(client, seeded, staff):
    a, b = MeasurePage.objects.order_by("path")[:2]
    client.force_login(staff.moderator)
    entries = [{"number": 1, "measure": a.pk, "title": "一"}, {"number": 1, "measure": b.pk, "title": "二"}]
    response = client.post(reverse("wagtailsnippets_measures_planversion:add"), edition_form(entries))
    assert response.status_code == 200
    assert "同じ番号が一つの版に2回以上あります: 1" in response.content.decode()
    assert not PlanVersion.objects.filter(slug="3-0").exists()


def test_editors_see_the_editions_but_cannot_change_them(client, seeded, staff):
    client.force_login(staff.editor)
    assert client.get(reverse("wagtailsnippets_measures_planversion:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_measures_planversion:add")).status_code == 302


def test_a_successor_chain_cannot_loop(seeded):
    online = MeasurePage.objects.get(slug="online-procedures")
    frontyard = MeasurePage.objects.get(slug="frontyard-reform")
    assert online.successor == frontyard
    frontyard.successor = online
    with pytest.raises(ValidationError) as error:
        frontyard.clean()
    assert "循環" in str(error.value)


def test_the_filed_edition_follows_the_cases_fiscal_year(catalog):
    """A case of 2025 is filed under an edition out by then; one of 2021 under the first."""
    from measures.models import read_plan

    telework = catalog.measures["telework"]
    make_plan_version("next", "次の版", datetime.date(2024, 2, 5), [telework])
    plan = read_plan()
    assert plan.filed_version(telework.pk, 2025).slug == "next"
    assert plan.filed_version(telework.pk, 2021).slug == "2020"
    # Without a year, or before any edition, no earlier edition's number is claimed.
    assert plan.filed_version(telework.pk, None).slug == "next"
    assert plan.filed_version(telework.pk, 2015).slug == "next"


def test_a_two_step_succession_finds_and_counts_the_first_editions_cases(client, catalog):
    """行政手続のオンライン化 → フロントヤード改革 → a later measure: the later one covers both."""
    online = catalog.measures["online-procedures"]
    index = online.get_parent()
    frontyard = MeasurePageFactory(parent=index, slug="frontyard", title="フロントヤード")
    later = MeasurePageFactory(parent=index, slug="later", title="その次")
    for page, successor in ((online, frontyard), (frontyard, later)):
        page.successor = successor
        page.save_revision().publish()
    make_plan_version("next", "次の版", datetime.date(2030, 4, 1), [later, catalog.measures["telework"]])
    response = client.get("/cases/?measure=later")
    assert titles(response) == ["東京都の電子申請"]
    assert "2020年版の『短い名前』として登録" in visible_text(response)
    options = {o.value: o.count for g in client.get("/cases/").context["facet_groups"] for o in g.options}
    assert options["later"] == 1 and options["frontyard"] == 1 and options["online-procedures"] == 1


def test_an_edition_of_draft_measures_does_not_take_over(client, seeded):
    """A new edition whose pages are still drafts is not shown, and the latest stays 第2.3版."""
    index = MeasurePage.objects.get(slug="telework").get_parent()
    draft = MeasurePageFactory(parent=index, slug="draft-measure", title="下書きの事項", live=False)
    make_plan_version("next", "次の版", datetime.date(2030, 4, 1), [draft])
    response = client.get("/measures/")
    assert [(number, title) for number, title, _ in response.context["measures"]] == CURRENT_SEVEN
    assert "下書きの事項" not in visible_text(response)


def test_search_follows_the_successors_title_and_its_unpublishing(client, seeded):
    frontyard = MeasurePage.objects.get(slug="frontyard-reform")
    frontyard.title = "窓口改革の推進"
    frontyard.save_revision().publish()
    hits = client.get("/search/", {"q": "窓口改革"}).context["hits"]
    assert YAMAGATA in [hit["page"].title for hit in hits]
    frontyard.unpublish()
    hits = client.get("/search/", {"q": "窓口改革"}).context["hits"]
    assert YAMAGATA not in [hit["page"].title for hit in hits]
