"""The read-only API (/api/v2/): public pages only, a case as the JSON export describes it, and
cross-origin reads only for the origins the deployment names."""

import json

import pytest
from wagtail.models import PageViewRestriction

from cases.models import CasePage

pytestmark = pytest.mark.django_db


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def titles(client, query="") -> list[str]:
    response = client.get(f"/api/v2/pages/{query}")
    assert response.status_code == 200
    return [item["title"] for item in response.json()["items"]]


def test_only_public_pages_are_served(client, catalog):
    restricted = CasePage.objects.get(pk=catalog.cases.tokyo_fuchu.pk)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    draft = CasePage.objects.get(pk=catalog.cases.prefecture_led.pk)
    draft.unpublish()
    listed = titles(client, "?type=cases.CasePage")
    assert listed == ["府中市のワーケーション"]
    assert client.get(f"/api/v2/pages/{restricted.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404


def test_a_case_carries_the_record_of_the_json_export(client, seeded):
    case = CasePage.objects.get(slug="fuchu-workation")
    api = client.get(f"/api/v2/pages/{case.pk}/").json()
    exported = json.loads(body_of(client.get("/cases/export.json?measure=telework")))["results"][0]
    assert api["record"] == exported
    assert api["record"]["contact"] is None  # no agreement to publish it


def test_measures_carry_their_number_in_each_edition(client, seeded):
    items = client.get("/api/v2/pages/?type=measures.MeasurePage&fields=plan_numbers&slug=telework").json()["items"]
    assert items[0]["plan_numbers"] == [
        {"plan_version": "2-3", "plan_version_name": "第2.3版", "number": 7, "title": "テレワークの推進"},
        {"plan_version": "2020", "plan_version_name": "2020年版", "number": 5, "title": "テレワークの推進"},
    ]


def test_cross_origin_reads_are_off_unless_an_origin_is_named(client, catalog, settings):
    origin = {"HTTP_ORIGIN": "https://pref.example.jp"}
    assert "Access-Control-Allow-Origin" not in client.get("/api/v2/pages/", **origin)
    settings.CASEBOOK_API_CORS_ORIGINS = ["https://pref.example.jp"]
    assert client.get("/api/v2/pages/", **origin)["Access-Control-Allow-Origin"] == "https://pref.example.jp"
    other = client.get("/api/v2/pages/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    preflight = client.options("/api/v2/pages/", **origin)
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]


def test_bad_api_parameters_answer_in_json_not_500(client, catalog):
    for query in ("?type=nope.Nope", "?limit=abc", "?order=-nothing", "?fields=contact_email", "?search=%00"):
        response = client.get(f"/api/v2/pages/{query}")
        assert response.status_code == 400, query


def test_a_listing_of_records_does_not_query_per_case(client, catalog, django_assert_max_num_queries):
    from .factories import make_case

    for n in range(15):
        make_case(
            catalog.index,
            title=f"追加{n}",
            lead=catalog.cases.workation.lead_organization,
            primary=catalog.measures["ai-rpa"],
        )
    with django_assert_max_num_queries(40):
        items = client.get("/api/v2/pages/?type=cases.CasePage&fields=record&limit=20").json()["items"]
    assert len(items) == 18 and all(item["record"]["slug"] for item in items)
