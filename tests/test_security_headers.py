"""Every response carries the security headers; the public policy allows no inline script."""

import pytest

pytestmark = pytest.mark.django_db


def policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "url",
    ["/", "/cases/", "/cases/?measure=telework", "/search/?q=観光", "/cases/export.csv", "/accessibility/", "/nai/"],
)
def test_public_responses_carry_a_strict_policy_and_the_other_headers(seeded, client, url):
    response = client.get(url)
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_admin_policy_is_looser_only_under_admin(seeded, client, staff):
    client.force_login(staff.editor)
    admin = policy(client.get("/admin/"))
    assert "'unsafe-inline'" in admin["script-src"]
    assert admin["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in policy(client.get("/cases/"))["script-src"]


def test_public_templates_have_no_inline_script_or_style(seeded, client):
    import re

    from .test_page_structure import public_urls

    for url in public_urls():
        html = client.get(url).content.decode()
        # The one inline script allowed is data, not code: schema.org JSON-LD, which no browser runs.
        assert not re.search(r"<script(?![^>]*\bsrc=)(?! type=\"application/ld\+json\">)", html), url
        assert not re.search(r"\sstyle=\"", html), url
        assert not re.search(r"\son[a-z]+=\"", html), url


def test_a_preview_may_be_framed_by_the_admin_and_nothing_else_loosens(client, catalog, staff):
    """Wagtail previews through a dummy request for the public path; the admin's side panel frames it."""
    from django.urls import reverse

    from cases.models import CasePage

    from .admin import edit_url, fill, page_form, post_form

    client.force_login(staff.editor)
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(case.pk,))
    assert post_form(client, url, fill(page_form(client, edit_url(case)), body=[])).json()["is_valid"]
    response = client.get(url)
    assert case.title in response.content.decode()
    preview = policy(response)
    assert preview["frame-ancestors"] == ["'self'"]
    assert preview["script-src"] == ["'self'"] and "'unsafe-inline'" not in preview["style-src"]
    # The public page itself still refuses every frame.
    assert policy(client.get(case.url))["frame-ancestors"] == ["'none'"]
