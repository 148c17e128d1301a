"""/healthz and /readyz, as a load balancer probes them, and the 503 every URL answers while the
database cannot be reached."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

from casebook.base.core import health
from casebook.base.core.cache_backends import redis_cache

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def forget_storage_look():
    health._storage_seen.clear()
    yield
    health._storage_seen.clear()


def test_healthz_answers_plain_http_to_any_host_without_the_database(client, settings):
    """No database fixture: a query here would raise."""
    settings.SECURE_SSL_REDIRECT = True  # production's: every other URL is redirected to HTTPS
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")  # not in ALLOWED_HOSTS
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert client.get("/cases/", HTTP_HOST="127.0.0.1").status_code == 301  # the redirect still holds elsewhere


def test_readyz_names_each_part_and_says_nothing_of_hosts(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}
    text = response.content.decode()
    assert "127.0.0.1" not in text and str(settings.MEDIA_ROOT) not in text and "SECRET" not in text
    assert response["Cache-Control"] == "no-store"


def test_readyz_answers_503_naming_the_storage_and_looks_without_writing(db, client, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the upload folder's parent should be")
    settings.MEDIA_ROOT = str(blocked / "media")
    response = client.get("/readyz")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["checks"]["storage"] == "unavailable" and response.json()["status"] == "unavailable"
    health._storage_seen.clear()
    settings.MEDIA_ROOT = str(tmp_path / "media")  # not made yet (a fresh install): made by the first upload
    assert client.get("/readyz").status_code == 200
    assert list(tmp_path.iterdir()) == [blocked]  # nothing written to check it


def test_readyz_names_a_cache_that_does_not_answer_and_stays_ready(db, client):
    with override_settings(CACHES={"default": redis_cache(f"redis://127.0.0.1:{free_port()}/0", "gone", 0.25)}):
        response = client.get("/readyz")
    assert response.status_code == 200  # the site answers without its cache: no reason to take it out
    assert response.json()["checks"]["cache"] == "unavailable" and "cache" in " ".join(response.json()["warnings"])


def get(url: str, host: str = "127.0.0.1"):
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, dict(answer.headers), answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def test_with_the_database_unreachable_every_url_answers_503_in_japanese_and_health_and_static_stay_up():
    """A real server whose database address answers nothing (a closed port)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casebook.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/casebook",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "casebook.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert get(f"{base}/healthz")[0] == 200
        status, headers, text = get(f"{base}/readyz")
        assert status == 503 and json.loads(text)["checks"]["database"] == "unavailable"
        for path in ["/", "/cases/", "/cases/?measure=telework", "/robots.txt", "/sitemap.xml", "/search/?q=a"]:
            status, headers, text = get(base + path)
            assert status == 503, path
            assert int(headers["Retry-After"]) > 0, path
            assert "データベースに一時的に接続できない" in text, path
        assert get(f"{base}/static/css/casebook.css")[0] == 200
    finally:
        server.terminate()
        server.wait(10)
