"""The admin helps editors find municipalities, keeps taxonomy that cases use, and shows what needs doing."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from casebook.base.taxonomy.models import GrantProgram, Municipality
from casebook.site.editorial.roles import EDITORS, MODERATORS, ensure_roles
from cases.models import CasePage, InterviewPage

from .admin import add_case_url, add_interview_url, edit_url, errors_of, fill, page_form, post_form, question
from .helpers import visible_text

pytestmark = pytest.mark.django_db

BOTH_FUCHU = ["広島県府中市", "東京都府中市"]


def chooser_names(client, query):
    response = client.get(reverse("wagtailsnippetchoosers_cases_municipality:choose_results"), {"q": query})
    assert response.status_code == 200
    return re.findall(r"(?:広島県|東京都)府中市|高知県南国市", response.content.decode())


@pytest.mark.parametrize("query", ["府中", "ふちゅう", "fuchu", "中市", "府中 東京", "34208"])
def test_municipality_chooser_finds_by_name_kana_romaji_part_or_code(seeded, staff, client, query):
    client.force_login(staff.editor)
    found = set(chooser_names(client, query))
    expected = {"広島県府中市"} if query == "34208" else {"東京都府中市"} if "東京" in query else set(BOTH_FUCHU)
    assert expected <= found
    if query in ("34208", "府中 東京"):
        assert found == expected


def test_municipality_chooser_opens_with_its_search_box(seeded, staff, client):
    client.force_login(staff.editor)
    response = client.get(reverse("wagtailsnippetchoosers_cases_municipality:choose"))
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert "名称・よみ・コードで検索" in html


def test_grant_chooser_finds_part_of_a_name(seeded, staff, client):
    client.force_login(staff.editor)
    response = client.get(reverse("wagtailsnippetchoosers_cases_grantprogram:choose_results"), {"q": "推進"})
    assert "地方創生推進交付金" in response.content.decode()


def test_municipality_listing_searches_and_counts_cases(seeded, staff, client):
    client.force_login(staff.editor)
    response = client.get(reverse("wagtailsnippets_cases_municipality:list"), {"q": "ふちゅう"})
    text = visible_text(response)
    assert "事例数" in text
    assert all(name in text for name in ("府中市", "広島県", "東京都"))
    fuchu = Municipality.objects.get(code="342084")
    expected = (
        CasePage.objects.filter(lead_organization=fuchu).count()
        + CasePage.objects.filter(partner_organizations=fuchu).count()
    )
    assert expected == 1
    rows = re.findall(r"<tr\b.*?</tr>", response.content.decode(), flags=re.S)
    hiroshima_row = next(visible_text_of(row) for row in rows if "342084" in row)
    assert re.search(r"342084\s+1\b", hiroshima_row), hiroshima_row


def visible_text_of(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_municipality_used_by_a_case_is_not_deleted_and_the_message_names_it(seeded, staff, client):
    client.force_login(staff.moderator)
    fuchu = Municipality.objects.get(code="342084")
    case = CasePage.objects.get(lead_organization=fuchu)
    url = reverse("wagtailsnippets_cases_municipality:delete", args=(fuchu.pk,))
    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        assert f"「広島県府中市」は次で使われているため削除できません: 「{case.title}」" in visible_text(response)
    assert Municipality.objects.filter(pk=fuchu.pk).exists()


def test_bulk_delete_keeps_municipalities_in_use(seeded, staff, client):
    client.force_login(staff.moderator)
    fuchu = Municipality.objects.get(code="342084")
    unused = Municipality.objects.exclude(led_cases__isnull=False).exclude(partner_cases__isnull=False)
    unused = unused.exclude(visiting_cases__isnull=False).exclude(interviews__isnull=False).exclude(kind="prefecture")
    spare = unused.exclude(online_services__isnull=False).first()
    url = reverse("wagtail_bulk_action", args=("taxonomy", "municipality", "delete"))
    response = client.post(f"{url}?id={fuchu.pk}&id={spare.pk}", follow=True)
    assert "「広島県府中市」は次で使われているため削除できません" in visible_text(response)
    assert Municipality.objects.filter(pk__in=[fuchu.pk, spare.pk]).count() == 2


def test_grant_cited_by_cases_is_not_deleted(seeded, staff, client):
    client.force_login(staff.moderator)
    grant = GrantProgram.objects.get(name="地方創生推進交付金")
    url = reverse("wagtailsnippets_cases_grantprogram:delete", args=(grant.pk,))
    text = visible_text(client.post(url, follow=True))
    assert "「地方創生推進交付金」は次で使われているため削除できません" in text
    assert CasePage.objects.filter(grant_programs=grant).first().title in text
    assert GrantProgram.objects.filter(pk=grant.pk).exists()


def test_unused_grant_can_be_deleted(seeded, staff, client):
    client.force_login(staff.moderator)
    grant = GrantProgram.objects.create(name="試験用の補助金", slug="test-grant", administered_by="総務省")
    client.post(reverse("wagtailsnippets_cases_grantprogram:delete", args=(grant.pk,)))
    assert not GrantProgram.objects.filter(pk=grant.pk).exists()


def test_tags_autocomplete_from_existing_tags(seeded, staff, client):
    client.force_login(staff.editor)
    url = reverse("wagtailadmin_tag_autocomplete")
    assert url in client.get(edit_url(CasePage.objects.first())).content.decode()
    response = client.get(url, {"term": "ワー"})
    assert "ワーケーション" in json.loads(response.content)


def test_case_editor_has_the_japanese_tabs_and_an_add_interview_link(seeded, staff, client):
    client.force_login(staff.editor)
    case = InterviewPage.objects.get().get_parent()
    text = visible_text(client.get(edit_url(case)))
    for tab in ("基本情報", "費用・財源と成果", "本文", "画像・資料", "インタビュー", "関連"):
        assert tab in text
    assert "「南国市健康ポータル」担当者インタビュー" in text
    assert add_interview_url(case) in client.get(edit_url(case)).content.decode()
    assert 'placeholder="例: 体験者数"' in client.get(edit_url(case)).content.decode()
    # The primary measure is chosen from the same list as the others: radio buttons beside check boxes.
    form = client.get(edit_url(case)).content.decode()
    assert form.count('type="radio" name="primary_measure"') == form.count('type="checkbox" name="other_measures"') > 5


def test_new_interview_from_a_case_previews_inside_the_case_and_is_reviewed(seeded, staff, client):
    client.force_login(staff.editor)
    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    url = add_interview_url(case)
    data = fill(
        page_form(client, url),
        {"title": "府中市ワーケーション担当者インタビュー", "slug": "fuchu-interview", "interviewee_name": "田中"},
        body=[
            question("参加者をどう集めましたか?", "田中", "大学と連携して募集しました。"),
            question("費用は?", "田中", "交付金を活用しました。"),
        ],
    )
    preview_url = reverse("wagtailadmin_pages:preview_on_add", args=("cases", "interviewpage", case.pk))
    assert client.post(preview_url, data).json()["is_valid"]
    shown = visible_text(client.get(preview_url))
    assert case.title in shown and "大学と連携して募集しました。" in shown
    assert shown.index("参加者をどう集めましたか?") < shown.index("費用は?")
    client.post(f"{preview_url}?mode=alone", data)
    alone = visible_text(client.get(preview_url, {"mode": "alone"}))
    assert f"事例「{case.title}」に戻る" in alone and "大学と連携して募集しました。" in alone

    data["action-submit"] = "1"
    assert client.post(url, data).status_code == 302
    interview = InterviewPage.objects.get(slug="fuchu-interview")
    assert interview.get_parent().pk == case.pk
    assert not interview.live and interview.current_workflow_state is not None
    assert "大学と連携して募集しました。" not in visible_text(client.get(case.url))


def test_a_new_interview_gets_a_readable_ascii_slug(seeded, staff, client):
    client.force_login(staff.editor)
    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    url = add_interview_url(case)
    for expected in ("interview", "interview-2"):
        data = fill(
            page_form(client, url),
            {"title": "府中市ワーケーション担当者インタビュー", "slug": "", "interviewee_name": "田中"},
            body=[question("参加者をどう集めましたか?", "田中", "大学と連携して募集しました。")],
        )
        assert client.post(url, data).status_code == 302
        assert InterviewPage.objects.child_of(case).filter(slug=expected).exists()
    second = InterviewPage.objects.child_of(case).get(slug="interview-2")
    assert second.url_path.endswith("/fuchu-workation/interview-2/") and second.url_path.isascii()


def test_dashboard_shows_review_queue_my_drafts_and_recent_cases(seeded, staff, client):
    case = CasePage.objects.live().order_by("pk").first()
    case.summary += "（更新中）"
    case.save_revision(user=staff.editor)
    client.force_login(staff.editor)
    text = visible_text(client.get(reverse("wagtailadmin_home")))
    for heading in ("承認待ちの事例", "自分の下書き", "最近公開された事例"):
        assert heading in text
    drafts = text[text.index("自分の下書き") : text.index("最近公開された事例")]
    assert case.title in drafts
    assert "承認を待っているページはありません。" in text


def test_roles_rerun_changes_nothing(db):
    from django.apps import apps
    from wagtail.models import GroupPagePermission, WorkflowPage

    def counts():
        return (
            Group.objects.count(),
            sum(group.permissions.count() for group in Group.objects.all()),
            GroupPagePermission.objects.count(),
            WorkflowPage.objects.count(),
        )

    before = counts()
    ensure_roles(apps)
    ensure_roles(apps)
    assert counts() == before
    assert {EDITORS, MODERATORS, "管理者"} <= set(Group.objects.values_list("name", flat=True))
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()


def test_editors_cannot_publish_but_moderators_can(db):
    editors, moderators = Group.objects.get(name=EDITORS), Group.objects.get(name=MODERATORS)
    assert not editors.page_permissions.filter(permission__codename="publish_page").exists()
    assert moderators.page_permissions.filter(permission__codename="publish_page").exists()


def test_add_to_group_command(staff):
    call_command("add_to_group", "editor", "moderator")
    assert staff.editor.groups.filter(name=MODERATORS).exists()
    call_command("add_to_group", "editor", "管理者")
    staff.editor.refresh_from_db()
    assert staff.editor.is_superuser
    call_command("add_to_group", "editor", "admin", "--remove")
    staff.editor.refresh_from_db()
    assert not staff.editor.is_superuser
    with pytest.raises(CommandError, match="最後の管理者"):
        call_command("add_to_group", "admin", "管理者", "--remove")
    with pytest.raises(CommandError, match="グループ「編集長」はありません"):
        call_command("add_to_group", "editor", "編集長")
    with pytest.raises(CommandError, match="ユーザー「nobody」は存在しません"):
        call_command("add_to_group", "nobody", "editor")


def test_the_partner_chooser_lists_only_the_chosen_organizations(seeded, staff, client):
    client.force_login(staff.editor)
    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    html = client.get(edit_url(case)).content.decode()
    assert 'id="id_partner_organizations-search"' in html and 'for="id_partner_organizations-search"' in html
    assert "js/multiple-chooser.js" in html
    ticked = re.findall(r'<input type="checkbox" name="partner_organizations" value="(\d+)" checked>', html)
    assert sorted(map(int, ticked)) == sorted(case.partner_organizations.values_list("pk", flat=True))
    assert "岡山県井原市（332071）" in html
    assert html.count('<input type="checkbox" name="visited_organizations"') == case.visited_organizations.count()
    # The grant programs are few: still a filterable list of checkboxes.
    assert "js/searchable-checkboxes.js" in html


def test_a_partner_added_through_the_chooser_is_saved_and_an_unticked_one_removed(seeded, staff, client):
    client.force_login(staff.editor)
    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    data = page_form(client, edit_url(case))
    tokyo_fuchu = Municipality.objects.get(code="132063")
    assert str(Municipality.objects.get(code="332071").pk) in data.getlist("partner_organizations")
    data.setlist("partner_organizations", [str(tokyo_fuchu.pk)])  # 井原市 unticked, 東京都府中市 added
    fill(data, body=[])
    response = post_form(client, edit_url(case), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = CasePage.objects.get(pk=case.pk).get_latest_revision_as_object()
    assert [m.code for m in draft.partner_organizations.all()] == ["132063"]


def test_a_form_sent_back_with_an_error_keeps_every_partner_the_editor_chose(seeded, staff, client):
    client.force_login(staff.editor)
    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    data = page_form(client, edit_url(case))
    chosen = [*data.getlist("partner_organizations"), str(Municipality.objects.get(code="132063").pk)]
    chosen.append(data["lead_organization"])  # the lead cannot also be a partner: an error
    data.setlist("partner_organizations", chosen)
    fill(data, body=[])
    response = post_form(client, edit_url(case), data)
    assert response.status_code == 200
    html = response.content.decode()
    ticked = re.findall(r'<input type="checkbox" name="partner_organizations" value="(\d+)" checked>', html)
    assert sorted(ticked) == sorted(chosen)


def test_the_organization_search_finds_both_fuchu_for_signed_in_staff_only(seeded, staff, client):
    url = reverse("taxonomy_organization_search")
    assert client.get(url, {"q": "ふちゅう"}).status_code == 302  # to the login page
    client.force_login(staff.editor)
    found = client.get(url, {"q": "ふちゅう"}).json()["results"]
    labels = [item["label"] for item in found]
    assert "広島県府中市（342084）" in labels and "東京都府中市（132063）" in labels
    assert all(Municipality.objects.filter(pk=item["id"]).exists() for item in found)
    assert client.get(url, {"q": "  "}).json() == {"results": []}
    assert client.get(url, {"q": "\x00" * 500}).status_code == 200
    assert len(client.get(url, {"q": "市"}).json()["results"]) == 20  # bounded


def test_deleting_a_case_that_others_link_to_warns_first(seeded, staff, client):
    client.force_login(staff.moderator)
    linked = CasePage.objects.get(slug="nankoku-health-portal")
    text = visible_text(client.get(reverse("wagtailadmin_pages:delete", args=(linked.pk,))))
    assert "referenced 1 time" in text
    assert (
        reverse("wagtailadmin_pages:usage", args=(linked.pk,))
        in client.get(reverse("wagtailadmin_pages:delete", args=(linked.pk,))).content.decode()
    )
    assert CasePage.objects.filter(pk=linked.pk).exists()


def test_a_municipality_named_only_in_a_draft_is_not_deleted(seeded, staff, client):
    """The page row still names the old lead; only the unpublished revision names the new one."""
    client.force_login(staff.moderator)
    spare = Municipality.objects.filter(kind="city", led_cases__isnull=True, partner_cases__isnull=True).first()
    case = CasePage.objects.live().order_by("pk").first()
    case.lead_organization = spare
    case.save_revision(user=staff.editor)
    assert CasePage.objects.get(pk=case.pk).lead_organization_id != spare.pk
    response = client.post(reverse("wagtailsnippets_cases_municipality:delete", args=(spare.pk,)), follow=True)
    assert f"「{case.title}」" in visible_text(response)
    assert Municipality.objects.filter(pk=spare.pk).exists()


def test_a_new_case_gets_a_short_slug_from_its_organization_measure_and_year(client, catalog, staff):
    from django.utils.text import slugify

    client.force_login(staff.editor)
    url = add_case_url(catalog.index)
    fields = {
        "title": "府中市の窓口DX",
        "summary": "概要",
        "lead_organization": catalog.cases.workation.lead_organization_id,
        "primary_measure": catalog.measures["ai-rpa"].pk,
        "fiscal_year": 2024,
    }
    # What the admin's script fills in from the Japanese title, as if the editor left it.
    data = fill(page_form(client, url), {**fields, "slug": slugify(fields["title"], allow_unicode=True)}, body=[])
    response = post_form(client, url, data)
    assert response.status_code == 302, errors_of(response)
    assert CasePage.objects.filter(slug="342084-ai-rpa-2024").exists()
    # A second one the same gets a number (once the editor has seen the duplicate warning); a slug the
    # editor chose is kept.
    data = fill(page_form(client, url), {**fields, "slug": ""}, body=[])
    warned = post_form(client, url, data)
    assert warned.status_code == 200 and "似た事例" in warned.content.decode()
    data["duplicates_seen"] = warned.context["form"].similar_signature
    assert post_form(client, url, data).status_code == 302
    assert CasePage.objects.filter(slug="342084-ai-rpa-2024-2").exists()
    data = fill(page_form(client, url), {**fields, "title": "別の事例", "slug": "fuchu-madoguchi"}, body=[])
    data["duplicates_seen"] = post_form(client, url, data).context["form"].similar_signature
    assert post_form(client, url, data).status_code == 302
    assert CasePage.objects.filter(slug="fuchu-madoguchi").exists()


def test_a_changed_slug_leaves_a_permanent_redirect(client, catalog, staff, django_capture_on_commit_callbacks):
    case = CasePage.objects.get(pk=catalog.cases.workation.pk)
    old_url = case.url
    client.force_login(staff.moderator)
    data = fill(page_form(client, edit_url(case)), {"slug": "fuchu-workation-2021"}, body=[])
    data["action-publish"] = "action-publish"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail says the slug changed on commit
        response = post_form(client, edit_url(case), data)
    assert response.status_code == 302, errors_of(response)
    assert CasePage.objects.get(pk=case.pk).slug == "fuchu-workation-2021"
    client.logout()
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"].endswith("/cases/fuchu-workation-2021/")
