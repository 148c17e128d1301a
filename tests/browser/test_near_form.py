"""「自分の自治体から探す」 in a browser: suggestions as one types, then the list nearest first."""


def test_typing_a_name_suggests_local_governments_and_leads_to_the_nearby_cases(page, site):
    page.goto(site("/"))
    page.fill("#id_municipality", "府中")
    page.locator("#municipality-suggestions option").nth(1).wait_for(state="attached")
    offered = page.eval_on_selector_all("#municipality-suggestions option", "options => options.map(o => o.value)")
    assert {"広島県府中市", "東京都府中市"} <= set(offered)
    page.fill("#id_municipality", "広島県府中市")
    page.get_by_role("button", name="探す", exact=True).click()
    page.wait_for_url("**/cases/?near=342084**")
    assert page.inner_text("h1") == "広島県府中市から50km以内の事例 (1件)"
    assert "1 km未満" in page.inner_text(".case-card")
