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
