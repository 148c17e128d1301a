"""Towns of my size: `population=BAND` (a facet with counts, by the lead organization's population),
`similar=LGCODE` (the same kind group, half to twice the population, nearest in size first) and
`sort=cost_per_resident`; bad values get a Japanese note and the list, never a 500."""

import csv
import io
import json

import pytest

from cases.models import CasePage

from .helpers import visible_text

pytestmark = pytest.mark.django_db

FUCHU, AIZU, NANKOKU, NAGOYA, YAMAGATA = "342084", "072028", "392049", "231002", "060003"


def leads(response) -> list[str]:
    return [case.lead_organization.code for case in response.context["page_obj"].object_list]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_similar_lists_the_cases_of_towns_of_fuchus_size_nearest_in_size_first(client, seeded):
    response = client.get(f"/cases/?similar={FUCHU}")
    assert response.status_code == 200
    assert leads(response) == [FUCHU, NANKOKU]  # 37,226 itself, then 46,648 (ratio 1.25)
    text = visible_text(response)
    assert "広島県府中市（人口37,226人）と人口規模が近い市の事例" in text
    assert "人口規模の近い順" in text  # the order it is in, offered among the sorts


def test_population_bands_find_the_same_cases_and_count_them_in_the_facet(client, seeded):
    assert sorted(leads(client.get("/cases/?population=30k-100k"))) == sorted([FUCHU, NANKOKU])
    assert leads(client.get("/cases/?population=100k-300k")) == [AIZU]
    assert leads(client.get("/cases/?population=1m-plus")) == [NAGOYA]
    text = visible_text(client.get("/cases/"))
    assert "人口規模" in text and "3万〜10万人" in text and "100万人以上" in text
    # A prefecture-led case has no band: 山形県 is found by the kind facet, not by its population.
    every_band = "&".join(
        f"population={band}" for band in ("under-10k", "10k-30k", "30k-100k", "100k-300k", "300k-1m", "1m-plus")
    )
    assert YAMAGATA not in leads(client.get(f"/cases/?{every_band}"))


def test_similar_combines_with_the_other_filters_and_the_exports_feeds_and_alerts(client, seeded):
    nankoku = CasePage.objects.get(lead_organization__code=NANKOKU)
    measure = nankoku.primary_measure.slug
    assert leads(client.get(f"/cases/?similar={FUCHU}&measure={measure}")) == [NANKOKU]
    exported = json.loads(body_of(client.get(f"/cases/export.json?similar={FUCHU}")))
    assert [record["slug"] for record in exported["results"]] == [
        CasePage.objects.get(lead_organization__code=code).slug for code in (FUCHU, NANKOKU)
    ]
    assert exported["filters"]["similar"] == FUCHU
    csv_text = body_of(client.get(f"/cases/export.csv?similar={FUCHU}&measure={measure}")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert [row[2] for row in rows[1:]] == [nankoku.title]
    feed = body_of(client.get(f"/cases/feed/?similar={FUCHU}")).decode()
    assert nankoku.title in feed and "名古屋" not in feed
    sign_up = client.get(f"/alerts/?similar={FUCHU}").content.decode()
    assert "人口規模が近い" in sign_up


def test_cost_per_resident_sorts_lowest_first_and_cases_without_a_cost_last(client, seeded):
    cases = CasePage.objects.select_related("lead_organization")
    costs = {
        case.lead_organization.code: (case.project_cost_yen / case.lead_organization.population)
        for case in cases
        if case.project_cost_yen and case.lead_organization.population
    }
    order = leads(client.get("/cases/?sort=cost_per_resident"))
    assert order[: len(costs)] == sorted(costs, key=costs.get)
    assert set(order[len(costs) :]) == {case.lead_organization.code for case in cases} - set(costs)
    assert "住民1人あたりの事業費の少ない順" in visible_text(client.get("/cases/"))


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("similar=abc", "人口規模での絞り込みを無視しました"),
        ("similar=999999", "人口規模での絞り込みを無視しました"),
        ("similar=%00%ff", "人口規模での絞り込みを無視しました"),
        ("population=huge", "人口規模「huge」は見つからないため無視しました"),
        ("sort=size", None),  # means nothing without `similar`: the default order, silently
    ],
)
def test_bad_values_answer_the_unfiltered_list_with_a_japanese_note(client, seeded, query, note):
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200
    assert len(leads(response)) == CasePage.objects.live().count()
    if note:
        assert note in visible_text(response)
