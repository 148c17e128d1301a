"""axe-core finds no serious or critical WCAG 2.1 A/AA problem on any public page or our admin screens."""

import re

from playwright.sync_api import Error as PlaywrightError

from .conftest import log_in
from .report import ENGINE, record

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def public_pages():
    """(name, path) for every public page type, read from the seeded database."""
    from cases.models import CasePage, InterviewPage
    from measures.models import MeasurePage

    measures = [(f"重点取組事項: {m.title}", m.url) for m in MeasurePage.objects.live().order_by("path")]
    cases = [(f"事例: {c.title}", c.url) for c in CasePage.objects.live().order_by("path")]
    interviews = [(f"インタビュー: {i.title}", i.url) for i in InterviewPage.objects.live()]
    return [
        ("ホーム", "/"),
        ("重点取組事項の一覧", "/measures/"),
        *measures,
        ("事例の一覧", "/cases/"),
        ("事例の一覧（重点取組事項と地方で絞り込み）", "/cases/?measure=telework&region=chugoku"),
        ("事例の一覧（該当なし）", "/cases/?measure=telework&prefecture=13"),
        ("事例の一覧（自分の自治体から: 広島県府中市から100km以内）", "/cases/?near=342084&within=100"),
        ("事例の一覧（自治体名が2件に当たる）", "/cases/?municipality=府中市"),
        ("事例の一覧（2020年版の事項を引き継いだ事項）", "/cases/?measure=frontyard-reform"),
        ("地域・財源から探す", "/cases/prefectures/"),
        ("出力データの項目と利用条件", "/cases/export/fields/"),
        ("集計（グラフと地図）", "/cases/stats/"),
        ("集計（中国地方）", "/cases/stats/?region=chugoku"),
        ("事例の比較", "/cases/compare/?cases=fuchu-workation&cases=nagoya-vdi&cases=nankoku-health-portal"),
        ("事例の比較（1件だけ）", "/cases/compare/?cases=fuchu-workation"),
        ("事例を投稿", "/cases/submit/"),
        ("事例を投稿（確認のメールを送りました）", "/cases/submit/sent/"),
        ("重点取組事項の一覧（2020年版）", "/measures/?version=2020"),
        *cases,
        *interviews,
        ("検索（結果あり）", "/search/?q=テレワーク"),
        ("検索（結果なし）", "/search/?q=該当しない語句"),
        ("ページが見つかりません（404）", "/no-such-page/"),
        ("ウェブアクセシビリティ方針", "/accessibility/"),
    ]


# Problems of the Wagtail admin's own widgets, reported upstream: (axe rule, the node's HTML, issue).
WAGTAIL_ISSUES = [
    (
        "aria-input-field-name",
        re.compile(r"public-DraftEditor-content"),
        "https://github.com/wagtail/wagtail/issues/14205",
    ),
    ("label", re.compile(r'<input[^>]* name="[\w-]+-\d+-value"'), "https://github.com/wagtail/wagtail/issues/11179"),
]


def upstream_issue(rule, node):
    """The Wagtail issue a violating node is known under, or None if the node is ours."""
    for known_rule, pattern, issue in WAGTAIL_ISSUES:
        if rule == known_rule and pattern.search(node["html"]):
            return issue
    return None


def ours(violations):
    """Violations with the nodes that Wagtail's known issues do not explain."""
    remaining = []
    for violation in violations:
        nodes = [node for node in violation["nodes"] if not upstream_issue(violation["id"], node)]
        if nodes:
            remaining.append({**violation, "nodes": nodes})
    return remaining


def audit(page):
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
    ENGINE["axe-core"] = response["testEngine"]["version"]
    ENGINE["browser"] = page.context.browser.version
    return response["violations"]


def describe(violations):
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:5]}" for v in violations
    ]


def test_public_pages(page, site):
    problems = {}
    for name, path in public_pages():
        response = page.goto(site(path))
        assert response.status == (404 if path == "/no-such-page/" else 200), (path, response.status)
        violations = audit(page)
        record("公開ページ", name, path, violations)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            problems[path] = describe(blocking)
    assert not problems, problems


def visit(context, url: str, attempts: int = 2):
    """A fresh page of the signed-in context at `url`, and the response. Only the navigation is tried
    again, once, when the browser drops the page under load (TargetClosedError); never an assertion."""
    for attempt in range(attempts):
        screen = context.new_page()
        screen.set_default_timeout(15_000)
        try:
            return screen, screen.goto(url)
        except PlaywrightError:
            screen.close()
            if attempt == attempts - 1:
                raise


