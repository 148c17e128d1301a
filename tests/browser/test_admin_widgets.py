"""The editor finds a partner among the 1,788 local governments by typing, and adds it; the page
lists only the chosen ones."""


def test_typing_finds_organizations_and_a_click_adds_a_ticked_partner(site, signed_in):
    from cases.models import CasePage

    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    page = signed_in
    page.goto(site(f"/admin/pages/{case.pk}/edit/"))
    partners = page.locator('[data-name="partner_organizations"] [data-multiple-chooser-chosen] label')
    before = partners.all_inner_texts()
    assert any("岡山県井原市" in text for text in before)
    assert page.locator('input[name="partner_organizations"]').count() == len(before)  # not 1,788 boxes

    search = page.locator("#id_partner_organizations-search")
    search.fill("ふちゅう")
    results = page.locator("#id_partner_organizations-search ~ [data-multiple-chooser-results] button")
    results.first.wait_for()
    found = results.all_inner_texts()
    assert any("広島県府中市（342084）" in text for text in found)
    assert any("東京都府中市（132063）" in text for text in found)
    page.get_by_role("button", name="追加: 東京都府中市（132063）").click()

    added = page.locator('input[name="partner_organizations"]:checked')
    assert added.count() == len(before) + 1
    assert "東京都府中市（132063）" in partners.all_inner_texts()[-1]
    assert (
        "を追加しました"
        in page.locator("#id_partner_organizations-search ~ [data-multiple-chooser-status]").inner_text()
    )
    revisions = case.revisions.count()
    search.fill("342084")
    search.press("Enter")  # searches at once and does not submit the form
    results.first.wait_for()
    assert "広島県府中市（342084）" in results.first.inner_text()
    assert case.revisions.count() == revisions
