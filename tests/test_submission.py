"""「事例を投稿」: a municipal employee proposes a case without an account; the address is confirmed by a
link; the case waits in 「事例の承認」 marked as 投稿 with the submitter's contact private; approval puts it
on the public list; the submitter hears of each step. Spam and bad input get Japanese answers."""

import re

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from cases.models import CasePage, CaseSubmission
from measures.models import MeasurePage

pytestmark = pytest.mark.django_db


def form_data(**changes):
    telework = MeasurePage.objects.get(slug="telework")
    data = {
        "organization": "342084",
        "department": "総務課 DX推進係",
        "name": "府中 花子",
        "email": "hanako@example.lg.jp",
        "title": "広島県府中市の電子申請の拡大",
        "summary": "府中市は電子申請の対象を広げた。",
        "primary_measure": str(telework.pk),
        "fiscal_year": "令和5年度",
        "project_cost": "1,040万円",
        "cost_fiscal_year": "2023",
        "outcome_1_label": "電子申請の件数",
        "outcome_1_value": "約3,000",
        "outcome_1_unit": "件",
        "source_1_title": "府中市 報道発表",
        "source_1_url": "https://www.example.lg.jp/press/",
        "section_activities": "電子申請の対象を広げた。\n\n窓口でも案内した。",
        "agree": "on",
        "website": "",
    }
    data.update(changes)
    return data


def confirm_link(message) -> str:
    return re.search(r"https?://testserver(/cases/submit/confirm/[\w-]+/)", message.body).group(1)


