"""「自分の自治体から探す」: cases led or joined by local governments near one, nearest first, with the
distance on each card, bounds, ambiguity (two 府中市) and bad input answered in Japanese."""

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from cases.discovery.nearby import distance_km

from .helpers import visible_text

pytestmark = pytest.mark.django_db

FUCHU = "広島県府中市のテレワーク環境の整備事例"
FUCHU_CODE, NANKOKU_CODE = "342084", "392049"


def titles(response) -> list[str]:
    return [case.title for case in response.context["page_obj"].object_list]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def nankoku_title(seeded):
    from cases.models import CasePage

    return CasePage.objects.get(slug="nankoku-health-portal").title


def test_great_circle_distance_matches_a_known_one():
    # Tokyo Station to Osaka Station: about 403 km as the crow flies.
    assert 400 < distance_km(35.6812, 139.7671, 34.7025, 135.4959) < 406
    assert distance_km(34.5, 133.2, 34.5, 133.2) == 0


def test_near_lists_the_fuchu_case_first_with_its_distance_and_heading(client, seeded):
    response = client.get(f"/cases/?near={FUCHU_CODE}")
    assert titles(response)[0] == FUCHU
    text = visible_text(response)
    assert "広島県府中市から50km以内の事例 (1件)" in text
    assert "1 km未満" in text  # the case of 府中市 itself
    assert response.context["case_filter"].sort == "distance"


def test_within_bounds_the_list_and_keeps_nearest_first(client, seeded, nankoku_title):
    assert titles(client.get(f"/cases/?near={NANKOKU_CODE}")) == [nankoku_title]
    assert titles(client.get(f"/cases/?near={NANKOKU_CODE}&within=100")) == [nankoku_title]
    wide = client.get(f"/cases/?near={NANKOKU_CODE}&within=300")
    assert titles(wide)[:2] == [nankoku_title, FUCHU]
    # 南国市 to the nearest town hall of the 府中市 case (its lead or a partner), shown rounded.
    fuchu = wide.context["page_obj"].object_list[1]
    away = wide.context["distances"][fuchu.pk]
    assert away.startswith("約 ") and away.endswith(" km") and 90 < int(away[2:-3]) < 200
    assert away in visible_text(wide)


def test_a_radius_beyond_300_km_is_capped_with_a_note(client, seeded):
    response = client.get(f"/cases/?near={FUCHU_CODE}&within=5000")
    assert response.status_code == 200
    assert response.context["case_filter"].within == 300
    assert "距離は300kmまでです" in visible_text(response)


@pytest.mark.parametrize("within", ["abc", "0", "-5", "１０km", "9" * 5000])
def test_a_bad_radius_falls_back_to_50_km_with_a_note(client, seeded, within):
    response = client.get("/cases/", {"near": FUCHU_CODE, "within": within})
    assert response.status_code == 200
    assert response.context["case_filter"].within == 50
    assert "50kmにしました" in visible_text(response)


@pytest.mark.parametrize("near", ["342085", "999999", "府中市", "<script>", "34208"])
def test_a_bad_code_is_ignored_with_the_note_of_the_other_facets(client, seeded, near):
    response = client.get("/cases/", {"near": near})
    assert response.status_code == 200
    assert len(titles(response)) == 5
    assert "は見つからないため無視しました" in visible_text(response)


def test_near_combines_with_other_facets_and_their_counts(client, seeded):
    assert titles(client.get(f"/cases/?near={FUCHU_CODE}&measure=telework")) == [FUCHU]
    assert titles(client.get(f"/cases/?near={FUCHU_CODE}&measure=security")) == []
    groups = {g.name: g for g in client.get(f"/cases/?near={FUCHU_CODE}").context["facet_groups"]}
    assert {o.value: o.count for o in groups["measure"].options} == {"telework": 1}


def test_the_same_kind_and_prefecture_are_one_click_away(client, seeded):
    near = client.get(f"/cases/?near={FUCHU_CODE}").context["near"]
    kind = parse_qs(urlsplit(near["same_kind_url"]).query)
    prefecture = parse_qs(urlsplit(near["same_prefecture_url"]).query)
    assert kind == {"near": [FUCHU_CODE], "kind": ["city"]}
    assert prefecture == {"near": [FUCHU_CODE], "prefecture": ["34"]}
    assert titles(client.get(f"/cases/{near['same_prefecture_url']}")) == [FUCHU]


def test_exports_follow_near_with_the_distance_of_each_case(client, seeded, nankoku_title):
    data = json.loads(body_of(client.get(f"/cases/export.json?near={NANKOKU_CODE}&within=300")))
    assert data["filters"]["near"] == NANKOKU_CODE and data["filters"]["within"] == 300
    assert [r["title"] for r in data["results"]][:2] == [nankoku_title, FUCHU]
    assert data["results"][0]["distance_km"] == 0
    assert 90 < data["results"][1]["distance_km"] < 200
    rows = list(
        csv.DictReader(io.StringIO(body_of(client.get(f"/cases/export.csv?near={FUCHU_CODE}")).decode("utf-8-sig")))
    )
    assert [(row["タイトル"], row["距離（km）"]) for row in rows] == [(FUCHU, "0.0")]


