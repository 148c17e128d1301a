"""Before a case is saved twice: a case of the same organization with a similar title, or with the same
measure and fiscal year, is named with a link; the editor can go on by saving again."""

import pytest

from cases.models import CasePage

from .admin import add_case_url, errors_of, fill, page_form, post_form

pytestmark = pytest.mark.django_db


def new_case(client, catalog, **fields):
    url = add_case_url(catalog.index)
    values = {
        "title": "府中市のワーケーション事業",
        "summary": "概要",
        "lead_organization": catalog.cases.workation.lead_organization_id,
        "primary_measure": catalog.measures["ai-rpa"].pk,
        "fiscal_year": 2024,
        "slug": "",
        **fields,
    }
    return url, fill(page_form(client, url), values, body=[])


def test_a_similar_title_of_the_same_organization_is_named_and_the_editor_can_go_on(client, catalog, staff):
    client.force_login(staff.editor)
    url, data = new_case(client, catalog)  # 「府中市のワーケーション」 exists
    warned = post_form(client, url, data)
    assert warned.status_code == 200
    [message] = errors_of(warned)["__all__"]
    assert "同じ団体の似た事例がすでにあります: 「府中市のワーケーション」" in message
    html = warned.content.decode()
    assert f"/admin/pages/{catalog.cases.workation.pk}/edit/" in html  # a link to the similar case
    assert not CasePage.objects.filter(title="府中市のワーケーション事業").exists()
    # Everything typed is still there, and saving again goes on.
    data["duplicates_seen"] = warned.context["form"].similar_signature
    assert post_form(client, url, data).status_code == 302
    assert CasePage.objects.filter(title="府中市のワーケーション事業").exists()


def test_the_same_measure_and_year_is_a_duplicate_too_but_another_organization_is_not(client, catalog, staff):
    client.force_login(staff.editor)
    telework, workation = catalog.measures["telework"], catalog.cases.workation
    url, data = new_case(client, catalog, title="まったく別の名前", primary_measure=telework.pk, fiscal_year=2021)
    assert "「府中市のワーケーション」" in errors_of(post_form(client, url, data))["__all__"][0]
    other = catalog.cases.tokyo_fuchu.lead_organization_id  # the other 府中市
    url, data = new_case(client, catalog, lead_organization=other, title="府中市のワーケーション")
    assert post_form(client, url, data).status_code == 302
    assert workation.title == "府中市のワーケーション"
