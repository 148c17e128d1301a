"""A backup taken now brings back every row, every uploaded file and every rendered page after a wipe."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from casebook.backup import row_counts

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

    from casebook.home.seed import load_initial_content

    settings.MEDIA_ROOT = tmp_path / "media"
    load_initial_content()
    document = Document.objects.create(title="議事録", file=SimpleUploadedFile("議事録.txt", "会議の記録".encode()))
    counts, pages = row_counts(), rendered_pages()
    assert counts["cases.CasePage"] == 5

    call_command("backup", "--output", str(tmp_path / "backups"))
    [archive] = (tmp_path / "backups").glob("casebook-*.tar.gz")

    call_command("flush", "--noinput", inhibit_post_migrate=True)
    (tmp_path / "media" / document.file.name).unlink()
    cache.clear()
    assert row_counts()["cases.CasePage"] == 0

    call_command("restore", str(archive), "--yes")
    assert row_counts() == counts
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
