"""The exports explain themselves: a field reference page covering every CSV column and JSON field,
and the terms the data is offered under, in the JSON and the workbook."""

import json

import pytest

from cases.reuse.export import CSV_COLUMNS
from cases.reuse.fields import CSV_COLUMNS_EXPLAINED, JSON_RESULT, JSON_TOP

from .helpers import visible_text

pytestmark = pytest.mark.django_db


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_csv_column_is_explained():
    assert [header for header, _ in CSV_COLUMNS if not CSV_COLUMNS_EXPLAINED.get(header)] == []


def test_every_json_field_is_explained(client, seeded):
    data = json.loads(body_of(client.get("/cases/export.json?near=342084")))
    assert set(data) == {key for key, _ in JSON_TOP}
    assert set(data["results"][0]) == {key for key, _ in JSON_RESULT}


def test_the_reference_page_lists_them_and_the_licence(client, seeded):
    response = client.get("/cases/export/fields/")
    assert response.status_code == 200
    text = visible_text(response)
    assert "CC BY 4.0" in text and "localgovjp" in text and "著作権はそれぞれの著作者" in text
    for header, _ in CSV_COLUMNS:
        assert header in text
    # Which columns the spreadsheet import reads back.
    assert "成果の詳細 成果を1行に1件" in text and "読む（必須）" in text and "読まない（出力のみ）" in text
    assert 'href="/cases/export/fields/"' in client.get("/cases/").content.decode()


def test_the_json_states_its_licence_and_links_the_reference(client, seeded):
    data = json.loads(body_of(client.get("/cases/export.json")))
    assert data["license"]["content"] == "CC BY 4.0"
    assert data["fields"].endswith("/cases/export/fields/")