def test_a_name_that_means_one_municipality_redirects_to_near(client, seeded):
    response = client.get("/cases/", {"municipality": "南国市", "measure": "telework", "within": "50"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"measure": ["telework"], "near": [NANKOKU_CODE]}
    wider = client.get("/cases/", {"municipality": "南国市", "within": "300"})
    assert parse_qs(urlsplit(wider["Location"]).query) == {"within": ["300"], "near": [NANKOKU_CODE]}
    for typed in ("なんこくし", NANKOKU_CODE, "高知県南国市", "南国市役所"):
        response = client.get("/cases/", {"municipality": typed})
        assert parse_qs(urlsplit(response["Location"]).query) == {"near": [NANKOKU_CODE]}, typed


def test_the_two_fuchu_are_offered_as_a_choice(client, seeded):
    response = client.get("/cases/", {"municipality": "府中市"})
    assert response.status_code == 200
    choices = response.context["municipality_choices"]
    assert [(c["name"], c["code"]) for c in choices] == [("東京都府中市", "132063"), ("広島県府中市", FUCHU_CODE)]
    assert "「府中市」に当たる自治体が2件あります" in visible_text(response)
    assert parse_qs(urlsplit(choices[1]["url"]).query) == {"near": [FUCHU_CODE]}


@pytest.mark.parametrize("typed", ["存在しない町", "", "   ", "\x00"])
def test_no_match_gives_a_japanese_note(client, seeded, typed):
    response = client.get("/cases/", {"municipality": typed})
    assert response.status_code == 200
    assert "自治体名" in response.context["municipality_note"]
    assert len(titles(response)) == 5


def test_the_home_page_and_the_list_carry_the_form(client, seeded):
    home = client.get("/").content.decode()
    assert 'action="/cases/"' in home and 'name="municipality"' in home
    assert 'name="municipality"' in client.get("/cases/").content.decode()


def test_distance_order_means_nothing_without_near(client, seeded):
    response = client.get("/cases/?sort=distance")
    assert response.context["case_filter"].sort == "newest"
    assert "近い順" not in [label for _, label in response.context["sorts"]]


def test_the_browse_page_lists_only_municipalities_with_cases_with_their_counts(client, seeded):
    response = client.get("/cases/prefectures/")
    hiroshima = next(p for r in response.context["regions"] for p in r["prefectures"] if p["code"] == "34")
    # 府中市 leads the workation case; 福山市 and 神石高原町 join it. 広島市 has none, so it is not listed.
    assert {(m["name"], m["count"]) for m in hiroshima["municipalities"]} >= {("府中市", 1), ("福山市", 1)}
    assert "広島市" not in [m["name"] for m in hiroshima["municipalities"]]
    assert sum(len(p["municipalities"]) for r in response.context["regions"] for p in r["prefectures"]) < 20
    assert f'href="/cases/?near={FUCHU_CODE}"' in response.content.decode()


def test_suggestions_answer_as_one_types_and_bad_input_gets_none(client, seeded):
    found = client.get("/cases/municipalities.json", {"q": "府中"}).json()["results"]
    assert {"code": FUCHU_CODE, "name": "広島県府中市", "kind": "市"} in found
    assert client.get("/cases/municipalities.json", {"q": "\x00<>"}).json() == {"results": []}
    assert client.get("/cases/municipalities.json").json() == {"results": []}
    assert 'data-suggest-url="/cases/municipalities.json"' in client.get("/").content.decode()
    assert 'data-suggest-url="/cases/municipalities.json"' in client.get("/cases/").content.decode()


def test_the_filter_panel_keeps_near_when_other_facets_are_ticked(client, seeded):
    html = client.get(f"/cases/?near={FUCHU_CODE}&within=100").content.decode()
    panel = html[html.index('class="filter-panel"') : html.index("</form>", html.index('class="filter-panel"'))]
    assert f'name="near" value="{FUCHU_CODE}"' in panel and 'name="within" value="100"' in panel


HIROSHIMA_CITY = "341002"


def test_near_with_nothing_in_reach_shows_the_nearest_beyond_and_the_distance_that_finds_them(client, seeded):
    response = client.get(f"/cases/?near={HIROSHIMA_CITY}")
    text = visible_text(response)
    assert titles(response) == []  # the list itself keeps its meaning: nothing within 50 km
    assert "広島県広島市から50km以内に、条件に合う事例はありません。" in text
    assert "50kmより遠くで近い事例" in text and FUCHU in text and "約 74 km" in text
    assert f"?near={HIROSHIMA_CITY}&amp;within=100" in response.content.decode()
    assert "100km以内の事例を見る（1件）" in text
    assert titles(client.get(f"/cases/?near={HIROSHIMA_CITY}&within=100")) == [FUCHU]
    # …and towns of its size too: 広島市 (a designated city) is like 名古屋市.
    assert "距離ではなく、広島県広島市と人口規模が近い団体の事例を見る" in text
    assert f'href="?similar={HIROSHIMA_CITY}"' in response.content.decode()
    similar = client.get(f"/cases/?similar={HIROSHIMA_CITY}")
    assert [case.lead_organization.name for case in similar.context["page_obj"].object_list] == ["名古屋市"]
    # Exports keep the parameters' exact meaning: what lies within 50 km, i.e. nothing.
    exported = json.loads(body_of(client.get(f"/cases/export.json?near={HIROSHIMA_CITY}&within=50")))
    assert exported["results"] == []


def test_near_with_nothing_even_at_the_largest_distance_says_so(client, seeded):
    response = client.get(f"/cases/?near={HIROSHIMA_CITY}&within=300&measure=standardization")
    text = visible_text(response)
    assert titles(response) == [] and "重点取組事項" in text  # the measure is honoured: the seed has no case of it
    assert "300km以内にも、条件に合う事例はありません。" in text
