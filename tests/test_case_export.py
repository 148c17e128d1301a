"""/cases/export.csv and /cases/export.json: exactly the list's cases, in the list's order."""

import csv
import io
import json
from urllib.parse import unquote

import pytest

QUERIES = [
    "",
    "?measure=telework",
    "?prefecture=13",
    "?measure=telework&prefecture=13",
    "?tag=観光&sort=cost_desc",
    "?sort=title",
    "?sort=oldest&kind=city",
    "?prefecture=99&measure=security",
    "?q=府中",
    "?measure=security&grant=chiho-sosei-suishin",
]


def list_slugs(client, query):
    response = client.get(f"/cases/{query}&page=1" if query else "/cases/")
    return [case.slug for case in response.context["page_obj"].object_list]


def json_export(client, query):
    response = client.get(f"/cases/export.json{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(b"".join(response.streaming_content))


def csv_export(client, query):
    response = client.get(f"/cases/export.csv{query}")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize("query", QUERIES)
def test_list_csv_and_json_hold_the_same_cases_in_the_same_order(client, catalog, query):
    expected = list_slugs(client, query)
    data = json_export(client, query)
    assert [r["slug"] for r in data["results"]] == expected
    assert data["count"] == len(expected)
    _, body = csv_export(client, query)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == expected


def test_json_result_fields(client, catalog):
    data = json_export(client, "?measure=telework&prefecture=34")
    assert data["filters"] == {"measure": ["telework"], "prefecture": ["34"], "sort": "newest"}
    assert data["ignored"] == []
    (result,) = data["results"]
    assert result["slug"] == catalog.cases.workation.slug
    assert result["url"] == f"http://testserver/cases/{result['slug']}/"
    assert result["organization"] == {
        "name": "広島県府中市",
        "code": "342084",
        "kind": "city",
        "prefecture": {"code": "34", "name": "広島県"},
    }
    assert [p["code"] for p in result["partners"]] == ["332071"]
    assert result["partners"][0]["prefecture"] == {"code": "33", "name": "岡山県"}
    assert result["measures"] == [{"slug": "telework", "number": 5, "title": "テレワークの推進"}]
    assert result["grants"] == [
        {"slug": "chiho-sosei-suishin", "name": "地方創生推進交付金", "administered_by": "内閣府", "type": None}
    ]
    assert result["funding_types"] == []  # the test's program has no type: unknown
    assert result["tags"] == ["観光"]
    assert result["fiscal_year"] == 2021
    assert result["cost_yen"] == 22_000_000
    assert result["outcomes"] == []
    assert result["first_published_at"] and result["last_published_at"]


def test_json_lists_primary_measure_first(client, catalog):
    data = json_export(client, "?prefecture=13&kind=city")
    assert [m["slug"] for m in data["results"][0]["measures"]] == ["security", "telework"]


def test_json_reports_what_was_ignored(client, catalog):
    data = json_export(client, "?prefecture=99&measure=security")
    assert data["filters"]["measure"] == ["security"]
    assert any("99" in note for note in data["ignored"])


def test_csv_opens_in_japanese_excel(client, catalog):
    response, body = csv_export(client, "?measure=telework&prefecture=34")
    assert body.startswith("\ufeff".encode())
    header = body.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("スラッグ,URL,タイトル,概要,主体の団体,団体コード")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    filename = unquote(disposition.split("filename*=UTF-8''")[1])
    assert filename.startswith("casebook_事例_テレワークの推進×広島県_")
    assert filename.endswith(".csv")


def test_csv_cells_are_flattened_in_japanese(client, catalog):
    _, body = csv_export(client, "?prefecture=33")
    header, row = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    record = dict(zip(header, row, strict=True))
    assert record["主体の団体"] == "広島県府中市"
    assert record["団体の種別"] == "市"
    assert record["連携団体"] == "岡山県井原市"
    assert record["年度（和暦）"] == "令和3年度 (2021年度)"
    assert record["事業費（円）"] == "22000000"


def test_exports_answer_bad_input_without_error(client, catalog):
    for query in ["?q=" + "x" * 5000, "?page=abc&year=%00", "?measure=%FF", "?sort=nope"]:
        assert client.get(f"/cases/export.json{query}").status_code == 200
        assert client.get(f"/cases/export.csv{query}").status_code == 200


def test_list_page_links_to_the_exports_of_its_filters(client, catalog):
    html = client.get("/cases/?measure=telework&prefecture=34").content.decode()
    assert 'href="/cases/export.csv?measure=telework&amp;prefecture=34"' in html
    assert 'href="/cases/export.json?measure=telework&amp;prefecture=34"' in html


def test_the_file_name_never_changes_the_disposition(client, catalog):
    csv_disposition = client.get("/cases/export.csv", {"q": "attachment inline"})["Content-Disposition"]
    json_disposition = client.get("/cases/export.json", {"q": "attachment inline"})["Content-Disposition"]
    assert csv_disposition.startswith("attachment;")
    assert json_disposition.startswith("inline;")
    assert "casebook_事例_attachment_inline_" in unquote(json_disposition)
