"""The editor's path of issue #18, in Chromium, counting clicks: from the dashboard, a new case with one
partner, two measures, a grant, cost, an outcome, two tags and a body section, submitted for review; then
an interview with two questions, submitted. A click is any press of the mouse (focusing a field to type
into it counts; typing and the Enter key do not). Target: at most 35.

    .venv/bin/python bench/editor_clicks.py --url http://127.0.0.1:8000 --user NAME --password PW

The user must be an editor (編集者) of a site with the seed content (`make run`).
"""

import argparse
import sys
import time

from playwright.sync_api import sync_playwright

LAST = []


class Counter:
    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.steps = []

    def click(self, locator, why: str):
        locator.click()
        self.clicks += 1
        self.steps.append(why)

    def type(self, locator, text: str, why: str):
        self.click(locator, why)
        locator.fill(text)


def run(url: str, user: str, password: str, headed: bool = False) -> Counter:
    stamp = time.strftime("%H%M%S")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=not headed)
        page = browser.new_page(locale="ja-JP", viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/admin/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/admin/")
        c = Counter(page)
        LAST[:] = [c]

        # The dashboard's 「新しい事例を追加」 (four clicks through the page explorer before it).
        c.click(page.get_by_role("link", name="新しい事例を追加"), "ダッシュボード: 新しい事例を追加")
        page.wait_for_selector("#id_title")

        c.type(page.locator("#id_title"), f"クリック数の確認 {stamp}", "タイトル")
        c.type(page.locator("#id_summary"), "編集者の手順のクリック数を数えるための事例。", "概要")
        # Lead organization: the chooser, search, pick.
        c.click(page.locator("[data-chooser-action-choose]").first, "主体の団体: 選択")
        search = page.locator(".modal-content input[type=text]").first
        c.type(search, "342084", "主体の団体: 検索")
        page.wait_for_timeout(800)
        c.click(page.locator(".modal-content a", has_text="府中市").first, "主体の団体: 広島県府中市")
        # One partner: type into the chooser's search, add.
        partner = page.locator("[data-multiple-chooser] input[type=search]").first
        c.type(partner, "井原", "連携団体: 検索")
        page.wait_for_timeout(800)
        c.click(page.locator("[data-multiple-chooser] button", has_text="追加").first, "連携団体: 追加")
        # Two measures: the primary and one other.
        c.click(page.get_by_label("テレワークの推進").first, "主な重点取組事項")
        c.click(page.locator("input[name=other_measures]").nth(3), "その他の重点取組事項")
        c.type(page.locator("#id_fiscal_year"), "2024", "年度")

        c.click(page.get_by_role("tab", name="費用・財源と成果"), "タブ: 費用・財源と成果")
        c.click(page.locator("input[name=grant_programs]").first, "財源制度")
        c.type(page.locator("#id_project_cost_yen"), "22000000", "事業費")
        c.type(page.locator("#id_cost_fiscal_year"), "2024", "事業費の年度")

        c.click(page.get_by_role("button", name="成果を追加").first, "成果を追加")
        c.type(page.locator("[name='outcomes-0-label']"), "参加者数", "成果: 指標")
        c.type(page.locator("[name='outcomes-0-value']"), "30", "成果: 値")
        c.type(page.locator("[name='outcomes-0-unit']"), "名", "成果: 単位")

        c.click(page.get_by_role("tab", name="本文"), "タブ: 本文")
        # A new case starts with an empty 取り組み内容 section: type into it.
        editor = page.locator(".Draftail-Editor [contenteditable=true]").first
        c.click(editor, "本文: 取り組み内容の文章")
        page.wait_for_timeout(300)
        editor.press_sequentially("サテライトオフィスを整備した。")
        page.wait_for_timeout(500)  # Draftail writes its field a moment after the last key

        c.click(page.get_by_role("tab", name="関連"), "タブ: 関連")
        tags = page.locator("ul.tagit li.tagit-new input").first
        c.click(tags, "タグ")
        page.keyboard.type("試験,")
        page.keyboard.type("手順,")
        c.click(page.get_by_role("button", name="承認に回す").first, "承認に回す（主ボタン）")
        page.wait_for_load_state()
        page.screenshot(path="/tmp/after-submit.png", full_page=True)
        errors = page.locator(".error-message, .help-critical, .w-field__errors, [role=alert]").all_inner_texts()
        if any(text.strip() for text in errors):
            raise RuntimeError(f"the case was not saved: {errors}")
        case_steps = c.clicks

        # The interview: Wagtail returns to the case list after 承認に回す; the case, then its インタビュー tab.
        if page.get_by_role("tab", name="インタビュー").count() == 0:
            c.click(page.get_by_role("link", name=f"クリック数の確認 {stamp}").first, "一覧: 作った事例")
        c.click(page.get_by_role("tab", name="インタビュー"), "タブ: インタビュー")
        c.click(page.get_by_role("link", name="新しいインタビューを追加"), "インタビューを追加")
        page.wait_for_selector("#id_title")
        c.type(page.locator("#id_title"), f"クリック数の確認 インタビュー {stamp}", "インタビュー: タイトル")
        c.type(page.locator("#id_interviewee_name"), "田中", "話し手")
        for n in range(2):
            if n:  # a new interview starts with its first question and answer
                c.click(page.locator(".c-sf-add-button").last, f"質問{n + 1}: ブロックを追加")
                c.click(page.get_by_role("option", name="質問と回答"), f"質問{n + 1}: 質問と回答")
            c.type(page.locator("[name$='-value-question']").last, f"質問{n + 1}", f"質問{n + 1}: 質問")
            # The speaker is left empty: it is the interviewee's.
            answer = page.locator(".Draftail-Editor [contenteditable=true]").last
            c.click(answer, f"質問{n + 1}: 回答")
            page.wait_for_timeout(300)
            answer.press_sequentially(f"回答{n + 1}です。")
            page.wait_for_timeout(500)  # Draftail writes its field a moment after the last key
        c.click(page.get_by_role("button", name="承認に回す").first, "承認に回す（主ボタン）")
        page.wait_for_load_state()
        c.case_steps = case_steps
        browser.close()
    return c


def remove_earlier_runs():
    """The pages an earlier run made (same organization, measure and year: the duplicate warning would
    stop this run once more)."""
    import os
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings.dev")
    import django

    django.setup()
    from cases.models import CasePage

    for case in CasePage.objects.filter(title__startswith="クリック数の確認"):
        case.delete()


def check_what_was_made():
    """The clicks count only if they made what the path asks for: both pages in review, every field kept."""
    from cases.models import CasePage, InterviewPage

    case = CasePage.objects.filter(title__startswith="クリック数の確認").latest("pk")
    draft = case.get_latest_revision_as_object()
    assert case.current_workflow_state and case.current_workflow_state.status == "in_progress"
    assert draft.lead_organization.code == "342084" and draft.partner_organizations.count() == 1
    assert draft.other_measures.count() == 1 and draft.grant_programs.count() == 1
    assert draft.project_cost_yen == 22_000_000 and draft.outcomes.count() == 1
    assert sorted(draft.tags.names()) == ["手順", "試験"]
    assert "サテライトオフィスを整備した。" in str(draft.body)
    interview = InterviewPage.objects.child_of(case).get()
    assert interview.current_workflow_state and interview.current_workflow_state.status == "in_progress"
    answers = [str(block.value["answer"]) for block in interview.get_latest_revision_as_object().body]
    assert len(answers) == 2 and "回答1です。" in answers[0] and "回答2です。" in answers[1], answers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    remove_earlier_runs()  # in the database the server uses (DATABASE_URL, as for the server)
    try:
        counter = run(args.url.rstrip("/"), args.user, args.password)
        check_what_was_made()
    except Exception:
        print("failed after:", LAST[0].steps if LAST else [])

        raise
    for n, step in enumerate(counter.steps, start=1):
        print(f"{n:2d}. {step}")
    print(
        f"case: {counter.case_steps} clicks; interview: {counter.clicks - counter.case_steps}; total {counter.clicks}"
    )
    sys.exit(0 if counter.clicks <= 35 else 1)


if __name__ == "__main__":
    main()
