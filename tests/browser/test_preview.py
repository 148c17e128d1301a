"""Preview works in the admin's side panel (its frame shows the case) and in a new tab, while the public
site keeps `frame-ancestors 'none'`."""


def test_the_preview_panel_shows_the_case(site, signed_in):
    from cases.models import CasePage

    case = CasePage.objects.get(slug="fuchu-workation")
    page = signed_in
    page.goto(site(f"/admin/pages/{case.pk}/edit/"))
    page.locator('[data-side-panel-toggle="preview"]').click()
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator("h1").wait_for(timeout=15000)
    assert frame.locator("h1").inner_text().strip() == case.title
    # A new tab shows the same preview.
    with page.context.expect_page() as opened:
        page.locator("a[href*='/preview/']").first.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text().strip() == case.title
    # The public page itself may not be framed by anyone.
    response = page.request.get(site(case.url))
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
