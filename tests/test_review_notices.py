"""The review's e-mails are Japanese and link where they should: the admin on WAGTAILADMIN_BASE_URL, the
public page on the site's address, CASEBOOK_BASE_URL (it was 「http://localhost/」)."""

import re

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from cases.models import CasePage

pytestmark = pytest.mark.django_db

LATIN_WORDS = re.compile(r"\b(?!https?\b)[A-Za-z]{3,}\b")


@pytest.fixture
def addresses(settings):
    settings.CASEBOOK_ADMIN_BASE_URL = "https://admin.casebook.example.jp"
    settings.CASEBOOK_BASE_URL = "https://casebook.example.jp"


def words_outside_links(text: str) -> set[str]:
    """Latin words in the message apart from links, the site's name and the users' names (the test's are Latin)."""
    return set(LATIN_WORDS.findall(re.sub(r"https?://\S+", "", text))) - {"Casebook", "DX", "moderator", "editor"}


def test_submitted_approved_and_rejected_notices_are_japanese_with_real_links(seeded, staff, addresses):
    case = CasePage.objects.get(slug="fuchu-workation")
    case.title = "広島県府中市のテレワーク（更新）"
    case.save_revision(user=staff.editor)
    mail.outbox.clear()
    case.get_workflow().start(case, staff.editor)

    to_moderator = [m for m in mail.outbox if staff.moderator.email in m.to]
    assert to_moderator, [m.subject for m in mail.outbox]
    notice = to_moderator[0]
    assert "承認待ちになりました" in notice.subject
    assert f"https://admin.casebook.example.jp/admin/pages/{case.pk}/edit/" in notice.body
    assert words_outside_links(notice.subject + notice.body) == set()

    mail.outbox.clear()
    state = WorkflowState.objects.get(object_id=str(case.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    state.current_task_state.approve(user=staff.moderator)
    [approved] = [m for m in mail.outbox if staff.editor.email in m.to]
    assert "承認されました" in approved.subject
    assert "https://casebook.example.jp/cases/fuchu-workation/" in approved.body
    assert "localhost" not in approved.body and words_outside_links(approved.subject + approved.body) == set()

    case.refresh_from_db()
    case.save_revision(user=staff.editor)
    case.get_workflow().start(case, staff.editor)
    mail.outbox.clear()
    state = WorkflowState.objects.get(object_id=str(case.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    state.current_task_state.reject(user=staff.moderator, comment="出典のURLを足してください。")
    [rejected] = [m for m in mail.outbox if staff.editor.email in m.to]
    assert "差し戻されました" in rejected.subject and "出典のURLを足してください。" in rejected.body
    assert f"https://admin.casebook.example.jp/admin/pages/{case.pk}/edit/" in rejected.body
    assert words_outside_links(rejected.subject + rejected.body) == set()
