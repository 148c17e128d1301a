"""Editors get a Japanese message at the field, and what they typed is still in the form."""

import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from casebook.base.taxonomy.models import Municipality
from casebook.site.home.models import HomePage
from cases.models import CaseIndexPage, CasePage

from .admin import add_case_url, errors_of, fill, page_form
from .test_editorial_workflow import case_fields

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _next_year_plus_one():
    from django.utils import timezone

    return timezone.localdate().year + 2


def _fuchu():
    return Municipality.objects.get(code="342084").pk


CASE_RULES = {
    "negative cost": (
        lambda: {"project_cost_yen": -10400000, "cost_fiscal_year": 2021},
        "project_cost_yen",
        "0",
    ),
    "fiscal year before 1990": (lambda: {"fiscal_year": 1989}, "fiscal_year", "1990"),
    "fiscal year after next year": (lambda: {"fiscal_year": _next_year_plus_one()}, "fiscal_year", "1990"),
    "cost without its year": (lambda: {"project_cost_yen": 10400000}, "cost_fiscal_year", "年度"),
    "primary measure also other": (
        lambda: {"other_measures": [case_fields()["primary_measure"]]},
        "other_measures",
        "主な重点取組事項",
    ),
    "partner equal to lead": (
        lambda: {"lead_organization": _fuchu(), "partner_organizations": [_fuchu()]},
        "partner_organizations",
        "主体の団体",
    ),
    "outcome value without unit": (
        lambda: {"outcomes-TOTAL_FORMS": 1, "outcomes-0-label": "体験者数", "outcomes-0-value": "約3,000"},
        "outcomes-0-unit",
        "単位",
    ),
    "source with an invalid URL": (
        lambda: {"sources-TOTAL_FORMS": 1, "sources-0-title": "府中市 資料", "sources-0-url": "ftp//府中市"},
        "sources-0-url",
        "URL",
    ),
}


@pytest.mark.parametrize("rule", list(CASE_RULES))
def test_case_form_rejects_with_a_japanese_message_and_keeps_the_input(seeded, staff, client, rule):
    make_fields, field, fragment = CASE_RULES[rule]
    client.force_login(staff.editor)
    url = add_case_url(CaseIndexPage.objects.get())
    typed = {**case_fields(), **make_fields()}
    data = fill(page_form(client, url), typed, body=[])
    response = client.post(url, data)

    assert response.status_code == 200
    assert not CasePage.objects.filter(slug="nankoku-paperless").exists()
    messages = errors_of(response).get(field)
    assert messages, errors_of(response)
    assert len(messages) == len(set(messages)), messages  # each message once
    assert any(fragment in m and JAPANESE.search(m) for m in messages), messages

    # Everything the editor typed comes back in the re-rendered form.
    kept = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name, value in typed.items():
        if name.endswith("TOTAL_FORMS"):
            continue
        if isinstance(value, list):
            assert kept.getlist(name) == [str(v) for v in value], name
        else:
            assert kept.get(name, "").strip() == str(value), name


def test_lg_code_with_a_wrong_check_digit_is_refused_at_the_field(seeded, staff, client):
    client.force_login(staff.moderator)  # moderators add municipalities (tests/test_taxonomy_review.py)
    url = reverse("wagtailsnippets_cases_municipality:add")
    data = querydict_from_html(client.get(url).content.decode(), form_id=None, form_index=_form_index(client, url))
    prefecture = Municipality.objects.get(code="342084").prefecture
    fill(
        data,
        {"code": "342085", "name": "府中市", "name_kana": "ふちゅうし", "kind": "city", "prefecture": prefecture.pk},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "検査数字（6桁目）が正しくありません。34208 に続く検査数字は 4 です。" in errors_of(response)["code"]
    kept = querydict_from_html(response.content.decode(), form_index=_form_index(client, url))
    assert kept["code"] == "342085" and kept["name_kana"] == "ふちゅうし"
    assert Municipality.objects.filter(code="342085").count() == 0


def test_lg_code_in_full_width_digits_is_read_as_ascii(seeded, staff, client):
    client.force_login(staff.moderator)
    url = reverse("wagtailsnippets_cases_municipality:add")
    data = querydict_from_html(client.get(url).content.decode(), form_id=None, form_index=_form_index(client, url))
    fukuoka_prefecture = Municipality.objects.get(code="400009").prefecture
    Municipality.objects.filter(code="401307").delete()  # the national list has it; add it again by hand
    fill(
        data,
        {
            "code": "４０１３０７",
            "name": "福岡市",
            "name_kana": "ふくおかし",
            "kind": "designated-city",
            "prefecture": fukuoka_prefecture.pk,
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert Municipality.objects.get(code="401307").name == "福岡市"


def test_a_municipality_gets_its_prefecture_from_its_code(seeded, staff, client):
    client.force_login(staff.moderator)
    url = reverse("wagtailsnippets_cases_municipality:add")
    data = querydict_from_html(client.get(url).content.decode(), form_id=None, form_index=_form_index(client, url))
    Municipality.objects.filter(code="401307").delete()
    fill(
        data,
        {"code": "401307", "name": "福岡市", "name_kana": "ふくおかし", "kind": "designated-city", "prefecture": ""},
    )
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert Municipality.objects.get(code="401307").prefecture.name == "福岡県"
    # A code that names no prefecture, and no prefecture chosen: a Japanese message, nothing saved.
    data = querydict_from_html(client.get(url).content.decode(), form_id=None, form_index=_form_index(client, url))
    fill(data, {"code": "12", "name": "試験村", "kind": "village", "prefecture": ""})
    errors = errors_of(client.post(url, data))
    assert errors["prefecture"] == ["都道府県を選ぶか、正しい団体コードを入力してください。"]


def _form_index(client, url):
    """The index of the snippet's own form among the page's forms (the search form comes first)."""
    html = client.get(url).content.decode()
    forms = re.findall(r"<form\b[^>]*>", html)
    return next(i for i, tag in enumerate(forms) if 'method="POST"' in tag or 'method="post"' in tag)


def test_home_page_form_still_validates(seeded, staff, client):
    """The shared form base keeps Wagtail's own validation (an empty title)."""
    client.force_login(staff.admin)
    home = HomePage.objects.get()
    url = reverse("wagtailadmin_pages:edit", args=(home.pk,))
    data = page_form(client, url)
    data["title"] = ""
    response = client.post(url, data)
    assert response.status_code == 200 and "title" in errors_of(response)


def test_a_title_too_long_is_refused_in_japanese_not_cut(seeded, staff, client):
    client.force_login(staff.editor)
    url = add_case_url(CaseIndexPage.objects.get())
    form_html = client.get(url).content.decode()
    assert not re.search(r'<input[^>]*name="title"[^>]*maxlength', form_html)
    title = "長い題名" * 80  # 320 characters
    data = fill(page_form(client, url), {**case_fields(), "title": title}, body=[])
    response = client.post(url, data)
    assert response.status_code == 200
    assert any("255" in message and "文字" in message for message in errors_of(response)["title"])
    kept = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    assert kept["title"] == title