def test_a_submission_goes_through_confirmation_and_review_to_the_public_list(client, seeded, staff):
    page = client.get("/cases/submit/")
    assert page.status_code == 200 and "事例を投稿" in page.content.decode()
    assert 'href="/cases/submit/">自分の団体の事例を投稿する' in client.get("/cases/").content.decode()

    html = page.content.decode()
    security = MeasurePage.objects.get(slug="security")
    assert f'type="checkbox" name="other_measures" value="{security.pk}"' in html
    response = client.post("/cases/submit/", form_data(other_measures=[str(security.pk)]))
    assert response.status_code == 303 and response["Location"] == "/cases/submit/sent/"
    [confirmation] = mail.outbox
    assert confirmation.to == ["hanako@example.lg.jp"] and "広島県府中市の電子申請の拡大" in confirmation.body
    assert not CasePage.objects.filter(title="広島県府中市の電子申請の拡大").exists()  # not before confirmation

    link = confirm_link(confirmation)
    assert "投稿を確定する" in client.get(link).content.decode()  # opening the link alone does nothing
    assert client.post(link).status_code == 200
    case = CasePage.objects.get(title="広島県府中市の電子申請の拡大")
    assert not case.live and case.submission.status == CaseSubmission.Status.IN_REVIEW
    assert case.lead_organization.code == "342084" and case.fiscal_year == 2023
    assert [m.slug for m in case.other_measures.all()] == ["security"]
    assert case.project_cost_yen == 10_400_000 and case.outcomes.get().value == "約3,000"
    assert case.body.raw_data[0]["value"]["kind"] == "activities"
    # The submitter's contact stays with the submission, for editors: never on the case.
    assert not case.contact_public and case.contact_email == ""
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(case.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert any("受け付けました" in m.subject for m in mail.outbox)
    # Editors see who sent it, on the dashboard and in the case editor.
    client.force_login(staff.editor)
    assert "投稿: 府中 花子（広島県府中市）" in client.get("/admin/").content.decode()
    assert "hanako@example.lg.jp" in client.get(f"/admin/pages/{case.pk}/edit/").content.decode()
    client.logout()
    assert client.post(link).status_code == 200  # confirming twice makes one case
    assert CasePage.objects.filter(title="広島県府中市の電子申請の拡大").count() == 1

    # A moderator approves: the case is on the public list and the submitter is told where.
    state.current_task_state.approve(user=staff.moderator)
    case.refresh_from_db()
    assert case.live
    assert "広島県府中市の電子申請の拡大" in client.get("/cases/?measure=telework").content.decode()
    published = [m for m in mail.outbox if "公開しました" in m.subject]
    assert published and case.url in published[0].body
    # Published, the submitter's name and address are still nowhere public.
    for url in (case.url, "/cases/export.csv", "/cases/export.json", "/cases/feed/", f"/api/v2/pages/{case.pk}/"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert (
            response.status_code == 200
            and "hanako@example.lg.jp" not in body.decode()
            and "府中 花子" not in body.decode()
        )


def test_a_returned_submission_tells_the_submitter_the_moderators_comment(client, seeded, staff):
    client.post("/cases/submit/", form_data())
    client.post(confirm_link(mail.outbox[0]))
    case = CasePage.objects.get(title="広島県府中市の電子申請の拡大")
    state = WorkflowState.objects.get(object_id=str(case.pk))
    state.current_task_state.reject(user=staff.moderator, comment="事業費の出典を教えてください。")
    [returned] = [m for m in mail.outbox if "確認のお願い" in m.subject]
    assert "事業費の出典を教えてください。" in returned.body and returned.to == ["hanako@example.lg.jp"]
    assert CaseSubmission.objects.get().status == CaseSubmission.Status.RETURNED


def test_a_wrong_field_keeps_everything_typed_and_is_named_at_the_top(client, seeded):
    response = client.post(
        "/cases/submit/",
        form_data(organization="府中市", project_cost="たくさん", email="hanako@@example", agree=""),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "入力内容を確認してください" in html
    assert "「府中市」に当たる団体が2つあります" in html and "広島県府中市（342084）" in html
    assert "金額「たくさん」を読めません" in html
    assert "メールアドレスの形式が正しくありません" in html
    assert "公開への同意にチェックを入れてください" in html
    assert 'href="#id_project_cost"' in html  # the summary links each field
    assert "府中市は電子申請の対象を広げた。" in html and "電子申請の対象を広げた。" in html
    assert 'value="hanako@@example"' in html
    assert mail.outbox == [] and not CaseSubmission.objects.exists()


def test_the_honeypot_is_answered_like_a_success_and_keeps_nothing(client, seeded):
    response = client.post("/cases/submit/", form_data(website="http://spam.example/"))
    assert response.status_code == 303 and response["Location"] == "/cases/submit/sent/"
    assert mail.outbox == [] and not CaseSubmission.objects.exists()


def test_submissions_are_limited_per_address_and_per_client(client, seeded, settings):
    for n in range(3):
        assert client.post("/cases/submit/", form_data(title=f"事例{n}")).status_code == 303
    refused = client.post("/cases/submit/", form_data(title="事例4"))
    assert refused.status_code == 429 and "このメールアドレスからの投稿が多すぎます" in refused.content.decode()
    settings.CASEBOOK_SUBMISSION_LIMITS = {"per_address_per_day": 3, "per_client_per_hour": 4}
    assert client.post("/cases/submit/", form_data(email="b@example.lg.jp")).status_code == 303
    refused = client.post("/cases/submit/", form_data(email="c@example.lg.jp"))
    assert refused.status_code == 429 and "1時間ほどしてから" in refused.content.decode()


def test_size_limits_and_unknown_links_get_japanese_messages(client, seeded):
    response = client.post("/cases/submit/", form_data(section_activities="あ" * 5001, title="い" * 256))
    html = response.content.decode()
    assert "5000文字以内で入力してください" in html and "255文字以内で入力してください" in html
    missing = client.get("/cases/submit/confirm/no-such-token/")
    assert missing.status_code == 404 and "リンクが無効です" in missing.content.decode()


def test_later_reviews_of_a_published_submission_are_the_editors_not_the_submitters(client, seeded, staff):
    client.post("/cases/submit/", form_data())
    link = confirm_link(mail.outbox[0])
    client.post(link)
    case = CasePage.objects.get(title="広島県府中市の電子申請の拡大")
    WorkflowState.objects.get(object_id=str(case.pk)).current_task_state.approve(user=staff.moderator)
    case.refresh_from_db()
    case.save_revision(user=staff.editor)
    case.get_workflow().start(case, staff.editor)
    mail.outbox.clear()
    state = WorkflowState.objects.get(object_id=str(case.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    state.current_task_state.reject(user=staff.moderator, comment="編集部の内部メモ")
    assert all("hanako@example.lg.jp" not in m.to for m in mail.outbox)
    # The old confirmation link, after the case is deleted, makes nothing new.
    case.delete()
    assert client.post(link).status_code == 200
    assert not CasePage.objects.filter(title="広島県府中市の電子申請の拡大").exists()


def test_a_confirmation_the_mail_server_refused_keeps_nothing_and_says_so(client, seeded, monkeypatch):
    from django.core.mail import EmailMessage

    def refuse(message, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    response = client.post("/cases/submit/", form_data())
    assert response.status_code == 503 and "確認のメールを送れませんでした" in response.content.decode()
    assert not CaseSubmission.objects.exists() and "府中市は電子申請の対象を広げた。" in response.content.decode()
