"""The case list at /cases/: each facet, combinations, counts, bad values, pages and robots."""

import json
import re

import pytest

from casebook.base.taxonomy.models import Municipality

from .factories import make_case
from .helpers import visible_text


def listed_titles(response):
    return [case.title for case in response.context["page_obj"].object_list]


def get(client, query=""):
    response = client.get(f"/cases/{query}")
    assert response.status_code == 200
    return response


def test_unfiltered_list_shows_all_cases_newest_first(client, catalog):
    assert listed_titles(get(client)) == ["東京都の電子申請", "東京の府中市のセキュリティ", "府中市のワーケーション"]


def test_measure_matches_primary_and_other_measures(client, catalog):
    titles = listed_titles(get(client, "?measure=telework"))
    assert titles == ["東京の府中市のセキュリティ", "府中市のワーケーション"]


def test_prefecture_of_a_partner_places_a_case_there(client, catalog):
    assert listed_titles(get(client, "?prefecture=33")) == ["府中市のワーケーション"]


def test_a_visited_municipality_does_not_place_a_case(client, catalog):
    assert listed_titles(get(client, "?prefecture=37")) == []
    assert listed_titles(get(client, "?region=shikoku")) == []


def test_the_two_fuchu_are_told_apart(client, catalog):
    assert listed_titles(get(client, "?prefecture=34")) == ["府中市のワーケーション"]
    assert listed_titles(get(client, "?prefecture=13")) == ["東京都の電子申請", "東京の府中市のセキュリティ"]


def test_region_grant_tag_year_kind_and_q(client, catalog):
    assert listed_titles(get(client, "?region=chugoku")) == ["府中市のワーケーション"]
    assert listed_titles(get(client, "?grant=chiho-sosei-suishin")) == ["府中市のワーケーション"]
    assert listed_titles(get(client, "?tag=観光")) == ["東京都の電子申請", "府中市のワーケーション"]
    assert listed_titles(get(client, "?year=2020")) == ["東京の府中市のセキュリティ"]
    assert listed_titles(get(client, "?kind=prefecture")) == ["東京都の電子申請"]
    assert listed_titles(get(client, "?q=ワーケーション")) == ["府中市のワーケーション"]


def test_several_values_of_one_facet_mean_or(client, catalog):
    titles = listed_titles(get(client, "?measure=security&measure=online-procedures"))
    assert titles == ["東京都の電子申請", "東京の府中市のセキュリティ"]
    assert len(listed_titles(get(client, "?prefecture=34&prefecture=13"))) == 3


def test_different_facets_and_together(client, catalog):
    assert listed_titles(get(client, "?measure=telework&prefecture=13")) == ["東京の府中市のセキュリティ"]
    assert listed_titles(get(client, "?tag=観光&year=2021&region=chugoku")) == ["府中市のワーケーション"]
    assert listed_titles(get(client, "?measure=security&grant=chiho-sosei-suishin")) == []


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("oldest", ["府中市のワーケーション", "東京の府中市のセキュリティ", "東京都の電子申請"]),
        ("cost", ["東京の府中市のセキュリティ", "府中市のワーケーション", "東京都の電子申請"]),
        ("cost_desc", ["府中市のワーケーション", "東京の府中市のセキュリティ", "東京都の電子申請"]),
    ],
)
def test_sort_orders_with_unknown_costs_last(client, catalog, sort, expected):
    assert listed_titles(get(client, f"?sort={sort}")) == expected


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("year", ["東京の府中市のセキュリティ", "府中市のワーケーション", "東京都の電子申請", "年度不明の事例"]),
        ("year_desc", ["東京都の電子申請", "府中市のワーケーション", "東京の府中市のセキュリティ", "年度不明の事例"]),
    ],
)
def test_sort_by_fiscal_year_puts_unknown_years_last(client, catalog, sort, expected):
    make_case(
        catalog.index,
        title="年度不明の事例",
        lead=catalog.cases.workation.lead_organization,
        primary=catalog.measures["telework"],
    )
    response = get(client, f"?sort={sort}")
    assert listed_titles(response) == expected
    assert f'value="{sort}" selected' in response.content.decode()


def test_newest_says_it_is_the_order_of_publication(client, catalog):
    assert "新着順（掲載日の新しい順）" in get(client).content.decode()


def test_facet_counts_follow_the_other_filters(client, catalog):
    groups = {
        g.name: {o.value: o.count for o in g.options} for g in get(client, "?measure=telework").context["facet_groups"]
    }
    # Counted against the cases that match every other filter: measure counts ignore measure itself.
    assert groups["measure"] == {"online-procedures": 1, "telework": 2, "security": 1}
    assert groups["prefecture"] == {"13": 1, "33": 1, "34": 1}
    assert groups["region"] == {"kanto": 1, "chugoku": 1}
    assert groups["year"] == {"2021": 1, "2020": 1}
    assert groups["grant"] == {"chiho-sosei-suishin": 1}
    assert "37" not in groups["prefecture"]  # zero counts are not offered


