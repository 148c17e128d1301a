"""Backups that a Wagtail site can be restored from: the whole database and the uploaded files.

SQLite is copied with its online backup API (consistent while the site runs); PostgreSQL with
`pg_dump -Fc` and `pg_restore`. dumpdata/loaddata is not used: it breaks on Wagtail's page tree.
An archive is one .tar.gz holding manifest.json, the database and media/.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator, in Japanese."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"このデータベース（{vendor}）のバックアップには対応していません。")
    return vendor


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} が見つかりません（postgresql-client をインストールしてください）。") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} が失敗しました: {result.stderr.strip()[:500]}")


def _dump_database(target: Path) -> None:
    if engine() == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        with destination:
            connection.connection.backup(destination)
        destination.close()
    else:
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)


def create_backup(output_dir: Path) -> Path:
    """Write a new archive into `output_dir` and return its path."""
    kind = engine()
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"casebook-{stamp}-{kind}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / ("database.sqlite3" if kind == "sqlite" else "database.pgdump")
        _dump_database(database)
        manifest = {
            "format": FORMAT,
            "engine": kind,
            "created_at": timezone.now().isoformat(),
            "rows": row_counts(),
        }
        with tarfile.open(archive, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, arcname=database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
    return archive


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return json.load(tar.extractfile("manifest.json"))
    except (OSError, tarfile.TarError, KeyError, ValueError, TypeError) as error:
        raise BackupError(f"「{archive}」は Casebook のバックアップとして読めません。") from error


def restore_backup(archive: Path) -> dict:
    """Replace the database and the media folder with the archive's; returns its manifest."""
    manifest = read_manifest(archive)
    kind = engine()
    if manifest.get("format") != FORMAT:
        raise BackupError("このバックアップの形式には対応していません。")
    if manifest.get("engine") != kind:
        raise BackupError(
            f"このバックアップは {manifest.get('engine')} のものです。{kind} のデータベースには戻せません。"
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
        if kind == "sqlite":
            source = sqlite3.connect(Path(work) / "database.sqlite3")
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            connection.close()
            args, env = _pg_env()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(Path(work) / "database.pgdump"),
                ],
                env,
            )
        media = Path(settings.MEDIA_ROOT)
        if (Path(work) / "media").is_dir():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(Path(work) / "media", media)
    connection.close()
    cache.clear()
    return manifest
