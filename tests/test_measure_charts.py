"""Measure pages draw their statistics as charts where a chart says more than a row: shares by type of
government side by side, a change over time, a share against its target. The charts are chosen from
the rows (group, series, comparable time, target value), so an editor's new statistic is drawn
without code; the numbers stay in the table beside them."""

import re
import xml.etree.ElementTree as ET

import pytest
from wagtail.test.utils.form_data import rich_text

from measures.models import MeasurePage

from .admin import edit_url, errors_of, fill, page_form, post_form

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def charts(html: str) -> dict[str, ET.Element]:
    """Chart title → its SVG, for the statistic charts of a page."""
    found = {}
    for svg in re.findall(r"<svg class=\"bar-chart stat-chart__svg.*?</svg>", html, re.S):
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        found[root.find(f"{SVG}title").text] = root
    return found


def bars(svg: ET.Element) -> list[tuple[str, str, str]]:
    """(category, series, value as written beside the bar), top to bottom."""
    rows = []
    for row in svg.iter(f"{SVG}g"):
        texts = [t.text for t in row.iter(f"{SVG}text")]
        rows.append((row.get("data-category"), row.get("data-series"), texts[-1]))
    return rows


def bar_widths(svg: ET.Element) -> dict[tuple[str, str], float]:
    return {
        (row.get("data-category"), row.get("data-series")): float(row.find(f"{SVG}rect").get("width"))
        for row in svg.iter(f"{SVG}g")
    }


def table_rows(html: str, caption: str) -> list[list[str]]:
    table = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_telework_shows_the_change_from_49_3_to_62_9_percent(client, seeded):
    html = client.get("/measures/telework/").content.decode()
    found = charts(html)
    change = found["テレワーク導入状況: 市区町村の推移"]
    assert bars(change) == [("2021年度", "", "49.3%"), ("2022年10月1日時点", "", "62.9%")]
    assert "13.6ポイント増" in change.find(f"{SVG}desc").text
    # A share is drawn on a 0–100 axis: 62.9% is 62.9% of the way, not the whole width.
    widths = bar_widths(change)
    assert widths[("2022年10月1日時点", "")] / widths[("2021年度", "")] == pytest.approx(62.9 / 49.3, rel=0.02)
    by_type = found["テレワーク導入状況（2022年10月1日時点）"]
    assert bars(by_type) == [("都道府県", "", "100%"), ("政令都市", "", "100%"), ("市区町村", "", "62.9%")]
    # The same numbers in the table.
    rows = table_rows(html, "テレワーク導入状況の主な統計")
    assert ["市区町村", "62.9%", "2022年10月1日時点", "—"] in rows
    assert ["市区町村", "49.3%", "2021年度", "—"] in rows


def test_ai_and_rpa_are_compared_by_type_of_government(client, seeded):
    html = client.get("/measures/ai-rpa/").content.decode()
    chart = charts(html)["AI・RPAの導入状況（2021年12月31日時点）"]
    assert bars(chart) == [
        ("導入済み団体", "AI", "672/1,788団体（37.6%）"),
        ("導入済み団体", "RPA", "557/1,788団体（31.2%）"),
        ("都道府県", "AI", "100%"),
        ("都道府県", "RPA", "91%"),
        ("指定都市", "AI", "100%"),
        ("指定都市", "RPA", "95%"),
        ("その他市町村", "AI", "35%"),
        ("その他市町村", "RPA", "29%"),
    ]
    # Each bar names its series in text: colour is never the only cue.
    labels = [t.text for t in chart.iter(f"{SVG}text")]
    assert labels.count("AI") == 4 and labels.count("RPA") == 4
    rows = table_rows(html, "AI・RPAの導入状況の主な統計")
    assert rows[0] == ["系列", "項目", "値", "時点", "補足・出典"]
    assert ["RPA", "その他市町村", "29%", "2021年12月31日時点", "—"] in rows
    # Counts of one period are compared too; a lone value is not drawn.
    tools = charts(html)["導入件数の多い業務ツール（2021年度）"]
    assert bars(tools) == [("音声認識 導入件数", "", "431件"), ("文字認識 導入件数", "", "429件")]
    assert not charts(client.get("/measures/online-procedures/").content.decode())


def test_my_number_card_is_drawn_against_its_target(client, seeded):
    html = client.get("/measures/my-number-card/").content.decode()
    chart = charts(html)["マイナンバーカード普及率と目標（2023年1月9日時点）"]
    assert bars(chart) == [("マイナンバーカード普及率", "", "約66.3%")]
    target = chart.find(f"{SVG}line[@class='stat-chart__target']")
    bar = chart.find(f".//{SVG}rect")
    bar_end = float(bar.get("x")) + float(bar.get("width"))
    assert (bar_end - float(bar.get("x"))) / (float(target.get("x1")) - float(bar.get("x"))) == pytest.approx(
        0.663, rel=0.01
    )
    assert "目標 100%（ほぼ全国民にマイナンバーカードが行き渡る・2022年度末まで）" in ET.tostring(chart, "unicode")
    assert "<dt>目標値</dt><dd>100%</dd>" in html


def test_charts_carry_no_script_or_inline_style(client, seeded):
    for slug in ("telework", "ai-rpa", "my-number-card"):
        html = client.get(f"/measures/{slug}/").content.decode()
        for svg in re.findall(r"<svg.*?</svg>", html, re.S):
            assert "<script" not in svg and "<style" not in svg
        assert 'style="' not in html


def measure_form(client, page):
    """The page's edit form as a browser would send it, its body paragraphs included."""
    paragraphs = [("paragraph", rich_text(block.value.source)) for block in page.body]
    return fill(page_form(client, edit_url(page)), body=paragraphs)


def add_statistic(data, **fields):
    n = int(data["statistics-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"statistics-{n}-{name}"] = value
    data[f"statistics-{n}-ORDER"] = str(n + 1)
    data["statistics-TOTAL_FORMS"] = str(n + 1)
    return data


def test_an_editors_new_statistic_is_charted_without_code(client, seeded, staff):
    client.force_login(staff.admin)
    page = MeasurePage.objects.get(slug="telework")
    data = measure_form(client, page)
    add_statistic(data, group="テレワーク導入状況", label="市区町村", value="70", unit="％", period="２０２３年度")
    data["action-publish"] = "action-publish"
    response = post_form(client, edit_url(page), data)
    assert response.status_code == 302, errors_of(response)
    change = charts(client.get("/measures/telework/").content.decode())["テレワーク導入状況: 市区町村の推移"]
    assert [category for category, _, _ in bars(change)] == ["2021年度", "2022年10月1日時点", "２０２３年度"]
    after = MeasurePage.objects.get(slug="telework")

    def text(body):
        return [re.sub(r"<[^>]+>", "", block.value.source) for block in body]

    assert text(after.body) == text(page.body)  # the rest of the page as it was


def test_a_target_must_name_a_statistic_of_its_page(client, seeded, staff):
    client.force_login(staff.admin)
    page = MeasurePage.objects.get(slug="my-number-card")
    data = measure_form(client, page)
    data["targets-0-statistic_label"] = "交付率"
    data["targets-0-value"] = ""
    response = post_form(client, edit_url(page), data)
    errors = errors_of(response)
    assert errors["targets-0-statistic_label"] == ["「交付率」という項目は、このページの「主な統計」にありません。"]
    assert errors["targets-0-value"] == ["対応する統計と並べるには、目標値を入力してください。"]
    assert 'value="交付率"' in response.content.decode()