def test_a_value_that_would_empty_the_list_is_not_offered_as_a_link(client, catalog):
    html = get(client, "?prefecture=34").content.decode()
    assert 'value="security"' not in html  # no case in 広島県 has it
    assert 'value="telework"' in html


def test_title_and_heading_say_what_is_filtered(client, catalog):
    response = get(client, "?measure=telework&prefecture=34")
    assert "テレワークの推進 × 広島県の事例 (1件)" in visible_text(response)
    assert re.search(r"<title>テレワークの推進 × 広島県の事例 \(1件\)", response.content.decode())


def test_active_filters_are_removable_chips_and_one_link_clears_all(client, catalog):
    html = get(client, "?measure=telework&prefecture=34").content.decode()
    assert 'href="?prefecture=34"' in html  # removing the measure keeps the prefecture
    assert 'href="?measure=telework"' in html
    assert "すべての条件を解除" in html


def test_empty_result_names_the_filters_and_offers_to_drop_each(client, catalog):
    response = get(client, "?measure=security&grant=chiho-sosei-suishin")
    text = visible_text(response)
    assert "条件に合う事例はありません" in text
    assert "重点取組事項「セキュリティ対策の徹底」を外す" in text
    assert "財源制度「地方創生推進交付金」を外す" in text


@pytest.mark.parametrize(
    "query, expected_titles, note",
    [
        ("?measure=nonexistent&prefecture=34", ["府中市のワーケーション"], "重点取組事項「nonexistent」"),
        ("?prefecture=99&measure=security", ["東京の府中市のセキュリティ"], "都道府県「99」"),
        ("?grant=zzz&year=abc&kind=castle&tag=nope", None, "財源制度「zzz」"),
        ("?region=mars&sort=sideways", None, "地方「mars」"),
        ("?year=1800", None, "年度「1800」"),
    ],
)
def test_bad_values_are_ignored_with_a_note_and_the_rest_applied(client, catalog, query, expected_titles, note):
    response = get(client, query)
    if expected_titles is not None:
        assert listed_titles(response) == expected_titles
    else:
        assert len(listed_titles(response)) == 3
    assert note in visible_text(response)


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=99999", "?page=", "?page=1.5"])
def test_bad_page_numbers_show_a_page_not_an_error(client, catalog, query):
    assert len(listed_titles(get(client, query))) == 3


def test_hostile_text_never_breaks_the_list(client, catalog):
    assert get(client, "?q=" + "観" * 5000).status_code == 200
    assert "先頭の200文字" in visible_text(get(client, "?q=" + "観" * 5000))
    assert get(client, "?q=%00&measure=%00telework").status_code == 200
    assert get(client, "?q=%FF%FE&prefecture=%E3").status_code == 200
    assert listed_titles(get(client, "?q=%00ワーケーション")) == ["府中市のワーケーション"]


def test_combined_filters_are_not_indexed_but_single_facet_pages_are(client, catalog):
    assert get(client, "?measure=telework&prefecture=34").get("X-Robots-Tag") == "noindex, follow"
    assert get(client, "?measure=telework&measure=security").get("X-Robots-Tag") == "noindex, follow"
    assert get(client, "?q=観光").get("X-Robots-Tag") == "noindex, follow"
    assert get(client, "?measure=telework").get("X-Robots-Tag") is None
    assert get(client, "").get("X-Robots-Tag") is None


def test_list_pages_twenty_at_a_time(client, catalog):
    lead = Municipality.objects.get(code="342084")
    for n in range(22):
        make_case(catalog.index, title=f"追加の事例{n:02d}", lead=lead, primary=catalog.measures["ai-rpa"])
    first, second = get(client), get(client, "?page=2")
    assert len(listed_titles(first)) == 20
    assert len(listed_titles(second)) == 5
    assert 'href="?page=2"' in first.content.decode()


def test_list_runs_a_bounded_number_of_queries(client, catalog, django_assert_max_num_queries):
    lead = Municipality.objects.get(code="342084")
    for n in range(30):
        make_case(
            catalog.index,
            title=f"追加の事例{n:02d}",
            lead=lead,
            primary=catalog.measures["ai-rpa"],
            others=[catalog.measures["security"]],
            grants=[catalog.grant],
            tags=["観光"],
        )
    with django_assert_max_num_queries(13):  # 12, and the content version read once per request
        get(client, "?measure=ai-rpa&prefecture=34&sort=cost")
    with django_assert_max_num_queries(13):  # 12, and the content version read once per request
        get(client)
    # Nearest first from 府中市: the same bound, the distances worked out in Python.
    Municipality.objects.filter(code="342084").update(latitude=34.5683, longitude=133.2366)
    with django_assert_max_num_queries(13):
        near = get(client, "?near=342084&measure=ai-rpa")
    assert near.context["case_filter"].sort == "distance" and near.context["page_obj"].paginator.count == 30
    with django_assert_max_num_queries(13):  # a measure that took over an earlier one
        get(client, "?measure=security&sort=year")


