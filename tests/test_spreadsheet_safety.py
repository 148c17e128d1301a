"""No cell of the CSV export starts like a formula (CSV injection); the JSON keeps the true text."""

import csv
import io
import json

import pytest

from casebook.base.core.spreadsheet import FORMULA_STARTS, from_spreadsheet_cell, spreadsheet_cell
from cases.reuse.export import CSV_COLUMNS

from .factories import GrantProgramFactory, MunicipalityFactory, make_case

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/","山形県")'


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_that_starts_like_a_formula_is_written_as_text_and_read_back(start):
    text = f"{start}1+1"
    cell = spreadsheet_cell(text)
    assert cell == f"'{text}" and not cell.startswith(FORMULA_STARTS)
    assert from_spreadsheet_cell(cell) == text


def test_plain_values_are_left_alone():
    assert spreadsheet_cell("山形県") == "山形県"
    assert spreadsheet_cell(22_000_000) == 22_000_000
    assert spreadsheet_cell("") == ""
    assert from_spreadsheet_cell("'quoted on purpose") == "'quoted on purpose"


def test_no_cell_of_any_column_starts_like_a_formula(client, catalog):
    """Every text an editor types, each starting with another formula character, in one case."""
    hiroshima = catalog.cases.workation.lead_organization.prefecture
    hiroshima.name = "@SUM(1)"
    hiroshima.save()
    lead = MunicipalityFactory(code="342041", name=HYPERLINK, kind="city", prefecture=hiroshima)
    partner = MunicipalityFactory(code="342050", name="-2+3", kind="city", prefecture=hiroshima)
    grant = GrantProgramFactory(name="+交付金", slug="plus-grant", administered_by="=総務省")
    case = make_case(
        catalog.index,
        title="=1+1 事例",
        summary="\t=cmd|' /C calc'!A0",
        lead=lead,
        partners=[partner],
        primary=catalog.measures["telework"],
        grants=[grant],
        tags=["=タグ"],
    )
    case.outcomes.create(label="\r=成果", value="-100", unit="人")
    response = client.get("/cases/export.csv?grant=plus-grant")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, cells = rows[0], rows[1:]
    assert len(cells) == 1 and len(header) == len(CSV_COLUMNS)
    dangerous = {name: cell for name, cell in zip(header, cells[0], strict=True) if cell.startswith(FORMULA_STARTS)}
    assert dangerous == {}
    row = dict(zip(header, cells[0], strict=True))
    assert row["タイトル"] == "'=1+1 事例" and row["主体の団体"] == f"'@SUM(1){HYPERLINK}"
    assert row["都道府県"] == "'@SUM(1)" and row["連携団体"] == "'@SUM(1)-2+3"
    assert row["財源制度"] == "'+交付金" and row["財源制度の所管"] == "'=総務省" and row["タグ"] == "'=タグ"

    exported = json.loads(b"".join(client.get("/cases/export.json?grant=plus-grant").streaming_content))["results"][0]
    assert exported["title"] == "=1+1 事例" and exported["grants"][0]["administered_by"] == "=総務省"
