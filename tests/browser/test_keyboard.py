"""Everything works with Tab, Enter and Space alone, focus is always visible, and it moves in reading order."""

import pytest

from .keys import FOCUSABLE_IN_ORDER, tab, tab_until


def test_skip_link_comes_first_and_moves_focus_to_the_content(page, site):
    page.goto(site("/cases/"))
    first = tab(page)
    assert first["text"] == "本文へ移動" and first["visible"]
    page.keyboard.press("Enter")
    # The jump may land a moment after the key on a busy machine: wait for it (a timeout fails the test).
    page.wait_for_function("location.hash === '#main' && document.activeElement.id === 'main'", timeout=5000)
    # The next Tab goes into the content, not back to the header.
    following = tab(page)
    assert page.evaluate(
        "(i) => document.getElementById('main').contains(document.querySelectorAll('*')[i])", following["index"]
    )


@pytest.mark.parametrize("path", ["/", "/cases/", "/search/?q=テレワーク"])
def test_focus_is_visible_and_follows_reading_order(page, site, path):
    page.goto(site(path))
    reading_order = page.evaluate(FOCUSABLE_IN_ORDER)
    visited = []
    for _ in range(len(reading_order)):
        focus = tab(page)
        if focus is None:
            break
        assert focus["visible"], focus
        assert focus["outline"] or focus["shadow"], f"no visible focus on {focus}"
        visited.append(focus["index"])
    assert visited == reading_order


def test_filter_form_works_with_the_keyboard_alone(page, site):
    page.goto(site("/cases/"))
    tab_until(page, lambda f: f["tag"] == "summary" and f["text"].startswith("重点取組事項"))
    if not page.evaluate("document.activeElement.parentElement.open"):
        page.keyboard.press("Enter")  # opens the group
    assert page.evaluate("document.activeElement.parentElement.open")
    tab_until(page, lambda f: f["tag"] == "input" and f["label"].startswith("テレワークの推進"))
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    # A closed group opens with Enter on its summary.
    tab_until(page, lambda f: f["tag"] == "summary" and f["text"].startswith("都道府県"))
    assert not page.evaluate("document.activeElement.parentElement.open")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "この条件で絞り込む")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?**measure=telework**")
    assert "テレワークの推進" in page.locator("h1").inner_text()

    # Each chip removes its filter from the keyboard too.
    tab_until(page, lambda f: f["tag"] == "a" and "の条件を外す" in f["text"])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "measure=" not in url)


def test_pagination_is_reachable_and_usable_with_the_keyboard(page, site):
    from casebook.base.taxonomy.models import Municipality
    from cases.discovery.listing import CASES_PER_PAGE
    from cases.models import CaseIndexPage, CasePage
    from measures.models import MeasurePage
    from tests.factories import make_case

    index = CaseIndexPage.objects.get()
    telework = MeasurePage.objects.get(slug="telework")
    lead = Municipality.objects.get(code="342084")
    for n in range(CASES_PER_PAGE + 1 - CasePage.objects.count()):
        make_case(index, title=f"鍵盤操作の確認用事例{n}", lead=lead, primary=telework)

    page.goto(site("/cases/"))
    tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "次へ")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?page=2")
    assert "2/2ページ目" in page.locator("#case-count").inner_text()
    tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "前へ")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?page=1")


def test_search_form_submits_with_enter(page, site):
    page.goto(site("/search/"))
    tab_until(page, lambda f: f["tag"] == "input" and f["id"])
    page.keyboard.type("ワーケーション")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert "府中市" in page.locator("main").inner_text()
