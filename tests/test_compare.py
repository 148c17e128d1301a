"""Cases side by side: /cases/compare/ with 2–4 cases (repeated or comma-separated), 「不明」 where a case
does not say, a CSV of the same table, and a clear Japanese message for one case, unknown ones or too many."""

import csv
import io

import pytest

from .helpers import visible_text

pytestmark = pytest.mark.django_db

FUCHU, NAGOYA, NANKOKU = "fuchu-workation", "nagoya-vdi", "nankoku-health-portal"


def test_two_cases_side_by_side_with_rows_aligned(client, seeded):
    response = client.get("/cases/compare/", {"cases": [FUCHU, NAGOYA]})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [case.slug for case in comparison.cases] == [FUCHU, NAGOYA]
    rows = dict(comparison.rows())
    assert rows["主体"] == ["広島県府中市", "愛知県名古屋市"]
    assert rows["都道府県"] == ["広島県", "愛知県"]
    assert rows["事業費"][0].startswith("2,200万円")
    assert rows["その後の状況"] == ["不明", "不明"]
    assert all(len(values) == 2 for values in rows.values())
    assert "テレワークの推進" in visible_text(response)


def test_a_case_that_names_no_partners_says_none_listed_not_unknown(client, seeded):
    rows = dict(client.get("/cases/compare/", {"cases": [FUCHU, NAGOYA]}).context["comparison"].rows())
    assert rows["連携団体"][1] == "記載なし"  # 名古屋市's case names no partner
    assert rows["連携団体"][0] != "記載なし"  # 府中市's names its partners
    assert rows["その後の状況"] == ["不明", "不明"]  # a field the source leaves open stays unknown
    csv_text = client.get("/cases/compare.csv", {"cases": [FUCHU, NAGOYA]}).content.decode("utf-8-sig")
    assert "記載なし" in csv_text


def test_comma_separated_cases_work_too(client, seeded):
    response = client.get(f"/cases/compare/?cases={FUCHU},{NAGOYA},{NANKOKU}")
    assert [case.slug for case in response.context["comparison"].cases] == [FUCHU, NAGOYA, NANKOKU]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"?cases={FUCHU}", "2〜4件の事例を選んでください"),
        ("", "2〜4件の事例を選んでください"),
        (f"?cases={FUCHU}&cases=no-such-case", "見つからなかったため、比較から除きました"),
        ("?cases=a,b,c,d,e", "4件までです"),
        ("?cases=%00%3Cscript%3E", "見つからなかったため、比較から除きました"),
    ],
)
def test_bad_requests_get_a_japanese_message_not_a_500(client, seeded, query, message):
    response = client.get(f"/cases/compare/{query}")
    assert response.status_code == 200
    assert message in visible_text(response)


def test_a_login_only_case_is_not_compared(client, seeded):
    from wagtail.models import PageViewRestriction

    from cases.models import CasePage

    PageViewRestriction.objects.create(page=CasePage.objects.get(slug=NAGOYA), restriction_type="login")
    response = client.get("/cases/compare/", {"cases": [FUCHU, NAGOYA]})
    assert "見つからなかったため、比較から除きました" in visible_text(response)
    assert "名古屋市" not in visible_text(response)


def test_the_same_table_as_csv(client, seeded):
    response = client.get("/cases/compare.csv", {"cases": [FUCHU, NAGOYA]})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "項目" and len(rows[0]) == 3
    assert ["主体", "広島県府中市", "愛知県名古屋市"] in rows
    # One case is not a comparison: back to the page that says so.
    assert client.get("/cases/compare.csv", {"cases": [FUCHU]}).status_code == 302


def test_the_list_ticks_cases_into_a_comparison(client, seeded):
    html = client.get("/cases/").content.decode()
    assert 'action="/cases/compare/"' in html and f'name="cases" value="{FUCHU}"' in html
