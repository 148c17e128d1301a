"""An editor's case reaches the public only through a moderator, and nothing typed is lost on the way."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, WorkflowState

from casebook.base.taxonomy.models import Municipality
from cases.models import CaseIndexPage, CasePage
from measures.models import MeasurePage

from .admin import add_case_url, edit_url, errors_of, fill, page_form, section
from .helpers import visible_text

pytestmark = pytest.mark.django_db

TITLE = "高知県南国市のペーパーレス会議の導入事例"
MARK = "ペーパーレス会議"


def case_fields(**overrides):
    fields = {
        "title": TITLE,
        "slug": "nankoku-paperless",
        "summary": f"南国市は庁内の{MARK}を導入した。",
        "lead_organization": Municipality.objects.get(code="392049").pk,
        "primary_measure": MeasurePage.objects.get(slug="telework").pk,
        "fiscal_year": 2022,
    }
    fields.update(overrides)
    return fields


def submit_new_case(client, index):
    data = fill(
        page_form(client, add_case_url(index)), case_fields(), body=[section("background", "紙の資料が多かった。")]
    )
    data["action-submit"] = "1"
    response = client.post(add_case_url(index), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return CasePage.objects.get(slug="nankoku-paperless")


def workflow_action(client, page, action, comment=""):
    state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
    return client.post(url, {"comment": comment})


def public_listings(client):
    return (
        visible_text(client.get("/cases/")),
        visible_text(client.get("/search/", {"q": MARK})),
        client.get("/cases/export.csv").getvalue().decode("utf-8-sig"),
        client.get("/cases/export.json").getvalue().decode(),
    )


def test_review_workflow_covers_the_case_and_measure_indexes(seeded):
    for index in (CaseIndexPage.objects.get(), MeasurePage.objects.first().get_parent()):
        workflow = index.get_workflow()
        assert workflow is not None and workflow.name == "事例の承認"
        assert [task.name for task in workflow.tasks] == ["承認者による確認"]


def test_rejected_then_resubmitted_case_goes_public_only_after_approval(seeded, staff, client):
    client.force_login(staff.editor)
    case = submit_new_case(client, CaseIndexPage.objects.get())

    # Submitted: not public, and the moderator is told by e-mail.
    assert not case.live
    assert case.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert any(staff.moderator.email in message.to and TITLE in message.subject for message in mail.outbox)
    assert all(TITLE not in text for text in public_listings(client))
    dashboard = visible_text(client.get(reverse("wagtailadmin_home")))
    assert TITLE in dashboard[dashboard.index("承認待ちの事例") : dashboard.index("自分の下書き")]

    # The moderator rejects with a comment; the editor sees it and the draft is intact.
    client.force_login(staff.moderator)
    assert TITLE in visible_text(client.get(reverse("wagtailadmin_home")))
    response = workflow_action(client, case, "reject", comment="成果の数値と出典を追加してください。")
    assert response.status_code in (200, 302)
    case.refresh_from_db()
    assert case.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not case.live
    assert any(staff.editor.email in message.to for message in mail.outbox[-3:])

    client.force_login(staff.editor)
    edit_page = client.get(edit_url(case))
    assert "成果の数値と出典を追加してください。" in visible_text(edit_page)
    data = page_form(client, edit_url(case))
    assert data["summary"].strip() == f"南国市は庁内の{MARK}を導入した。"

    # The editor adds an outcome and a source, and resubmits.
    fill(
        data,
        {
            "outcomes-TOTAL_FORMS": 1,
            "outcomes-0-label": "紙の削減",
            "outcomes-0-value": "約5,000",
            "outcomes-0-unit": "枚",
            "outcomes-0-ORDER": 1,
            "sources-TOTAL_FORMS": 1,
            "sources-0-title": "南国市 会議資料",
            "sources-0-url": "https://www.city.nankoku.lg.jp/",
            "sources-0-ORDER": 1,
        },
        body=[section("background", "紙の資料が多かった。")],
    )
    data["action-submit"] = "1"
    assert client.post(edit_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not case.live

    # Approval publishes; the case is in the list, the search and both exports.
    client.force_login(staff.moderator)
    workflow_action(client, case, "approve", comment="確認しました。")
    case.refresh_from_db()
    assert case.live and case.current_workflow_state is None
    assert [o.value for o in case.outcomes.all()] == ["約5,000"]
    client.logout()
    for text in public_listings(client):
        assert TITLE in text.replace(" ", "")  # search marks the query words inside the title

    # The history tells the whole story.
    client.force_login(staff.moderator)
    history = visible_text(client.get(reverse("wagtailadmin_pages:history", args=(case.pk,))))
    assert history.count("承認者による確認") >= 2


def test_scheduled_publication_waits_for_its_time(seeded, staff, client):
    from datetime import timedelta
    from unittest import mock

    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(staff.moderator)
    later = timezone.localtime() + timedelta(hours=2)
    data = fill(
        page_form(client, add_case_url(CaseIndexPage.objects.get())),
        case_fields(go_live_at=later.strftime("%Y-%m-%d %H:%M")),
        body=[],
    )
    data["action-publish"] = "1"
    assert client.post(add_case_url(CaseIndexPage.objects.get()), data).status_code == 302
    case = CasePage.objects.get(slug="nankoku-paperless")
    assert not case.live
    assert TITLE not in visible_text(client.get("/cases/"))

    assert case.get_latest_revision().approved_go_live_at is not None

    call_command("publish_scheduled")  # too early: nothing happens
    case.refresh_from_db()
    assert not case.live

    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=3)):
        call_command("publish_scheduled")
    case.refresh_from_db()
    assert case.live


@pytest.mark.parametrize("page_type", ["home", "measure_index", "measure", "case_index", "case", "interview"])
def test_every_page_type_previews_a_draft(seeded, staff, client, page_type):
    from casebook.site.home.models import HomePage
    from cases.models import InterviewPage
    from measures.models import MeasureIndexPage

    page = {
        "home": HomePage.objects.first,
        "measure_index": MeasureIndexPage.objects.first,
        "measure": MeasurePage.objects.first,
        "case_index": CaseIndexPage.objects.first,
        "case": CasePage.objects.first,
        "interview": InterviewPage.objects.first,
    }[page_type]()
    client.force_login(staff.editor)
    data = page_form(client, edit_url(page))
    data["title"] = f"{page.title}（下書きの見出し）"
    if "body-count" not in data and hasattr(page.specific, "body"):
        # StreamFields are drawn by JavaScript; post back the stored blocks as the browser would.
        fill(data, body=[])
        data.update(_stream_data(page.specific))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    response = client.post(preview_url, data)
    assert response.json()["is_valid"] is True, response.json()
    shown = client.get(preview_url)
    assert shown.status_code == 200
    assert "（下書きの見出し）" in visible_text(shown)
    assert not Page.objects.filter(title__endswith="（下書きの見出し）").exists()
    assert client.get(reverse("wagtailadmin_pages:history", args=(page.pk,))).status_code == 200


def test_a_withdrawn_submission_keeps_the_draft_and_its_history(seeded, staff, client):
    client.force_login(staff.editor)
    case = submit_new_case(client, CaseIndexPage.objects.get())
    submitted = case.get_latest_revision()

    # While in review the page is locked for its editor; withdrawing is allowed and keeps the content.
    data = fill(page_form(client, edit_url(case)), body=[section("background", "紙の資料が多かった。")])
    data["action-cancel-workflow"] = "1"
    response = client.post(edit_url(case), data)
    assert response.status_code in (200, 302), errors_of(response)
    case = CasePage.objects.get(pk=case.pk)
    assert case.current_workflow_state is None and not case.live
    assert case.get_latest_revision_as_object().summary == f"南国市は庁内の{MARK}を導入した。"

    # A later draft is a new revision; the submitted one can still be opened and restored.
    data = page_form(client, edit_url(case))
    fill(data, {"summary": "取り下げた後に書き直した要約。"}, body=[section("background", "紙の資料が多かった。")])
    assert client.post(edit_url(case), data).status_code == 302
    case = CasePage.objects.get(pk=case.pk)
    assert case.get_latest_revision_as_object().summary == "取り下げた後に書き直した要約。"
    revert = reverse("wagtailadmin_pages:revisions_revert", args=(case.pk, submitted.pk))
    assert f"南国市は庁内の{MARK}を導入した。" in client.get(revert).content.decode()


def _stream_data(page):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    items = [(block.block_type, block.block.get_form_state(block.value)) for block in page.body]
    return {k: str(v) for k, v in nested_form_data({"body": streamfield(items)}).items()}
