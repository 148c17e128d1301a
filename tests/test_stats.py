"""/cases/stats/: the list's cases as server-drawn SVG bar charts with the same numbers in tables,
honouring the list's filters; each bar links to the list narrowed by it; no script or inline style."""

import re
import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def charts(html: str) -> dict[str, ET.Element]:
    found = {}
    for svg in re.findall(r"<svg class=\"bar-chart\".*?</svg>", html, re.S):
        root = ET.fromstring(svg)
        found[root.find(f"{SVG}title").text] = root
    return found


def bars(svg: ET.Element) -> dict[str, str]:
    """Bar label (from its link's name) → the count written beside it."""
    rows = {}
    for row in svg.iter(f"{SVG}g"):
        values = [t.text for t in row.iter(f"{SVG}text")]
        rows[values[0]] = values[1]
    return rows


def test_the_seed_counted_per_measure_region_and_year(client, seeded):
    response = client.get("/cases/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    found = charts(html)
    measures = bars(found["重点取組事項ごとの事例数"])
    assert measures["テレワークの推進"] == "1件"
    assert measures["自治体フロントヤード改革の推進"] == "1件"  # the 山形県 case, through the crosswalk
    assert bars(found["地方ごとの事例数"])["中国"] == "1件"
    listed = client.get("/cases/?year=2021").context["page_obj"].paginator.count
    assert bars(found["実施年度ごとの事例数"])["令和3年度 (2021年度)"] == f"{listed}件"
    # The same numbers as a table, and every bar a link to the list it counts.
    assert "地方ごとの事例数（表）" in html
    assert 'href="/cases/?region=chugoku"' in html
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        assert "<script" not in svg and "<style" not in svg
    assert 'style="' not in html


def test_the_lead_says_how_many_cases_it_counts(client, seeded):
    assert "すべての事例（5件）を" in client.get("/cases/stats/").content.decode()
    assert "（1件）を" in client.get("/cases/stats/?measure=telework").content.decode()


def test_the_charts_honour_the_lists_filters(client, seeded):
    html = client.get("/cases/stats/?region=chugoku").content.decode()
    measures = bars(charts(html)["重点取組事項ごとの事例数"])
    assert measures == {"テレワークの推進": "1件"}
    assert 'href="/cases/?region=chugoku&amp;measure=telework"' in html


def test_cost_bands_count_cases_with_a_known_cost(client, seeded):
    cost = bars(charts(client.get("/cases/stats/").content.decode())["事業費の分布（事業費の分かる事例）"])
    assert sum(int(value.removesuffix("件")) for value in cost.values()) >= 2
    assert cost["1,000万〜1億円未満"] != "0件"  # 府中市 2,200万円, 会津若松市 1,040万円


def test_bad_filters_still_give_charts(client, seeded):
    response = client.get("/cases/stats/?measure=%00x&year=abc&near=1")
    assert response.status_code == 200 and "重点取組事項ごとの事例数" in response.content.decode()


def test_the_list_and_home_link_the_stats(client, seeded):
    assert 'href="/cases/stats/?measure=telework"' in client.get("/cases/?measure=telework").content.decode()
    assert 'href="/cases/stats/"' in client.get("/").content.decode()