def test_admin_screens(page, site, signed_in):
    from cases.models import CasePage, InterviewPage

    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    interview = InterviewPage.objects.get()
    screens = [
        ("管理画面: ダッシュボード", "/admin/"),
        ("管理画面: 事例の編集", f"/admin/pages/{case.pk}/edit/"),
        ("管理画面: インタビューの編集", f"/admin/pages/{interview.pk}/edit/"),
        ("管理画面: 事例の新規作成", f"/admin/pages/add/cases/casepage/{case.get_parent().pk}/"),
        ("管理画面: 自治体の一覧", "/admin/snippets/cases/municipality/"),
    ]
    problems = {}
    for name, path in screens:
        screen, response = visit(signed_in.context, site(path))
        assert response.status == 200, (path, response.status)
        violations = audit(screen)
        screen.close()
        shown = re.sub(r"/\d+/", "/…/", path)  # page ids differ between runs
        record("管理画面", name, shown, violations, upstream_issue)
        blocking = [v for v in ours(violations) if v["impact"] in BLOCKING]
        if blocking:
            problems[path] = describe(blocking)
    assert not problems, problems


def test_admin_login_page(page, site):
    page.goto(site("/admin/login/"))
    violations = audit(page)
    record("管理画面", "管理画面: ログイン", "/admin/login/", violations)
    assert not [v for v in violations if v["impact"] in BLOCKING], describe(violations)


def test_the_open_map_of_japan(page, site):
    """The map, open on the statistics page: each tile with cases a link reached by the keyboard, no axe problem."""
    page.goto(site("/cases/stats/"))
    violations = audit(page)
    record("公開ページ", "集計ページの地図", "/cases/stats/#stats-map", violations)
    assert describe([v for v in violations if v["impact"] in BLOCKING]) == []
    link = page.locator(".japan-map a").first
    link.focus()
    assert page.evaluate("document.activeElement.closest('.japan-map') !== null")


def test_alert_pages(page, site):
    """Sign-up (blank and with errors), sent, confirm, manage and stop: no axe violation at all."""
    from casebook.site.alerts.models import Alert, Subscriber

    subscriber = Subscriber.objects.create(email="axe@example.lg.jp")
    alert = Alert.objects.create(
        subscriber=subscriber, filters="measure=telework", description="テレワークの推進の事例"
    )
    problems = {}

    def check(name, path=None):
        if path:
            page.goto(site(path))
        violations = audit(page)
        shown = (path or page.url.removeprefix(site(""))).replace(alert.token, "…").replace(subscriber.token, "…")
        record("公開ページ", name, shown, violations)  # tokens differ between runs
        if violations:
            problems[name] = describe(violations)

    check("新着事例のメール通知", "/alerts/?measure=telework&region=chugoku")
    page.fill("#id_email", "taro@@example")
    page.click("button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    check("新着事例のメール通知（入力の誤り）")
    check("確認のメールを送りました", "/alerts/sent/")
    check("登録の確認", f"/alerts/confirm/{alert.token}/")
    check("通知の管理", f"/alerts/manage/{subscriber.token}/")
    check("通知の配信停止", f"/alerts/unsubscribe/{alert.token}/")
    assert not problems, problems


def test_the_submission_form_with_errors(page, site):
    """「事例を投稿」 sent half filled: the error summary and the fields' errors, no axe violation at all."""
    page.goto(site("/cases/submit/"))
    page.fill("#id_organization", "府中市")
    page.fill("#id_project_cost", "たくさん")
    page.click("form.submit-form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    violations = audit(page)
    record("公開ページ", "事例を投稿（入力の誤り）", "/cases/submit/", violations)
    assert not violations, describe(violations)


def test_the_import_screen_for_a_moderator(page, site, django_user_model):
    """「事例の取り込み」 is a moderator's screen (an editor is turned away): audited signed in as one."""
    from django.contrib.auth.models import Group

    from casebook.site.editorial.roles import MODERATORS

    user = django_user_model.objects.create_user("shonin", "shonin@example.jp", "kensho-pass-2026")
    user.groups.add(Group.objects.get(name=MODERATORS))
    log_in(page, site, "shonin", "kensho-pass-2026")
    page.goto(site("/admin/import-cases/"))
    violations = audit(page)
    record("管理画面", "管理画面: 事例の取り込み", "/admin/import-cases/", violations, upstream_issue)
    assert not [v for v in ours(violations) if v["impact"] in BLOCKING], describe(violations)
