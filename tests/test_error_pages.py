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
