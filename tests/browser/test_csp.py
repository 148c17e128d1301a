"""Nothing the site needs is blocked by its own Content-Security-Policy, in the public site or the admin."""


def blocked_while_visiting(page, urls):
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    return blocked


def test_public_pages_load_everything_under_the_strict_policy(page, site):
    from cases.models import CasePage

    urls = [site(path) for path in ("/", "/cases/", "/search/?q=観光", "/accessibility/")]
    urls.append(site(CasePage.objects.live().first().url))
    assert blocked_while_visiting(page, urls) == []


def test_admin_works_under_its_policy(site, signed_in):
    from cases.models import CasePage, InterviewPage

    case = CasePage.objects.live().first()
    urls = [
        site("/admin/"),
        site(f"/admin/pages/{case.pk}/edit/"),
        site(f"/admin/pages/{InterviewPage.objects.get().pk}/edit/"),
        site("/admin/snippets/cases/municipality/"),
    ]
    assert blocked_while_visiting(signed_in, urls) == []
    # The editor's JavaScript ran: the StreamField and the chooser buttons are drawn.
    signed_in.goto(site(f"/admin/pages/{case.pk}/edit/"))
    assert signed_in.locator("[data-streamfield-stream-container], .c-sf-container").count() > 0
