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
from django.db import DatabaseError, connection
from django.utils import timezone

from casebook.base.core.cache import new_content_version

FORMAT = 1
# Models that moved to another app in the same table: a manifest written before the move names them so.
MOVED_LABELS = {
    "cases.Prefecture": "taxonomy.Prefecture",
    "cases.Municipality": "taxonomy.Municipality",
    "cases.GrantProgram": "taxonomy.GrantProgram",
    "home.SeedRecord": "seed.SeedRecord",
}
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


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
    """Write a new archive into `output_dir` and return its path.

    The archive holds password hashes and sessions, so only its owner may read it (mode 0600).
    """
    kind = engine()
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"casebook-{stamp}-{kind}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / DATABASE_MEMBER[kind]
        _dump_database(database)
        manifest = {
            "format": FORMAT,
            "engine": kind,
            "created_at": timezone.now().isoformat(),
            "rows": row_counts(),
        }
        media = Path(settings.MEDIA_ROOT)
        if not media.is_dir():
            media = Path(work) / "media"  # an empty folder: restoring it leaves no stale uploads
            media.mkdir()
        descriptor = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, arcname=database.name)
            tar.add(media, arcname="media")
    return archive


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
    except (OSError, tarfile.TarError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise BackupError(f"「{archive}」は Casebook のバックアップとして読めません。") from error
    if not isinstance(manifest, dict):
        raise BackupError(f"「{archive}」は Casebook のバックアップとして読めません。")
    return manifest


def _check_sqlite_copy(path: Path, manifest: dict) -> None:
    """The copy opens, is intact and holds the rows the manifest counted, before anything is replaced."""
    tables = {model._meta.label: model._meta.db_table for model in apps.get_models()}
    try:
        copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("バックアップのデータベースが壊れています。")
            for label, expected in (manifest.get("rows") or {}).items():
                label = MOVED_LABELS.get(label, label)
                if label in tables:
                    found = copy.execute(f'SELECT COUNT(*) FROM "{tables[label]}"').fetchone()[0]
                    if found != expected:
                        raise BackupError(f"バックアップの {label} が {found} 行で、記録の {expected} 行と合いません。")
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise BackupError(f"バックアップのデータベースを読めません: {error}") from error


def restore_backup(archive: Path) -> dict:
    """Replace the database and the media folder with the archive's; returns its manifest.

    Everything is unpacked and checked first; only then is the database replaced and the media
    folder swapped in with a rename.
    """
    manifest = read_manifest(archive)
    kind = engine()
    if manifest.get("format") != FORMAT:
        raise BackupError("このバックアップの形式には対応していません。")
    if manifest.get("engine") != kind:
        raise BackupError(
            f"このバックアップは {manifest.get('engine')} のものです。{kind} のデータベースには戻せません。"
        )
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory(dir=media.parent) as staging:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"アーカイブを展開できません: {error}") from error
        database = Path(work) / DATABASE_MEMBER[kind]
        if not database.is_file() or not (Path(work) / "media").is_dir():
            raise BackupError("アーカイブにデータベースかメディアのフォルダがありません。")
        if kind == "sqlite":
            _check_sqlite_copy(database, manifest)
        else:
            _run(["pg_restore", "--list", str(database)])
        new_media = Path(staging) / "media"
        shutil.copytree(Path(work) / "media", new_media)

        if kind == "sqlite":
            source = sqlite3.connect(database)
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            connection.close()
            args, env = _pg_env()
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(database)],
                env,
            )
        old_media = Path(staging) / "media-before-restore"
        if media.exists():
            media.rename(old_media)
        new_media.rename(media)
    connection.close()
    cache.clear()
    try:
        # The restored database brings back a token that caches elsewhere may still hold entries under.
        new_content_version()
    except DatabaseError:  # a backup from before the version table: migrate (which replaces it) comes next
        pass
    return manifest
