"""A case page's summary carries the lead organization's population (with its date and source) and its
財政力指数 (総務省, credited with the reference dates), and the project's cost per resident of the lead
organization, saying which population it divided by; the comparison gains the same three rows."""

import csv
import io

import pytest

from casebook.base.taxonomy.sizes import per_resident
from cases.models import CasePage

from .helpers import visible_text

pytestmark = pytest.mark.django_db

FUCHU, NAGOYA, NANKOKU = "fuchu-workation", "nagoya-vdi", "nankoku-health-portal"


def page_text(client, slug) -> str:
    response = client.get(f"/cases/{slug}/")
    assert response.status_code == 200
    return visible_text(response)


def test_fuchus_case_page_shows_its_population_fiscal_strength_and_cost_per_resident(client, seeded):
    text = page_text(client, FUCHU)
    assert "37,226人（2022年1月1日、住民基本台帳）" in text
    assert "0.47（令和2年度）" in text
    assert "住民1人あたり約591円" in text
    # Which population it divided by.
    assert "事業費2,200万円 ÷ 広島県府中市の人口37,226人" in text


def test_the_figures_are_credited_to_soumu_with_their_reference_dates(client, seeded):
    text = page_text(client, FUCHU)
    assert "出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」（2022年1月1日現在）" in text
    assert "「地方公共団体の主要財政指標一覧」（令和2年度決算）" in text


def test_the_cost_per_resident_is_the_shared_rule_rounded_to_the_yen(seeded):
    case = CasePage.objects.get(slug=FUCHU)
    assert case.cost_per_resident == per_resident(22_000_000, 37_226) == 591
    assert case.lead_population == "37,226人（2022年1月1日、住民基本台帳）"
    assert case.lead_fiscal_strength == "0.47（令和2年度）"


def test_a_case_without_a_cost_shows_no_per_resident_figure(client, seeded):
    assert CasePage.objects.get(slug=NAGOYA).cost_per_resident is None
    text = page_text(client, NAGOYA)
    assert "2,293,437人（2022年1月1日、住民基本台帳）" in text  # its population is still shown
    assert "住民1人あたり" not in text


def test_a_joint_project_says_the_figure_is_per_resident_of_the_lead_organization(client, seeded):
    assert CasePage.objects.get(slug=FUCHU).partner_organizations.exists()
    assert "主体の団体の住民1人あたり" in page_text(client, FUCHU)
    # 会津若松市's project has no partners: the figure needs no such note.
    text = page_text(client, "aizuwakamatsu-audio-ar")
    assert "住民1人あたり約90円" in text  # 10,400,000円 ÷ 115,556人
    assert "主体の団体の住民1人あたり" not in text


def test_a_lead_organization_without_figures_shows_none_and_no_credit(client, seeded):
    case = CasePage.objects.get(slug=FUCHU)
    lead = case.lead_organization
    type(lead).objects.filter(pk=lead.pk).update(population=None, population_as_of=None, fiscal_strength_index=None)
    text = page_text(client, FUCHU)
    assert "37,226人" not in text and "財政力指数" not in text and "住民1人あたり" not in text
    assert "出典：総務省" not in text


def test_compare_shows_population_fiscal_strength_and_cost_per_resident(client, seeded):
    response = client.get("/cases/compare/", {"cases": [FUCHU, NAGOYA]})
    rows = dict(response.context["comparison"].rows())
    assert rows["人口"] == ["37,226人（2022年1月1日、住民基本台帳）", "2,293,437人（2022年1月1日、住民基本台帳）"]
    assert rows["財政力指数"] == ["0.47（令和2年度）", "0.99（令和2年度）"]
    assert rows["住民1人あたりの事業費"] == ["約591円（主体の団体の住民1人あたり）", "不明"]
    text = visible_text(response)
    assert "出典：総務省" in text and "2022年1月1日現在" in text


def test_the_compare_csv_has_the_three_rows_and_the_credit(client, seeded):
    response = client.get("/cases/compare.csv", {"cases": [FUCHU, NANKOKU]})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["人口", "37,226人（2022年1月1日、住民基本台帳）", "46,648人（2022年1月1日、住民基本台帳）"] in rows
    assert ["財政力指数", "0.47（令和2年度）", "0.63（令和2年度）"] in rows
    assert ["住民1人あたりの事業費", "約591円（主体の団体の住民1人あたり）", "不明"] in rows
    assert any(row[0] == "人口・財政力指数" and row[1].startswith("出典：総務省") for row in rows)
