"""An interview's answers name their speaker once: an answer left without one is the interviewee's."""

import pytest

from cases.models import CasePage, InterviewPage

from .admin import add_interview_url, errors_of, fill, page_form, post_form, question

pytestmark = pytest.mark.django_db


def test_an_answer_without_its_own_speaker_is_the_interviewees(seeded, staff, client):
    client.force_login(staff.editor)
    case = CasePage.objects.get(slug="fuchu-workation")
    data = fill(
        page_form(client, add_interview_url(case)),
        {"title": "話し手の確認", "slug": "speaker-check", "interviewee_name": "田中"},
        body=[question("質問", "", "回答"), question("質問2", "佐藤", "回答2")],
    )
    response = post_form(client, add_interview_url(case), data)
    assert response.status_code == 302, errors_of(response)
    body = InterviewPage.objects.get(slug="speaker-check").body
    assert [block.value["speaker"] for block in body] == ["田中", "佐藤"]
