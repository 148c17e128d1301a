"""Production settings, checked the way a deploy runs them: in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://casebook.example.jp"


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("CASEBOOK_BASE_URL", None)
    defaults = {"DJANGO_SETTINGS_MODULE": "casebook.settings.production", "CASEBOOK_BASE_URL": SITE}
    environment.update({name: value for name, value in {**defaults, **env}.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_deploy_check_passes_with_no_warning(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-for-this-test-only-0123456789",
        DJANGO_ALLOWED_HOSTS="casebook.example.jp",
        # A database of its own: not whatever a developer's db.sqlite3 holds (its Site record may differ).
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ALLOWED_HOSTS="casebook.example.jp")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_SECRET_KEY="a-long-random-production-secret-key-for-this-test-only-0123456789")
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_the_sites_address():
    result = manage(
        "check",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-for-this-test-only-0123456789",
        DJANGO_ALLOWED_HOSTS="casebook.example.jp",
        CASEBOOK_BASE_URL=None,
    )
    assert result.returncode != 0
    assert "CASEBOOK_BASE_URL" in result.stderr


def test_production_logs_one_json_object_per_line():
    import json

    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('django.request')"
        ".warning('見つかりません: %s', '/x', extra={'status_code': 404})",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-for-this-test-only-0123456789",
        DJANGO_ALLOWED_HOSTS="casebook.example.jp",
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout.strip().splitlines()[-1])
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert entry["message"] == "見つかりません: /x" and entry["status"] == 404
