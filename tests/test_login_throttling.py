"""Repeated wrong passwords lock one user name from one address, in Japanese, and nobody else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def attempt(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_user_name_from_that_address_only(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "editor", "wrong").status_code == 200
    locked = attempt(client, "editor", "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "ログインを一時的に停止しています" in text and "15分ほど" in text

    # Even the right password waits out the lock from that address...
    assert attempt(client, "editor", "pw").status_code == 429
    # ...but a colleague behind the same office proxy signs in,
    assert attempt(client, "moderator", "pw").status_code == 302
    client.logout()
    # and the same person from another address is not locked out either.
    assert attempt(client, "editor", "pw", ip="198.51.100.7").status_code == 302


def test_a_success_resets_the_count(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", "pw").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "editor", "wrong").status_code == 200


def test_shared_page_passwords_are_not_offered(seeded, client, staff):
    from cases.models import CasePage

    client.force_login(staff.admin)
    case = CasePage.objects.live().first()
    html = client.get(reverse("wagtailadmin_pages:set_privacy", args=(case.pk,))).json()["html"]
    assert 'value="login"' in html and 'value="groups"' in html
    assert 'value="password"' not in html


def test_behind_a_proxy_each_client_is_locked_apart(client, staff, settings):
    """Every request comes from the proxy's address; X-Forwarded-For names the client."""
    settings.CASEBOOK_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN, {"username": "admin", "password": "wrong"}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10"
        )
    locked = client.post(
        LOGIN, {"username": "admin", "password": "pw"}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10"
    )
    assert locked.status_code == 429
    # The real admin, elsewhere, behind the same proxy, is not locked out by the attacker.
    response = client.post(
        LOGIN, {"username": "admin", "password": "pw"}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 302


def test_behind_a_proxy_what_the_client_adds_to_the_header_is_ignored(client, staff, settings):
    """The proxy appends the address it saw; entries before it are the client's own to forge."""
    settings.CASEBOOK_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "admin", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 192.0.2.10",
        )
    forged = client.post(
        LOGIN,
        {"username": "admin", "password": "pw"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.10",
    )
    assert forged.status_code == 429


def test_without_a_proxy_a_forged_header_changes_nothing(client, staff, settings):
    settings.CASEBOOK_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "admin", "password": "wrong"},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    again = client.post(
        LOGIN, {"username": "admin", "password": "pw"}, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert again.status_code == 429
    # The real admin at another address signs in: the lock is per user name and address.
    assert client.post(LOGIN, {"username": "admin", "password": "pw"}, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_requests_through_an_uncounted_proxy_are_warned_of_once_in_production(client, settings, caplog, monkeypatch):
    """With AXES_PROXY_COUNT=0 behind a proxy every visitor shares its address for the per-client limits;
    the log says so once, and not when the proxies are counted or in development."""
    from casebook.base.core import security

    monkeypatch.setattr(security, "_proxy_warned", False)
    settings.DEBUG = False
    settings.CASEBOOK_PROXY_COUNT = 1
    client.get("/cases/submit/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert "AXES_PROXY_COUNT" not in caplog.text
    settings.CASEBOOK_PROXY_COUNT = 0
    for _ in range(3):
        client.get("/cases/submit/", HTTP_X_FORWARDED_FOR="203.0.113.7")
        security.client_ip(
            type("Request", (), {"META": {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}})
        )
    assert caplog.text.count("AXES_PROXY_COUNT が 0") == 1
