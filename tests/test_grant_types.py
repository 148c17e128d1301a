"""Browsing by grant type: 交付金, 補助金, 地方財政措置, 委託・実証事業, and a case's own budget only
where a source says so (unknown stays 「不明」)."""

import csv
import io
import json

import pytest

from cases.models import CasePage

from .factories import GrantProgramFactory, make_case

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [case.title for case in response.context["page_obj"].object_list]


def exported(client, query: str) -> list[dict]:
    response = client.get(f"/cases/export.json{query}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)["results"]


@pytest.fixture
def typed(catalog):
    """The catalog's grant is a 交付金; one more case runs on 特別交付税, one on its own budget."""
    catalog.grant.grant_type = "kofukin"
    catalog.grant.save()
    tax = GrantProgramFactory(
        name="特別交付税", slug="tokubetsu-kofuzei", administered_by="総務省", grant_type="chiho-zaisei-sochi"
    )
    make_case(
        catalog.index,
        title="特別交付税で入れたRPA",
        lead=catalog.cases.tokyo_fuchu.lead_organization,
        primary=catalog.measures["ai-rpa"],
        grants=[tax],
    )
    make_case(
        catalog.index,
        title="自主財源のチャットボット",
        lead=catalog.cases.tokyo_fuchu.lead_organization,
        primary=catalog.measures["ai-rpa"],
        self_funded=True,
    )
    return catalog


def test_grant_type_filters_by_the_type_of_the_programs_a_case_used(client, typed):
    assert titles(client.get("/cases/?grant_type=kofukin")) == ["府中市のワーケーション"]
    assert titles(client.get("/cases/?grant_type=chiho-zaisei-sochi")) == ["特別交付税で入れたRPA"]
    both = titles(client.get("/cases/?grant_type=kofukin&grant_type=tandoku"))
    assert sorted(both) == ["府中市のワーケーション", "自主財源のチャットボット"]


def test_a_case_with_no_source_on_its_money_is_in_no_type(client, typed):
    groups = {group.name: group for group in client.get("/cases/").context["facet_groups"]}
    assert {o.value: o.count for o in groups["grant_type"].options} == {
        "kofukin": 1,
        "chiho-zaisei-sochi": 1,
        "tandoku": 1,
    }
    cases = {case["title"]: case for case in exported(client, "")}
    assert cases["東京の府中市のセキュリティ"]["funding_types"] == []
    assert cases["自主財源のチャットボット"]["funding_types"] == [{"slug": "tandoku", "label": "単独事業（自主財源）"}]


def test_grant_type_shows_as_chip_heading_and_facet_with_counts(client, typed):
    response = client.get("/cases/?grant_type=chiho-zaisei-sochi")
    assert "地方財政措置" in response.context["heading"]
    chips = [(chip.facet, chip.label) for chip in response.context["case_filter"].chips]
    assert ("grant_type", "地方財政措置") in chips
    groups = {group.name: group for group in response.context["facet_groups"]}
    assert [(o.value, o.count) for o in groups["grant_type"].options] == [
        ("kofukin", 1),
        ("chiho-zaisei-sochi", 1),
        ("tandoku", 1),
    ]


def test_an_unknown_grant_type_is_named_and_the_rest_applies(client, typed):
    response = client.get("/cases/?grant_type=kifu&measure=telework")
    assert response.status_code == 200
    assert sorted(titles(response)) == ["府中市のワーケーション", "東京の府中市のセキュリティ"]
    assert "財源の種類「kifu」は見つからないため無視しました。" in response.content.decode()


def test_exports_carry_each_programs_type_and_the_csv_says_unknown(client, typed):
    cases = {case["title"]: case for case in exported(client, "?grant_type=kofukin")}
    assert list(cases) == ["府中市のワーケーション"]
    assert cases["府中市のワーケーション"]["grants"][0]["type"] == "kofukin"
    response = client.get("/cases/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["タイトル"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["府中市のワーケーション"]["財源の種類"] == "交付金"
    assert rows["東京の府中市のセキュリティ"]["財源の種類"] == "不明"


def test_browse_page_lists_grant_types_with_their_programs_and_counts(client, typed):
    response = client.get("/cases/prefectures/")
    html = response.content.decode()
    types = {t["slug"]: t for t in response.context["grant_types"]}
    assert types["kofukin"]["count"] == 1
    assert [p["slug"] for p in types["kofukin"]["programs"]] == ["chiho-sosei-suishin"]
    assert types["hojokin"]["count"] == 0
    assert 'href="/cases/?grant_type=kofukin"' in html
    assert 'href="/cases/?grant_type=hojokin"' not in html  # no link to an empty list
    assert 'href="/cases/?grant=tokubetsu-kofuzei"' in html


def test_the_seed_programs_have_their_types(client, seeded):
    listed = titles(client.get("/cases/?grant_type=kofukin"))
    assert sorted(listed) == sorted(
        CasePage.objects.filter(grant_programs__slug="chiho-sosei-suishin").values_list("title", flat=True)
    )
    assert any("府中" in title for title in listed) and any("会津若松" in title for title in listed)


def test_a_measure_page_links_only_grants_that_cases_used(client, seeded):
    html = client.get("/measures/ai-rpa/").content.decode()
    assert "特別交付税" in html
    assert "?grant=tokubetsu-kofuzei" not in html  # no case ran on it: the list would be empty
    assert "この制度を使った事例はまだありません" in html
