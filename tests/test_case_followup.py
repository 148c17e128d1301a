"""What happened next and whom to ask: その後の状況 (a facet, on the page and in the exports), 問い合わせ先
shown only with the municipality's agreement, 最終更新日 and the note on cases not updated for three years."""

import datetime
import json

import pytest
from django.utils import timezone

from cases.models import CasePage

from .admin import edit_url, errors_of, fill, page_form, post_form
from .helpers import visible_text

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_department": "企画財政課",
    "contact_phone": "0847-43-7153",
    "contact_email": "kikaku@example.jp",
    "contact_url": "https://example.jp/form",
}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def followed_up(catalog, django_user_model):
    """A case an editor followed up (their revision is live, so the page is dated by it)."""
    editor = django_user_model.objects.create_user("followup-editor")
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    case.status, case.status_as_of, case.status_note = "expanded", datetime.date(2025, 4, 1), "3地区に拡大"
    for name, value in CONTACT.items():
        setattr(case, name, value)
    case.save_revision(user=editor).publish()
    return case


def test_the_status_shows_on_the_case_and_filters_the_list(client, followed_up):
    text = visible_text(client.get(followed_up.url))
    assert "その後の状況" in text and "拡大" in text and "2025年4月1日時点" in text and "3地区に拡大" in text
    response = client.get("/cases/?status=expanded")
    assert [c.title for c in response.context["page_obj"].object_list] == [followed_up.title]
    assert "その後の状況: 拡大" in visible_text(response)
    groups = {g.name: g for g in client.get("/cases/").context["facet_groups"]}
    assert {o.value: o.count for o in groups["status"].options} == {"expanded": 1}


def test_a_contact_stays_private_until_the_municipality_agrees(client, followed_up):
    assert "kikaku@example.jp" not in client.get(followed_up.url).content.decode()
    exported = json.loads(body_of(client.get("/cases/export.json?status=expanded")))["results"][0]
    assert exported["contact"] is None
    assert "kikaku@example.jp" not in body_of(client.get("/cases/export.csv")).decode("utf-8-sig")

    followed_up.contact_public = True
    followed_up.save_revision().publish()
    text = visible_text(client.get(followed_up.url))
    assert "問い合わせ先" in text and "0847-43-7153" in text and "kikaku@example.jp" in text
    assert 'href="tel:0847437153"' in client.get(followed_up.url).content.decode()
    exported = json.loads(body_of(client.get("/cases/export.json?status=expanded")))["results"][0]
    assert exported["contact"] == {
        "department": "企画財政課",
        "phone": "0847-43-7153",
        "email": "kikaku@example.jp",
        "url": "https://example.jp/form",
    }
    assert exported["status"] == {"slug": "expanded", "label": "拡大", "as_of": "2025-04-01", "note": "3地区に拡大"}


def test_every_case_shows_its_last_update_and_old_ones_say_so(client, followed_up):
    assert "最終更新日" in visible_text(client.get(followed_up.url))
    assert "情報が古い可能性があります" not in visible_text(client.get(followed_up.url))
    CasePage.objects.filter(pk=followed_up.pk).update(last_published_at=timezone.now() - datetime.timedelta(days=1100))
    assert "情報が古い可能性があります" in visible_text(client.get(followed_up.url))


def test_the_editor_is_told_in_japanese_what_is_missing(client, catalog, staff):
    client.force_login(staff.editor)
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    data = fill(page_form(client, edit_url(case)), body=[])
    data["status"] = "ended"
    data["contact_public"] = "on"
    data["contact_phone"] = "12345"
    response = post_form(client, edit_url(case), data)
    errors = errors_of(response)
    assert "日付も入力してください" in errors["status_as_of"][0]
    assert "10〜11桁" in errors["contact_phone"][0]
    # What was typed stays in the form.
    assert 'value="12345"' in response.content.decode()


def test_a_future_status_date_is_refused(client, catalog, staff):
    client.force_login(staff.editor)
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    data = fill(page_form(client, edit_url(case)), body=[])
    data["status"] = "continuing"
    data["status_as_of"] = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert "未来の日付" in errors_of(post_form(client, edit_url(case), data))["status_as_of"][0]


def test_an_unknown_status_gets_the_note_of_the_other_facets(client, catalog):
    response = client.get("/cases/?status=<b>")
    assert response.status_code == 200
    assert "その後の状況「<b>」は見つからないため無視しました" in visible_text(response)


def test_a_url_typed_into_a_source_is_a_link(client, followed_up):
    from cases.models import CaseSource

    CaseSource.objects.create(page=followed_up, title="https://www.city.example.jp/dx/report.html", sort_order=9)
    html = client.get(followed_up.url).content.decode()
    assert '<a href="https://www.city.example.jp/dx/report.html"' in html
