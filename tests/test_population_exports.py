"""The lead organization's population, its reference date and 財政力指数, and the cost per resident, in every
export (JSON, CSV, .xlsx typed), the API and the field reference; export-only for the spreadsheet import;
and the statistics page's cases by population size (「人口規模」)."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from casebook.base.core.spreadsheet import read_table
from cases.intake.importer import plan_import
from cases.models import CasePage

from .factories import make_case
from .helpers import visible_text

pytestmark = pytest.mark.django_db

FIGURES = ("population", "population_as_of", "fiscal_strength_index", "cost_per_resident")
COLUMNS = ("人口", "人口の基準日", "財政力指数", "住民1人あたりの事業費（円）")
SVG = "{http://www.w3.org/2000/svg}"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def json_results(client, query="") -> dict[str, dict]:
    data = json.loads(body_of(client.get(f"/cases/export.json{query}")))
    return {record["slug"]: record for record in data["results"]}


def csv_rows(client, query="") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body_of(client.get(f"/cases/export.csv{query}")).decode("utf-8-sig"))))


def test_the_json_export_carries_the_lead_organizations_figures_and_the_cost_per_resident(client, seeded):
    fuchu = json_results(client)["fuchu-workation"]
    assert fuchu["population"] == 37226
    assert fuchu["population_as_of"] == "2022-01-01"
    assert fuchu["fiscal_strength_index"] == 0.47
    assert fuchu["cost_per_resident"] == 591  # 22,000,000円 ÷ 37,226人, rounded to the yen
    # A number in the JSON text, not a string.
    text = body_of(client.get("/cases/export.json?measure=telework")).decode()
    assert '"fiscal_strength_index": 0.47,' in text and '"population": 37226,' in text


def test_a_case_without_a_cost_has_no_cost_per_resident(client, seeded):
    records = json_results(client).values()
    without_cost = [record for record in records if record["cost_yen"] is None]
    assert without_cost, "the seed has a case without a known cost"
    for record in without_cost:
        assert record["cost_per_resident"] is None
        assert record["population"] is not None  # the population is still there


def test_the_csv_has_the_japanese_columns_with_the_figures(client, seeded):
    header, *rows = csv_rows(client)
    assert set(COLUMNS) <= set(header)
    fuchu = next(dict(zip(header, row, strict=True)) for row in rows if row[0] == "fuchu-workation")
    assert [fuchu[column] for column in COLUMNS] == ["37226", "2022-01-01", "0.47", "591"]
    # After the cost they divide, together.
    at = header.index("事業費（円）")
    assert header[at + 1 : at + 5] == list(COLUMNS)


def test_the_xlsx_types_the_figures_as_numbers_and_the_reference_date_as_a_date(client, seeded):
    book = load_workbook(io.BytesIO(body_of(client.get("/cases/export.xlsx"))))
    sheet = book["事例"]
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "fuchu-workation")
    cells = {header: row[headers.index(header)] for header in COLUMNS}
    assert cells["人口"].value == 37226 and cells["人口"].data_type == "n"
    assert cells["財政力指数"].value == 0.47 and cells["財政力指数"].data_type == "n"
    assert cells["住民1人あたりの事業費（円）"].value == 591
    assert cells["住民1人あたりの事業費（円）"].number_format == '#,##0"円"'
    as_of = cells["人口の基準日"]
    assert as_of.is_date and as_of.value == datetime.datetime(2022, 1, 1)
    assert as_of.number_format == "yyyy-mm-dd"
    about = dict(book["条件"].iter_rows(values_only=True))  # the sources, credited
    assert "住民基本台帳に基づく人口" in about["人口と財政指標"] and "主要財政指標一覧" in about["人口と財政指標"]


def test_the_api_case_detail_carries_the_four_fields(client, seeded):
    case = CasePage.objects.get(slug="fuchu-workation")
    record = client.get(f"/api/v2/pages/{case.pk}/").json()["record"]
    assert {field: record[field] for field in FIGURES} == {
        "population": 37226,
        "population_as_of": "2022-01-01",
        "fiscal_strength_index": 0.47,
        "cost_per_resident": 591,
    }


def test_the_field_reference_documents_all_four_with_their_sources(client, seeded):
    text = visible_text(client.get("/cases/export/fields/"))
    for name in (*FIGURES, *COLUMNS):
        assert name in text
    assert "住民基本台帳に基づく人口、人口動態及び世帯数（令和4年1月1日現在）" in text
    assert "地方公共団体の主要財政指標一覧（令和2年度決算）" in text
    assert "主体の団体の人口で割ります" in text  # a joint project too
    # Export only: the import does not read them.
    assert "事業費か人口が分からなければ空欄 読まない（出力のみ）" in text
    assert "人口の基準日 「人口」の基準日（年-月-日） 読まない（出力のみ）" in text


def test_the_export_reads_the_figures_without_a_query_per_case(client, seeded):
    fuchu = CasePage.objects.get(slug="fuchu-workation")

    def queries_with(more: int) -> int:
        for n in range(more):
            make_case(
                fuchu.get_parent(),
                title=f"追加の事例{n}{more}",
                lead=fuchu.lead_organization,
                primary=fuchu.primary_measure,
            )
        with CaptureQueriesContext(connection) as captured:
            body_of(client.get("/cases/export.json"))
        return len(captured)

    body_of(client.get("/cases/export.json"))  # what a process reads once (the site, the plan's editions)
    assert queries_with(1) == queries_with(4)
    assert len(json_results(client)) == 10


def test_an_export_with_the_figures_imports_with_them_skipped_not_refused(client, seeded, tmp_path):
    rows = csv_rows(client)
    for column in COLUMNS:  # whatever a spreadsheet makes of them, they are not read back
        rows[1][rows[0].index(column)] = "1,234"
    out = io.StringIO()
    path = tmp_path / "cases.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    call_command("import_cases", str(path), "--dry-run", stdout=out)
    assert "変更なし 5件" in out.getvalue() and "不明な見出し" not in out.getvalue()
    plan = plan_import(read_table(path.read_bytes(), "cases.csv"))
    assert set(COLUMNS) <= set(plan.export_only_columns) and plan.ok


def stats_chart(html: str, title: str) -> dict[str, str]:
    for svg in re.findall(r"<svg class=\"bar-chart\".*?</svg>", html, re.S):
        root = ET.fromstring(svg)
        if root.find(f"{SVG}title").text == title:
            return {
                texts[0]: texts[1]
                for row in root.iter(f"{SVG}g")
                for texts in [[t.text for t in row.iter(f"{SVG}text")]]
            }
    raise AssertionError(f"no chart {title}")


POPULATION_CHART = "人口規模ごとの事例数（主体の団体の人口）"


def test_the_stats_page_counts_cases_by_the_lead_organizations_population_size(client, seeded):
    html = client.get("/cases/stats/").content.decode()
    assert "人口規模" in html
    bars = stats_chart(html, POPULATION_CHART)
    # Every band in order; 府中市 and 南国市, 会津若松市, 名古屋市; 山形県 is a prefecture.
    assert list(bars) == [
        "1万人未満",
        "1万〜3万人",
        "3万〜10万人",
        "10万〜30万人",
        "30万〜100万人",
        "100万人以上",
        "都道府県・人口不明",
    ]
    assert bars["3万〜10万人"] == "2件"
    assert bars["10万〜30万人"] == "1件"
    assert bars["100万人以上"] == "1件"
    assert bars["都道府県・人口不明"] == "1件"
    assert bars["1万人未満"] == "0件"
    # The same numbers as a table; each band with cases links to the list's population facet.
    assert f"{POPULATION_CHART}（表）" in html
    assert 'href="/cases/?population=30k-100k"' in html and 'href="/cases/?population=1m-plus"' in html
    assert 'href="/cases/?population=under-10k"' not in html  # nothing to list
    assert "出典：総務省" in html


def test_the_population_chart_follows_the_lists_filters(client, seeded):
    html = client.get("/cases/stats/?region=chugoku").content.decode()
    bars = stats_chart(html, POPULATION_CHART)
    assert bars["3万〜10万人"] == "1件" and bars["10万〜30万人"] == "0件" and "都道府県・人口不明" not in bars
    assert 'href="/cases/?region=chugoku&amp;population=30k-100k"' in html


def test_a_chosen_band_leaves_the_other_bands_counted_like_the_lists_facet(client, seeded):
    html = client.get("/cases/stats/?population=30k-100k").content.decode()
    assert "（2件）を" in html  # the list holds 府中市's and 南国市's cases
    bars = stats_chart(html, POPULATION_CHART)
    assert bars["3万〜10万人"] == "2件" and bars["10万〜30万人"] == "1件"  # as if picked too
    assert "都道府県・人口不明" not in bars  # the list holds none of them
    assert 'href="/cases/?population=100k-300k"' in html