def test_browse_page_counts_prefectures_by_region_and_grants(client, catalog):
    response = client.get("/cases/prefectures/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/cases/?prefecture=33"' in html  # the partner's prefecture counts
    assert 'href="/cases/?prefecture=37"' not in html  # visited only: no link to an empty list
    assert 'href="/cases/?region=chugoku"' in html
    assert 'href="/cases/?grant=chiho-sosei-suishin"' in html
    regions = {r["slug"]: r["count"] for r in response.context["regions"]}
    assert regions["kanto"] == 2 and regions["chugoku"] == 1 and regions["shikoku"] == 0


def test_measure_page_links_to_its_filtered_list(client, catalog):
    response = client.get("/measures/telework/")
    html = response.content.decode()
    assert 'href="/cases/?measure=telework"' in html
    text = visible_text(response)
    # Primary cases first.
    assert text.index("府中市のワーケーション") < text.index("東京の府中市のセキュリティ")


@pytest.mark.parametrize("query", ["?year=2021", "?year=02021", "?year=２０２１"])
def test_a_year_is_read_however_it_is_written(client, catalog, query):
    response = get(client, query)
    assert listed_titles(response) == ["府中市のワーケーション"]
    assert response.context["case_filter"].ignored == []
    years = [o.value for g in response.context["facet_groups"] if g.name == "year" for o in g.options]
    assert years.count("2021") == 1


def test_a_year_out_of_range_says_which_years_work(client, catalog):
    text = visible_text(get(client, "?year=1800"))
    assert "1990〜" in text and "西暦で指定してください" in text


def test_slugs_are_not_case_sensitive(client, catalog):
    assert listed_titles(get(client, "?tag=VDI")) == ["東京の府中市のセキュリティ"]
    assert listed_titles(get(client, "?measure=TELEWORK&prefecture=13")) == ["東京の府中市のセキュリティ"]


def test_a_non_default_order_is_not_indexed(client, catalog):
    assert get(client, "?sort=title").get("X-Robots-Tag") == "noindex, follow"
    assert get(client, "?measure=telework&page=2").get("X-Robots-Tag") is None


def test_related_cases_show_only_what_the_public_may_see(client, catalog):
    from wagtail.models import PageViewRestriction

    from cases.models import CaseRelatedCase

    workation = catalog.cases.workation
    workation.related_case_links = [
        CaseRelatedCase(case=catalog.cases.tokyo_fuchu),
        CaseRelatedCase(case=catalog.cases.prefecture_led),
    ]
    workation.save_revision().publish()
    PageViewRestriction.objects.create(page=catalog.cases.prefecture_led, restriction_type="login")
    text = visible_text(client.get("/cases/" + workation.slug + "/"))
    assert "東京の府中市のセキュリティ" in text
    assert "東京都の電子申請" not in text


def test_a_tag_used_only_on_hidden_cases_is_unknown_to_the_list_counts_and_exports(client, catalog):
    from wagtail.models import PageViewRestriction

    draft = make_case(
        catalog.index,
        title="下書きの事例",
        lead=catalog.cases.workation.lead_organization,
        primary=catalog.measures["telework"],
        tags=["draftonly"],
    )
    draft.unpublish()
    staff_only = make_case(
        catalog.index,
        title="職員限定の事例",
        lead=catalog.cases.workation.lead_organization,
        primary=catalog.measures["telework"],
        tags=["staffonly"],
    )
    PageViewRestriction.objects.create(page=staff_only, restriction_type=PageViewRestriction.LOGIN)
    for slug in ("draftonly", "staffonly", "no-such-tag"):
        response = get(client, f"?tag={slug}")
        assert response.context["case_filter"].ignored == [f"タグ「{slug}」は見つからないため無視しました。"], slug
        assert response.context["heading"].startswith("すべての事例"), slug
        exported = json.loads(b"".join(client.get(f"/cases/export.json?tag={slug}").streaming_content))
        assert exported["ignored"] and "tag" not in exported["filters"], slug
    options = {o.value for g in get(client).context["facet_groups"] if g.name == "tag" for o in g.options}
    assert options == {"観光", "vdi", "電子申請"}


def test_the_tag_facet_lists_the_twelve_most_used_tags_and_every_ticked_one(client, catalog):
    lead, telework = catalog.cases.workation.lead_organization, catalog.measures["telework"]
    rare = [f"まれなタグ{n:02d}" for n in range(25)]
    make_case(catalog.index, title="タグの多い事例", lead=lead, primary=telework, tags=rare)
    make_case(catalog.index, title="よく使うタグの事例", lead=lead, primary=telework, tags=["よく使うタグ", "観光"])
    make_case(catalog.index, title="よく使うタグの事例2", lead=lead, primary=telework, tags=["よく使うタグ"])

    def tag_group(query=""):
        return next(g for g in get(client, query).context["facet_groups"] if g.name == "tag")

    group = tag_group()
    shown = [option.value for option in group.options]
    assert len(shown) == 12 and group.more == 29 - 12  # 25 rare, よく使うタグ, 観光, vdi, 電子申請
    assert {"よく使うタグ", "観光"} <= set(shown)
    html = get(client).content.decode()
    assert "件数の多い12件を表示しています（ほかに17件。" in html
    ticked = tag_group("?tag=まれなタグ24")
    assert "まれなタグ24" in [option.value for option in ticked.options if option.checked]
