"""/cases/export.xlsx: the file a municipal employee wants to open — the list's cases in its order,
typed cells (no lost leading zero, no formula), a frozen header and a sheet stating the filter."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from cases.models import CasePage

pytestmark = pytest.mark.django_db


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def workbook(client, query=""):
    response = client.get(f"/cases/export.xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''casebook_" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(body_of(response)))


def rows_of(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_holds_the_lists_cases_in_its_order_like_the_csv(client, seeded):
    book = workbook(client, "?sort=cost_desc")
    csv_rows = list(
        csv.DictReader(io.StringIO(body_of(client.get("/cases/export.csv?sort=cost_desc")).decode("utf-8-sig")))
    )
    rows = rows_of(book["事例"])
    assert [r["スラッグ"] for r in rows] == [r["スラッグ"] for r in csv_rows]
    assert list(rows[0]) == list(csv_rows[0])  # the same columns: export → edit → import needs no conversion


def test_codes_keep_their_leading_zeros_and_money_and_years_are_numbers(client, seeded):
    sheet = workbook(client)["事例"]
    aizu = next(r for r in rows_of(sheet) if r["スラッグ"] == "aizuwakamatsu-audio-ar")
    assert aizu["団体コード"] == "072028" and aizu["都道府県コード"] == "07"
    assert aizu["年度（西暦）"] == 2021
    assert isinstance(aizu["事業費（円）"], int)
    assert isinstance(aizu["初回公開日時"], datetime.datetime)
    headers = [cell.value for cell in sheet[1]]
    cost = sheet.cell(row=2, column=headers.index("事業費（円）") + 1)
    assert cost.number_format == '#,##0"円"' or cost.value is None
    assert sheet.freeze_panes == "A2"


def test_text_that_looks_like_a_formula_stays_text(client, catalog):
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    case.summary = '=HYPERLINK("http://evil.example","押す")'
    case.save_revision().publish()
    sheet = workbook(client, "?measure=telework")["事例"]
    headers = [cell.value for cell in sheet[1]]
    summaries = [sheet.cell(row=r, column=headers.index("概要") + 1) for r in range(2, sheet.max_row + 1)]
    formula = next(cell for cell in summaries if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    assert formula.value == '=HYPERLINK("http://evil.example","押す")'


def test_the_second_sheet_states_the_filter_the_date_and_the_sources(client, seeded):
    about = dict(workbook(client, "?measure=telework")["条件"].iter_rows(values_only=True))
    assert about["条件"] == "テレワークの推進"
    assert about["件数"] == "1"
    assert "localgovjp" in about["団体の一覧"]
    assert "第2.3版" in about["重点取組事項の番号"]


def test_the_list_links_the_workbook_with_its_filters(client, seeded):
    html = client.get("/cases/?measure=telework").content.decode()
    assert 'href="/cases/export.xlsx?measure=telework"' in html


def test_a_workbook_is_built_twice_per_content_and_head_builds_nothing(client, seeded, monkeypatch):
    from cases.reuse import export

    built = []
    original = export.build_workbook
    monkeypatch.setattr(export, "build_workbook", lambda *args: built.append(1) or original(*args))
    head = client.head("/cases/export.xlsx?measure=telework")
    assert head.status_code == 200 and built == []
    first = body_of(client.get("/cases/export.xlsx?measure=telework"))
    second = body_of(client.get("/cases/export.xlsx?measure=telework"))  # kept on its second request
    third = body_of(client.get("/cases/export.xlsx?measure=telework"))
    assert built == [1, 1] and first.startswith(b"PK") and second == third  # the third: from the export cache
