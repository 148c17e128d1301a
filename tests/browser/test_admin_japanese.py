"""The admin speaks Japanese: the main screens an editor walks through show no Latin-letter UI word beyond
proper nouns and the content's own words. Where Wagtail's Japanese catalogue lacks a string, the project's
(locale/ja) supplies it."""

import re

from .conftest import log_in

# Proper nouns and abbreviations a Japanese screen writes in Latin letters, and words of the seed content
# shown in the editor (a case's own text is not the admin's UI).
ALLOWED = {
    "Wagtail", "Casebook", "DX", "URL", "CSV", "PDF", "Excel", "JSON", "HTML", "RSS", "Atom", "API", "ID",
    "AI", "RPA", "VDI", "AR", "LGWAN", "eLTAX", "NVIDIA", "vGPU", "vPC", "GPU", "PC", "OK",
    "Web", "SNS", "LINE", "QR", "IT", "ICT", "BOM", "UTF", "Shift", "JIS", "MB", "csv", "xlsx",
    # File names and slugs given as examples (export.csv, 401307-frontyard-reform-2024).
    "export", "frontyard-reform",
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z]")


def latin_words(page) -> set[str]:
    """Words in Latin letters that the page shows or reads out: its visible text, the text kept for screen
    readers (.w-sr-only, .visually-hidden: a live region's 「…件見つかりました」, a side panel's heading) and
    its aria-label, placeholder and alt attributes (a button's name, a search box's hint); the content of
    form fields is left out."""
    text = page.evaluate(
        """() => {
      const fields = 'textarea, input, select, option, [contenteditable="true"], .Draftail-Editor';
      // Rendered: met by a sighted reader or a screen reader (a visually hidden element is 1 px square).
      const rendered = (el) => {
        if (el.closest('script, style, template, iframe, [hidden]')) return false;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') return false;
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
      };
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (el && !el.closest(fields) && rendered(el)) out.push(walker.currentNode.textContent);
      }
      for (const el of document.body.querySelectorAll('[aria-label], [placeholder], img[alt]')) {
        if (rendered(el)) out.push(...['aria-label', 'placeholder', 'alt'].map((name) => el.getAttribute(name) || ''));
      }
      return out.join(' ');
    }"""
    )
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED and len(word) > 1}


def editor_words(page, found: dict, label: str) -> None:
    """Every tab of the editor open in `page`, then each of its side panels (status, preview, checks…)."""
    for tab in page.locator("[role=tab]").all():
        tab.click()
        found[f"{label} {tab.inner_text().strip()}"] = latin_words(page)
    for toggle in page.locator("[data-side-panel-toggle]").all():
        toggle.click()
        page.wait_for_timeout(300)
        found[f"{label} {toggle.get_attribute('aria-label')}"] = latin_words(page)
        toggle.click()  # closed again before the next


def test_the_main_admin_screens_show_no_english(browser, site, live_server):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from casebook.site.editorial.roles import MODERATORS
    from cases.models import CaseIndexPage, CasePage, InterviewPage

    # Named, as staff are: the admin shows a user's name, not the user name typed to sign in.
    get_user_model().objects.create_superuser(
        "henshu", "henshu@example.jp", "kensho-pass-2026", first_name="編集", last_name="花子"
    )
    moderator = get_user_model().objects.create_user(
        "shonin", "shonin@example.jp", "kensho-pass-2026", first_name="承認", last_name="太郎"
    )
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    page = browser.new_page(locale="ja-JP")
    found = {}
    page.goto(site("/admin/login/"))
    found["/admin/login/"] = latin_words(page)
    log_in(page, site, "henshu", "kensho-pass-2026")
    case = CasePage.objects.get(slug="fuchu-workation")
    index = CaseIndexPage.objects.get()
    interview = InterviewPage.objects.first()
    case.save_revision(user=get_user_model().objects.get(username="henshu"))  # something to compare and report
    case.get_workflow().start(case, get_user_model().objects.get(username="henshu"))
    screens = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{index.pk}/",
        f"/admin/pages/add/cases/casepage/{index.pk}/",
        "/admin/pages/search/?q=該当なし",
        "/admin/pages/search/?q=ワーケーション",  # found: the count is read out
        "/admin/snippets/cases/municipality/",
        "/admin/snippets/cases/municipality/?q=神石高原",  # one match, read out
        "/admin/import-cases/",
        f"/admin/pages/{case.pk}/history/",
        f"/admin/pages/{case.pk}/revisions/compare/earliest...latest/",
        "/admin/reports/workflow/",
    ]
    for path in screens:
        page.goto(site(path))
        found[path] = latin_words(page)
    # Every tab and side panel of the case editor (the tags field's help on 関連) and the interview editor.
    page.goto(site(f"/admin/pages/{case.pk}/edit/"))
    editor_words(page, found, f"/admin/pages/{case.pk}/edit/")
    page.goto(site(f"/admin/pages/{interview.pk}/edit/"))
    editor_words(page, found, f"/admin/pages/{interview.pk}/edit/")
    page.close()
    # A moderator's editor for the case in review, its action menu open.
    page = browser.new_page(locale="ja-JP")
    log_in(page, site, "shonin", "kensho-pass-2026")
    page.goto(site(f"/admin/pages/{case.pk}/edit/"))
    page.locator("footer .w-dropdown-button [aria-expanded]").click()
    found[f"/admin/pages/{case.pk}/edit/ 承認者の操作メニュー"] = latin_words(page)
    editor_words(page, found, f"/admin/pages/{case.pk}/edit/ 承認者")
    page.close()
    english = {path: sorted(words) for path, words in found.items() if words}
    assert not english, "\n".join(f"{path}: {' '.join(words)}" for path, words in english.items())
