"""Dates as a Japanese editor types them: 2023-06-20, 2023/6/20, 2023年6月20日, 令和5年6月20日 and full-width
digits are read; anything else is refused in Japanese and the typed text stays; nothing is rewritten
into today or into 1 January."""

import datetime

import pytest

from cases.models import CasePage, InterviewPage

from .admin import add_interview_url, errors_of, fill, page_form, post_form, question

pytestmark = pytest.mark.django_db


def interview_form(client, case, interviewed_on):
    data = fill(
        page_form(client, add_interview_url(case)),
        {"title": "日付の確認", "slug": "date-check", "interviewee_name": "田中", "interviewed_on": interviewed_on},
        body=[question("質問", "田中", "回答")],
    )
    return post_form(client, add_interview_url(case), data)


@pytest.mark.parametrize(
    "typed", ["2023-06-20", "2023/6/20", "2023年6月20日", "令和5年6月20日", "２０２３年６月２０日", "R5.6.20"]
)
def test_the_interview_date_reads_what_a_japanese_editor_types(seeded, staff, client, typed):
    client.force_login(staff.editor)
    case = CasePage.objects.get(slug="fuchu-workation")
    response = interview_form(client, case, typed)
    assert response.status_code == 302, errors_of(response)
    assert InterviewPage.objects.get(slug="date-check").interviewed_on == datetime.date(2023, 6, 20)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2023/13/45", "2023年13月45日という日付はありません。"),
        ("令和5年2月30日", "2023年2月30日という日付はありません。"),
        ("去年の夏", "日付「去年の夏」を読めません（例: 2023-06-20、2023/6/20、2023年6月20日、令和5年6月20日）。"),
    ],
)
def test_a_date_that_is_not_one_is_refused_and_stays_as_typed(seeded, staff, client, typed, message):
    client.force_login(staff.editor)
    case = CasePage.objects.get(slug="fuchu-workation")
    response = interview_form(client, case, typed)
    assert errors_of(response)["interviewed_on"] == [message]
    assert f'value="{typed}"' in response.content.decode()
    assert not InterviewPage.objects.filter(slug="date-check").exists()


def test_date_fields_are_plain_text_boxes_not_the_date_picker(seeded, staff, client):
    client.force_login(staff.editor)
    case = CasePage.objects.get(slug="fuchu-workation")
    html = client.get(add_interview_url(case)).content.decode()
    field = html[html.index('name="interviewed_on"') - 200 : html.index('name="interviewed_on"') + 200]
    assert 'type="text"' in field and "initDateChooser" not in field and "令和5年6月20日" in field  # the placeholder
    edit = client.get(f"/admin/pages/{case.pk}/edit/").content.decode()
    status = edit[edit.index('name="status_as_of"') - 200 : edit.index('name="status_as_of"') + 200]
    assert "initDateChooser" not in status


def test_the_importer_reads_dates_by_the_same_rule():
    from cases.intake.importer import RowError, read_date

    assert read_date("令和6年4月1日") == datetime.date(2024, 4, 1)
    with pytest.raises(RowError, match="2024年4月31日という日付はありません"):
        read_date("2024/4/31")
