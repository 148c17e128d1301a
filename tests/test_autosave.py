"""Autosave is off (README: drafts nobody meant to keep), and leaving a form with unsaved changes still warns."""

import pytest
from wagtail.models import Revision

from cases.models import CasePage

from .admin import add_case_url, edit_url

pytestmark = pytest.mark.django_db


def test_the_case_forms_do_not_autosave_but_warn_before_leaving(client, seeded, staff):
    client.force_login(staff.editor)
    case = CasePage.objects.get(slug="fuchu-workation")
    for url in (add_case_url(case.get_parent()), edit_url(case)):
        html = client.get(url).content.decode()
        form = html[html.index('id="page-edit-form"') : html.index("csrfmiddlewaretoken")]  # the form tag
        assert "w-autosave" not in form and "data-w-autosave-interval-value" not in form
        assert "beforeunload@window->w-unsaved#confirm" in form and 'data-w-unsaved-confirmation-value="true"' in form
    assert not Revision.objects.filter(user=staff.editor).exists()  # opening the forms saved nothing
