"""Who can do what: anonymous, 編集者, 承認者 and an administrator, against each editing action."""

import pytest
from django.urls import reverse

from cases.models import CaseIndexPage, CasePage

from .admin import add_case_url, edit_url, fill, page_form

pytestmark = pytest.mark.django_db

DRAFT_MARK = "下書きだけにある一文XYZZY"

ROLES = ["anonymous", "editor", "moderator", "admin"]
# What each role may do; everything else must be refused.
ALLOWED = {
    "anonymous": set(),
    "editor": {"create", "edit", "submit", "view_draft"},
    "moderator": {"create", "edit", "submit", "publish", "delete", "view_draft"},
    "admin": {"create", "edit", "submit", "publish", "delete", "view_draft"},
}


@pytest.fixture
def draft_case(seeded):
    """A live case with an unpublished change that only the draft holds."""
    case = CasePage.objects.live().order_by("pk").first()
    case.summary = f"{case.summary}{DRAFT_MARK}"
    case.save_revision()
    return CasePage.objects.get(pk=case.pk)


def login(client, staff, role):
    if role != "anonymous":
        client.force_login(getattr(staff, role))


def can_create(client, case):
    index = CaseIndexPage.objects.get()
    response = client.get(add_case_url(index))
    return response.status_code == 200 and b"page-edit-form" in response.content


def can_edit(client, case):
    response = client.get(edit_url(case))
    return response.status_code == 200 and b"page-edit-form" in response.content


def _post_edit(client, case, action):
    response = client.get(edit_url(case))
    if response.status_code != 200:
        return None
    data = page_form(client, edit_url(case))
    fill(data, body=[])
    data[action] = "1"
    return client.post(edit_url(case), data)


def can_submit(client, case):
    _post_edit(client, case, "action-submit")
    state = CasePage.objects.get(pk=case.pk).current_workflow_state
    return state is not None


def can_publish(client, case):
    _post_edit(client, case, "action-publish")
    fresh = CasePage.objects.get(pk=case.pk)
    return DRAFT_MARK in fresh.summary and fresh.live and not fresh.has_unpublished_changes


def can_delete(client, case):
    client.post(reverse("wagtailadmin_pages:delete", args=(case.pk,)))
    return not CasePage.objects.filter(pk=case.pk).exists()


def can_view_draft(client, case):
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=(case.pk,)))
    return response.status_code == 200 and DRAFT_MARK in response.content.decode()


ACTIONS = {
    "create": can_create,
    "edit": can_edit,
    "submit": can_submit,
    "publish": can_publish,
    "delete": can_delete,
    "view_draft": can_view_draft,
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, staff, draft_case, role, action):
    login(client, staff, role)
    assert ACTIONS[action](client, draft_case) is (action in ALLOWED[role])


def test_the_public_never_sees_the_draft(client, draft_case):
    assert DRAFT_MARK not in client.get(draft_case.url).content.decode()
    assert DRAFT_MARK not in client.get("/cases/export.json").getvalue().decode()
