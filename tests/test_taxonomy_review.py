"""A municipality's name is on every page and export: editors choose municipalities, moderators add and
change them, and the history says who changed what."""

import pytest
from django.urls import reverse

from casebook.base.taxonomy.models import Municipality

pytestmark = pytest.mark.django_db


def test_editors_cannot_add_or_change_a_municipality(seeded, staff, client):
    fuchu = Municipality.objects.get(code="342084")
    client.force_login(staff.editor)
    for url in (
        reverse("wagtailsnippets_cases_municipality:add"),
        reverse("wagtailsnippets_cases_municipality:edit", args=(fuchu.pk,)),
    ):
        response = client.post(url, {"code": "342084", "name": "=HYPERLINK()", "kind": "city"})
        assert response.status_code in (302, 403), url  # Wagtail's "permission denied": back to the dashboard
        assert not client.get(url).status_code == 200, url
    fuchu.refresh_from_db()
    assert fuchu.name == "府中市"
    assert not Municipality.objects.filter(name="=HYPERLINK()").exists()
    # They can still choose one for a case.
    assert client.get(reverse("wagtailsnippetchoosers_cases_municipality:choose")).status_code == 200


def test_a_moderators_change_shows_in_the_municipalitys_history(seeded, staff, client):
    fuchu = Municipality.objects.get(code="342084")
    client.force_login(staff.moderator)
    edit = reverse("wagtailsnippets_cases_municipality:edit", args=(fuchu.pk,))
    data = {
        "code": fuchu.code,
        "name": "府中市",
        "name_kana": "ふちゅうし",
        "name_romaji": "Fuchu-shi",
        "kind": fuchu.kind,
        "prefecture": fuchu.prefecture_id,
    }
    assert client.post(edit, data).status_code == 302
    fuchu.refresh_from_db()
    assert fuchu.name_romaji == "Fuchu-shi"
    history = client.get(reverse("wagtailsnippets_cases_municipality:history", args=(fuchu.pk,)))
    assert history.status_code == 200
    assert "moderator" in history.content.decode()
