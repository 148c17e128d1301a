"""The tile map of Japan (on the statistics page of a filter, linked from the list): each prefecture's count
equals the list's under the same filters (a partner's prefecture counts), links only where there are cases,
and the same numbers as a table."""

import pytest

from cases.discovery.japan_map import TILES, level_of

pytestmark = pytest.mark.django_db


def tiles_of(response) -> dict:
    return {tile.code: tile for tile in response.context["japan_map"]["tiles"]}


def test_every_prefecture_has_its_own_place():
    assert sorted(TILES) == [f"{n:02d}" for n in range(1, 48)]
    assert len(set(TILES.values())) == 47


def test_the_maps_counts_equal_the_lists_with_the_partners_prefecture(client, catalog):
    response = client.get("/cases/stats/?measure=telework")
    tiles = tiles_of(response)
    # 府中市 (広島) leads the workation; 井原市 (岡山) joins it; 三豊市 (香川) was only visited.
    assert tiles["34"].count == 1 and tiles["33"].count == 1 and tiles["37"].count == 0
    assert tiles["13"].count == 1  # 東京都府中市's case lists telework among its other measures
    for code in ("34", "33", "13"):
        listed = client.get(tiles[code].url).context["page_obj"].paginator.count
        assert listed == tiles[code].count


def test_only_prefectures_with_cases_are_links_and_the_table_says_the_same(client, catalog):
    listed = client.get("/cases/?measure=telework").content.decode()
    assert 'href="/cases/stats/?measure=telework#stats-map">都道府県別の件数を地図で見る' in listed
    html = client.get("/cases/stats/?measure=telework").content.decode()
    assert 'href="/cases/?measure=telework&amp;prefecture=34"' in html
    assert 'href="/cases/?measure=telework&amp;prefecture=37"' not in html
    table = html[html.index("map-table-caption") :]
    assert "広島県" in table and "香川県" not in table.split("</table>")[0]


def test_levels_follow_the_legend():
    assert [level_of(n) for n in (0, 1, 2, 4, 5, 19, 20, 500)] == [0, 1, 2, 2, 3, 3, 4, 4]
