"""A backup taken now brings back every row, every uploaded file and every rendered page after a wipe."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from casebook.base.core.backup import row_counts
from casebook.base.core.cache import content_version

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def rendered_pages():
    from wagtail.models import Page

    urls = [page.url for page in Page.objects.live().specific() if page.url]
    urls += ["/cases/", "/cases/prefectures/", "/search/?q=テレワーク", "/cases/export.json"]
    client = Client()
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        pages[url] = content.decode()
    return pages


def test_backup_wipe_restore_gives_back_rows_files_and_pages(tmp_path, settings):
    from django.core.cache import cache
    from wagtail.documents.models import Document

    from casebook.site.seed.loader import load_initial_content

    settings.MEDIA_ROOT = tmp_path / "media"
    load_initial_content()
    document = Document.objects.create(title="議事録", file=SimpleUploadedFile("議事録.txt", "会議の記録".encode()))
    counts, pages = row_counts(), rendered_pages()
    assert counts["cases.CasePage"] == 5

    call_command("backup", "--output", str(tmp_path / "backups"))
    [archive] = (tmp_path / "backups").glob("casebook-*.tar.gz")
    version_in_backup = content_version()

    call_command("flush", "--noinput", inhibit_post_migrate=True)
    (tmp_path / "media" / document.file.name).unlink()
    cache.clear()
    assert row_counts()["cases.CasePage"] == 0

    call_command("restore", str(archive), "--yes")
    assert row_counts() == counts
    # Caches elsewhere may still hold entries under the token the backup brings back.
    assert content_version() != version_in_backup
    after = rendered_pages()
    assert [url for url in pages if after.get(url) != pages[url]] == []
    assert (tmp_path / "media" / document.file.name).read_text() == "会議の記録"


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "not-a-backup.tar.gz"
    bogus.write_bytes(b"\x1f\x8b garbage")
    with pytest.raises(CommandError, match="バックアップとして読めません"):
        call_command("restore", str(bogus), "--yes")
    with pytest.raises(CommandError, match="というファイルはありません"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")


def crafted(tmp_path, members, manifest=None):
    """An archive with the given members: name → bytes (None makes a folder)."""
    import io
    import json
    import tarfile

    from casebook.base.core.backup import FORMAT, engine

    path = tmp_path / "crafted.tar.gz"
    manifest = manifest or {"format": FORMAT, "engine": engine(), "rows": {}}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "case",
    ["no database", "database is garbage", "wrong engine", "escaping path", "manifest is a folder"],
)
def test_restore_refuses_a_bad_archive_and_changes_nothing(tmp_path, settings, case):
    from casebook.base.core.backup import DATABASE_MEMBER, FORMAT, engine
    from casebook.site.seed.loader import load_initial_content

    settings.MEDIA_ROOT = tmp_path / "media"
    load_initial_content()
    before = row_counts()
    database = DATABASE_MEMBER[engine()]
    members = {
        "no database": {"media": None},
        "database is garbage": {database: b"not a database at all", "media": None},
        "wrong engine": {database: b"x", "media": None},
        "escaping path": {"../escaped.txt": b"x", database: b"x", "media": None},
        "manifest is a folder": {},
    }[case]
    manifest = {"format": FORMAT, "engine": "oracle", "rows": {}} if case == "wrong engine" else None
    archive = crafted(tmp_path, members, manifest)
    if case == "manifest is a folder":
        import tarfile

        archive = tmp_path / "folder-manifest.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            info = tarfile.TarInfo("manifest.json")
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
    with pytest.raises(CommandError):
        call_command("restore", str(archive), "--yes")
    assert row_counts() == before
    assert not (tmp_path / "escaped.txt").exists()


def test_backup_archives_are_readable_by_their_owner_only(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", "--output", str(tmp_path / "backups"))
    [archive] = (tmp_path / "backups").glob("*.tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600
