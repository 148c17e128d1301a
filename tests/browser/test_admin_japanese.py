"""The admin speaks Japanese: the main screens an editor walks through show no Latin-letter UI word beyond
proper nouns and the content's own words. Where Wagtail's Japanese catalogue lacks a string, the project's
(locale/ja) supplies it."""

import re

from .conftest import log_in

# Proper nouns and abbreviations a Japanese screen writes in Latin letters, and words of the seed content
# shown in the editor (a case's own text is not the admin's UI).
ALLOWED = {
    "Wagtail", "Casebook", "DX", "URL", "CSV", "PDF", "Excel", "JSON", "HTML", "RSS", "Atom", "API", "ID",
    "AI", "RPA", "VDI", "AR", "LGWAN", "eLTAX", "NVIDIA", "vGPU", "vPC", "GPU", "PC", "henshu", "OK",
    "Web", "SNS", "LINE", "QR", "IT", "ICT", "BOM", "UTF", "Shift", "JIS", "MB", "csv", "xlsx",
    # File names and slugs given as examples (export.csv, 401307-frontyard-reform-2024).
    "export", "frontyard-reform",
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z]")


def latin_words(page) -> set[str]:
    """Words in Latin letters in the visible text, outside form fields' content and the page's own text."""
    text = page.evaluate(
        """() => {
      const skip = 'textarea, input, select, [contenteditable="true"], .Draftail-Editor, .w-field__input';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const out = [];
      while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!el || el.closest(skip) || el.closest('script, style, [hidden], .visually-hidden, .w-sr-only')) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        out.push(node.textContent);
      }
      return out.join(' ');
    }"""
    )
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED and len(word) > 1}


def test_the_main_admin_screens_show_no_english(browser, site, live_server):
    from django.contrib.auth import get_user_model

    from cases.models import CaseIndexPage, CasePage

    get_user_model().objects.create_superuser("henshu", "henshu@example.jp", "kensho-pass-2026")
    page = browser.new_page(locale="ja-JP")
    found = {}
    page.goto(site("/admin/login/"))
    found["/admin/login/"] = latin_words(page)
    log_in(page, site, "henshu", "kensho-pass-2026")
    case = CasePage.objects.get(slug="fuchu-workation")
    index = CaseIndexPage.objects.get()
    case.save_revision(user=get_user_model().objects.get(username="henshu"))  # something to compare and report
    case.get_workflow().start(case, get_user_model().objects.get(username="henshu"))
    screens = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{index.pk}/",
        f"/admin/pages/add/cases/casepage/{index.pk}/",
        "/admin/pages/search/?q=該当なし",
        "/admin/snippets/cases/municipality/",
        "/admin/import-cases/",
        f"/admin/pages/{case.pk}/history/",
        f"/admin/pages/{case.pk}/revisions/compare/earliest...latest/",
        "/admin/reports/workflow/",
    ]
    for path in screens:
        page.goto(site(path))
        found[path] = latin_words(page)
    # Every tab of the case editor.
    page.goto(site(f"/admin/pages/{case.pk}/edit/"))
    for tab in page.locator("[role=tab]").all():
        tab.click()
        found[f"/admin/pages/{case.pk}/edit/ {tab.inner_text().strip()}"] = latin_words(page)
    page.close()
    english = {path: sorted(words) for path, words in found.items() if words}
    assert not english, "\n".join(f"{path}: {' '.join(words)}" for path, words in english.items())
