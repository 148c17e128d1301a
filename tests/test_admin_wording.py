"""What the admin and the sign-in pages say (issue #28, item 5): Japanese where Wagtail writes English, the
same tab names in both editors, one main button for a moderator's review and a message that says what the
review did, and the sign-in for a login-only page in the site's own look."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction, WorkflowState

from cases.models import CasePage, InterviewPage

from .admin import edit_url, fill, page_form
from .helpers import visible_text

pytestmark = pytest.mark.django_db

# A tab's label, before its error count (wagtailadmin/shared/tabs/tab_nav_link.html).
TAB = re.compile(r'<a\b[^>]*\brole="tab"[^>]*>\s*(.*?)\s*<div class="w-tabs__errors"', re.S)


def tab_labels(response) -> list[str]:
    return TAB.findall(response.content.decode())


def in_review(case, editor):
    """The case with a draft, sent to review by `editor` (as 「承認に回す」 leaves it)."""
    case.save_revision(user=editor)
    case.get_workflow().start(case, editor)
    return CasePage.objects.get(pk=case.pk)


def main_button(response) -> str:
    """The action menu's main button: the first button of the editor footer's dropdown button."""
    html = response.content.decode()
    footer = html[html.index('class="w-dropdown-button') :]
    return re.search(r"<button\b[^>]*>.*?</button>", footer, re.S).group(0)


def approve_in_the_editor(client, case):
    """「承認と公開」 in the moderator's editor, as its button posts the form."""
    data = fill(page_form(client, edit_url(case)), body=[])
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    return client.post(edit_url(case), data, follow=True)


def workflow_action(client, page, action, **fields):
    """The dashboard's buttons: the workflow action's own view."""
    state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
    return client.post(url, fields, follow=True)


def test_the_tags_field_explains_itself_in_japanese(seeded, staff, client):
    client.force_login(staff.editor)
    response = client.get(edit_url(CasePage.objects.get(slug="fuchu-workation")))
    assert "Multi-word tags" not in response.content.decode()
    assert "空白を含むタグは、自動的に二重引用符" in visible_text(response)


def test_the_interview_editor_names_its_tabs_as_the_case_editor_does(seeded, staff, client):
    client.force_login(staff.moderator)
    interview = InterviewPage.objects.first()
    case_tabs = tab_labels(client.get(edit_url(interview.get_parent())))
    interview_tabs = tab_labels(client.get(edit_url(interview)))
    # (設定, Wagtail's settings panels, shows as a tab in neither: its dates are in the status side panel.)
    assert interview_tabs == ["本文", "公開設定"]
    assert "本文" in case_tabs and case_tabs[-1] == "公開設定"


def test_screen_reader_words_are_japanese(seeded, staff, client):
    client.force_login(staff.moderator)
    found = client.get("/admin/snippets/cases/municipality/", {"q": "神石高原"})
    assert "1件見つかりました" in visible_text(found) and "There is" not in found.content.decode()
    assert 'placeholder="検索…"' in found.content.decode()
    editor = client.get(edit_url(CasePage.objects.get(slug="fuchu-workation"))).content.decode()
    assert '<h2 id="side-panel-checks-title" class="w-sr-only">チェック</h2>' in editor
    assert 'aria-label="チェックの開閉"' in editor
    # The sidebar's toggle is drawn by Wagtail's script, from the script catalogue.
    catalogue = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    said = re.search(r'"Toggle sidebar":\s*("(?:[^"\\]|\\.)*")', catalogue)
    assert said and json.loads(said.group(1)) == "サイドバーの開閉"


def test_the_admin_sign_in_names_casebook(client):
    text = visible_text(client.get("/admin/login/"))
    assert "Casebook 管理画面にログイン" in text
    assert "Wagtailへサインイン" not in text


def test_a_moderator_has_one_main_button_to_approve_and_publish(seeded, staff, client):
    case = in_review(CasePage.objects.get(slug="fuchu-workation"), staff.editor)
    client.force_login(staff.moderator)
    response = client.get(edit_url(case))
    button = main_button(response)
    assert 'data-workflow-action-name="approve"' in button and "承認と公開" in button
    assert "data-workflow-action-modal-url" not in button  # no comment dialog in the way
    assert 'name="action-publish"' not in response.content.decode()  # no plain 「公開」 beside it
    assert "コメントを付けて承認と公開" in visible_text(response)
    # A page not in review keeps 「公開」.
    other = CasePage.objects.exclude(pk=case.pk).live().first()
    assert 'name="action-publish"' in client.get(edit_url(other)).content.decode()
    # An editor's main button for a page not in review is still 「承認に回す」.
    client.force_login(staff.editor)
    assert 'name="action-submit"' in main_button(client.get(edit_url(other)))


def test_approving_in_the_editor_says_approved_and_published(seeded, staff, client):
    case = in_review(CasePage.objects.get(slug="fuchu-workation"), staff.editor)
    client.force_login(staff.moderator)
    text = visible_text(approve_in_the_editor(client, case))
    case = CasePage.objects.get(pk=case.pk)
    assert case.live and not case.has_unpublished_changes and case.current_workflow_state is None
    assert f"「{case.title}」を承認し、公開しました。" in text
    assert "更新が完了しました" not in text and "公開中のページを見る" in text


def test_approving_from_the_dashboard_says_so_too(seeded, staff, client):
    case = in_review(CasePage.objects.get(slug="fuchu-workation"), staff.editor)
    client.force_login(staff.moderator)
    text = visible_text(workflow_action(client, case, "approve"))
    assert f"「{case.title}」を承認し、公開しました。" in text


def test_approving_a_scheduled_page_says_when_it_goes_live(seeded, staff, client):
    case = CasePage.objects.get(slug="fuchu-workation")
    later = timezone.localtime() + timedelta(days=3)
    case.go_live_at = later
    case = in_review(case, staff.editor)
    client.force_login(staff.moderator)
    text = visible_text(workflow_action(client, case, "approve"))
    assert f"「{case.title}」を承認しました。{later:%Y}年{later.month}月{later.day}日" in text
    assert "に公開されます。" in text and "公開しました" not in text


def test_requesting_changes_says_it_was_sent_back(seeded, staff, client):
    case = in_review(CasePage.objects.get(slug="fuchu-workation"), staff.editor)
    client.force_login(staff.moderator)
    text = visible_text(workflow_action(client, case, "reject", comment="出典を追加してください。"))
    assert CasePage.objects.get(pk=case.pk).current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert f"「{case.title}」を差し戻しました。" in text


def test_the_sign_in_for_a_login_only_case_has_the_site_look(seeded, staff, client):
    case = CasePage.objects.get(slug="fuchu-workation")
    PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(case.url, follow=True)
    assert response.redirect_chain[-1][0].startswith("/_util/login/?next=")
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/casebook.css">' in html
    assert '<header class="site-header">' in html and '<footer class="site-footer">' in html
    assert re.search(r"<h1>ログインが必要なページです</h1>", html)
    assert html.count('<div class="form-field') == 2  # the site's form fields: ユーザー名, パスワード
    assert '<button type="submit" class="button">ログイン</button>' in html
    assert '<meta name="robots" content="noindex">' in html
    # Wrong: the site's error summary; right: on to the case.
    wrong = client.post("/_util/login/", {"username": "editor", "password": "違う", "next": case.url})
    assert 'class="error-summary"' in wrong.content.decode() and "ログインできませんでした" in visible_text(wrong)
    right = client.post("/_util/login/", {"username": "editor", "password": "pw", "next": case.url})
    assert right.status_code == 302 and right["Location"] == case.url
