"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path(os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(transactional_db, live_server):
    """A fresh Chromium per test, started only after the database is ready.

    Playwright's sync API runs an event loop in this thread, and while it runs Django hands out
    different connection objects; the database is made ready before that, so the browser is started
    after `transactional_db` and closed before it. (tests/conftest.py puts the migrations' state back
    after each such test.)
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} がありません: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Django refuses database calls while an event loop runs; the tests' calls are synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()  # the connections opened while the loop ran


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def site(live_server, browser):
    """The seed content served by the live server; returns a function making absolute URLs. The seed
    is loaded once per process and copied in for each test."""
    from tests.conftest import SHARED

    SHARED.copy_in_the_seed()
    return lambda path: f"{live_server.url}{path}"


@pytest.fixture
def signed_in(page, site, django_user_model):
    """The browser page, signed in to the admin as a 編集者 through the login form."""
    from django.contrib.auth.models import Group

    from casebook.site.editorial.roles import EDITORS

    user = django_user_model.objects.create_user("henshu", "henshu@example.jp", "kensho-pass-2026")
    user.groups.add(Group.objects.get(name=EDITORS))
    return log_in(page, site, "henshu", "kensho-pass-2026")


def log_in(page, site, username: str, password: str):
    """Sign the browser page in to the admin through the login form."""
    page.goto(site("/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(site("/admin/"))
    return page


@pytest.fixture(scope="session", autouse=True)
def accessibility_report():
    yield
    from .report import write_report

    write_report()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keyboard and reflow results go into the report, under their names in CHECK_NAMES."""
    outcome = yield
    report = outcome.get_result()
    from .report import CHECK_NAMES, record_check

    if report.when == "call" and item.function.__name__ in CHECK_NAMES:
        name = CHECK_NAMES[item.function.__name__]
        if hasattr(item, "callspec"):
            name = f"{name}（{item.callspec.id.encode().decode('unicode_escape')}）"
        record_check(name, report.passed)
