"""Error pages speak Japanese and give nothing away."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

SECRETS = ("Traceback", "SECRET_KEY", "settings", 'File "', "casebook/", "DEBUG")


def test_404_is_japanese_and_plain(seeded, client):
    response = client.get("/no-such-page/?q=<script>")
    body = response.content.decode()
    assert response.status_code == 404
    assert "ページが見つかりません" in body and "<script>" not in body
    assert not any(secret in body for secret in SECRETS)


def test_500_is_japanese_and_plain():
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "エラーが発生しました" in body and 'lang="ja"' in body
    assert "<style" not in body and "<script" not in body
    assert not any(secret in body for secret in SECRETS)


def assert_plain_japanese(response, heading):
    body = response.content.decode()
    assert heading in body and 'lang="ja"' in body
    assert "<style" not in body and "style=" not in body and "<script" not in body
    assert not any(secret in body for secret in SECRETS)


def test_a_bad_host_gets_a_japanese_400(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_plain_japanese(response, "リクエストを処理できません")


def test_a_failed_csrf_check_gets_a_japanese_403_that_passes_the_policy(seeded, staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": "pw"})
    assert response.status_code == 403
    assert_plain_japanese(response, "送信を受け付けられませんでした")


def test_bad_hosts_are_logged_as_one_warning_a_minute_without_a_traceback(client, caplog):
    import logging

    from casebook.base.core.logging import QuietDisallowedHost

    [quiet] = [
        f for f in logging.getLogger("django.security.DisallowedHost").filters if isinstance(f, QuietDisallowedHost)
    ]
    quiet.last = float("-inf")  # as if no bad host had come for a minute
    with caplog.at_level(logging.INFO, logger="django.security.DisallowedHost"):
        for n in range(5):
            assert client.get("/", HTTP_HOST=f"scanner{n}.example").status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    assert records[0].levelname == "WARNING" and records[0].exc_info is None
