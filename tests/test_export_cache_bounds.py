"""The export cache stays bounded under anonymous requests (issue #29): an export is kept only when it
is asked for again, the folder is held within a file cap and a cap on disk blocks (not lengths), and
no request lists the folder; tidy_export_cache, run on a schedule, does."""

import io
import json
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.http import FileResponse
from openpyxl import load_workbook

from casebook.base.core.cache import content_version
from cases.reuse import export

pytestmark = pytest.mark.django_db

EXPORT = "/cases/export.json?measure=telework"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def cells(workbook: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(workbook))["事例"].iter_rows(values_only=True))


def entries(folder: Path) -> list[Path]:
    """What the export cache holds: kept exports, marks and partial files (not its ledger)."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.iterdir() if p.name != export.LEDGER_NAME)


def exports_in(folder: Path) -> list[Path]:
    return [p for p in entries(folder) if p.suffix in (".json", ".csv", ".xlsx")]


def marks_in(folder: Path) -> list[Path]:
    return [p for p in entries(folder) if p.name.endswith(export.SEEN_SUFFIX)]


def dummy_name(n: int, version: str | None = None, prefix: str | None = None, tail: str = "") -> str:
    from django.conf import settings

    prefix = prefix if prefix is not None else f"{settings.CACHE_KEY_PREFIX}-"
    version = version if version is not None else content_version()
    return f"{prefix}{version}-{n:032x}.json{tail}"


def fill(folder: Path, count: int, size: int = 979, **name) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(count):
        file = folder / dummy_name(n, **name)
        file.write_bytes(b"x" * size)
        files.append(file)
    return files


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


# -- The second request keeps ---------------------------------------------------------------------


def test_the_first_request_keeps_nothing_the_second_keeps_the_third_is_sent_from_the_file(
    client, catalog, export_files
):
    first = client.get(EXPORT)
    first_body = body(first)
    assert not isinstance(first, FileResponse)
    assert exports_in(export_files) == []  # only a mark: no copy of an export asked for once
    assert len(marks_in(export_files)) == 1 and marks_in(export_files)[0].stat().st_size == 0

    second = client.get(EXPORT)
    assert not isinstance(second, FileResponse)  # built again, and kept while it is sent
    assert body(second) == first_body
    kept = exports_in(export_files)
    assert len(kept) == 1 and kept[0].read_bytes() == first_body
    assert marks_in(export_files) == []  # the kept file took its mark's place
    assert not [p for p in entries(export_files) if p.name.endswith(".part")]

    third = client.get(EXPORT)
    assert isinstance(third, FileResponse) and body(third) == first_body
    assert json.loads(first_body)["count"] == 2


def test_a_workbook_is_kept_on_its_second_request_too(client, catalog, export_files, monkeypatch):
    built = []
    original = export.build_workbook
    monkeypatch.setattr(export, "build_workbook", lambda *args: built.append(1) or original(*args))
    url = "/cases/export.xlsx?measure=telework"
    first = body(client.get(url))
    assert exports_in(export_files) == [] and len(marks_in(export_files)) == 1
    second = body(client.get(url))  # built again (its creation time may differ), and kept
    assert cells(second) == cells(first) and len(exports_in(export_files)) == 1
    assert exports_in(export_files)[0].read_bytes() == second
    third = client.get(url)
    assert isinstance(third, FileResponse) and body(third) == second
    assert built == [1, 1]


def test_an_ignored_filter_or_a_foreign_port_leaves_not_even_a_mark(client, catalog, export_files):
    for _ in range(3):
        body(client.get("/cases/export.json?measure=telework&prefecture=99"))
        body(client.get(EXPORT, HTTP_HOST="testserver:1234"))
    assert entries(export_files) == []


def test_a_client_that_goes_away_on_the_second_request_leaves_no_partial_file(export_files, settings):
    export_files.mkdir()
    path = export_files / dummy_name(1)
    export._mark_path(path).touch()
    chunks = export._written_while_sent(iter(["a" * 1000, "b" * 1000]), path)
    assert next(chunks) == b"a" * 1000
    chunks.close()
    assert entries(export_files) == [export._mark_path(path)]


# -- Caps between tidies ----------------------------------------------------------------------------


def test_many_distinct_filters_never_exceed_the_file_cap(client, catalog, export_files, settings):
    settings.EXPORT_CACHE_MAX_FILES = 5
    for n in range(12):
        for _ in range(2):
            assert client.get(f"/cases/export.json?q=府中{n}").status_code == 200
    # Between tidies the running estimate stops marking (and so keeping) at the cap.
    assert len(entries(export_files)) <= settings.EXPORT_CACHE_MAX_FILES
    result = export.tidy_export_cache()
    assert result["kept"] == len(entries(export_files)) <= settings.EXPORT_CACHE_MAX_FILES
    # After a tidy the folder is counted afresh, and stays within the cap again.
    for n in range(12, 24):
        body(client.get(f"/cases/export.csv?q=府中{n}"))
    assert len(entries(export_files)) <= settings.EXPORT_CACHE_MAX_FILES
    assert export.tidy_export_cache()["kept"] <= settings.EXPORT_CACHE_MAX_FILES


def test_an_export_that_would_pass_the_byte_cap_is_sent_whole_but_not_kept(client, catalog, export_files, settings):
    body(client.get(EXPORT))
    body(client.get(EXPORT))
    (kept,) = exports_in(export_files)
    settings.EXPORT_CACHE_MAX_BYTES = export.disk_bytes(kept.stat())  # the folder is full
    other = "/cases/export.json?measure=security"
    first = body(client.get(other))
    assert body(client.get(other)) == first and json.loads(first)["count"] == 1
    assert exports_in(export_files) == [kept]
    assert not [p for p in entries(export_files) if p.name.endswith(".part")]
    assert not isinstance(client.get(other), FileResponse)


# -- tidy_export_cache --------------------------------------------------------------------------------


def test_tidy_counts_disk_blocks_not_lengths(export_files, settings):
    files = fill(export_files, 100, size=979)
    if files[0].stat().st_blocks * 512 < 4096:
        pytest.skip("this file system stores small files in less than a 4 KB block")
    result = export.tidy_export_cache()
    assert result == {"removed": 0, "kept": 100, "bytes": sum(f.stat().st_blocks * 512 for f in files)}
    assert result["bytes"] >= 100 * 4096 > 100 * 979
    # A cap of 50 blocks keeps 50 files, although their lengths (97,900 bytes) would fit in it.
    settings.EXPORT_CACHE_MAX_BYTES = 50 * 4096
    result = export.tidy_export_cache()
    assert result["kept"] == len(entries(export_files)) == 50 and result["bytes"] <= 50 * 4096


def test_without_st_blocks_a_size_is_rounded_up_to_a_block():
    assert export.disk_bytes(SimpleNamespace(st_size=979)) == 4096
    assert export.disk_bytes(SimpleNamespace(st_size=4097)) == 8192
    assert export.disk_bytes(SimpleNamespace(st_size=0)) == 0
    assert export.disk_bytes(SimpleNamespace(st_size=979, st_blocks=8)) == 4096


def test_tidy_holds_the_file_cap_and_retires_marks_before_files(export_files, settings):
    files = fill(export_files, 6)
    for n in range(6):
        mark = export_files / dummy_name(100 + n, tail=export.SEEN_SUFFIX)
        mark.touch()
        age(mark, 60 * 60)  # older than every file
    settings.EXPORT_CACHE_MAX_FILES = 8
    result = export.tidy_export_cache()
    assert result["kept"] == 8 and result["removed"] == 4
    assert len(marks_in(export_files)) == 2 and exports_in(export_files) == files
    settings.EXPORT_CACHE_MAX_FILES = 3
    age(files[0], 10)
    result = export.tidy_export_cache()
    assert marks_in(export_files) == [] and len(exports_in(export_files)) == 3
    assert files[0] not in exports_in(export_files)  # the oldest file went first


def test_tidy_retires_old_versions_stale_partial_files_and_marks(export_files, settings):
    current = fill(export_files, 2)
    old = fill(export_files, 3, version="f" * 32)
    old_mark = export_files / dummy_name(7, version="f" * 32, tail=export.SEEN_SUFFIX)
    old_mark.touch()
    # Another site whose prefix starts with this one's: its files are not this site's old versions.
    other_site = fill(export_files, 1, prefix=f"{settings.CACHE_KEY_PREFIX}-staging-", version="f" * 32)
    fresh_mark = export_files / dummy_name(8, tail=export.SEEN_SUFFIX)
    stale_mark = export_files / dummy_name(9, tail=export.SEEN_SUFFIX)
    fresh_part = export_files / dummy_name(10, tail=f".{'a' * 32}.part")
    stale_part = export_files / dummy_name(11, tail=f".{'b' * 32}.part")
    for file in (fresh_mark, stale_mark, fresh_part, stale_part):
        file.touch()
    age(stale_mark, 2 * 24 * 60 * 60)
    age(stale_part, 2 * 60 * 60)
    unknown = export_files / "README.txt"
    unknown.write_text("not an export")
    result = export.tidy_export_cache()
    left = set(export_files.iterdir())
    assert not left & {*old, old_mark, stale_mark, stale_part}
    assert {*current, *other_site, fresh_mark, fresh_part, unknown} <= left
    assert result["removed"] == 6 and result["kept"] == 5  # the unknown file is neither counted nor touched


def test_tidy_without_a_folder_reports_nothing(export_files):
    assert export.tidy_export_cache() == {"removed": 0, "kept": 0, "bytes": 0}


# -- No listing per request ---------------------------------------------------------------------


def test_an_export_request_never_lists_the_export_folder(client, catalog, export_files, monkeypatch):
    fill(export_files, 200)
    folder = str(export_files)
    listed = []

    def watching(original):
        def wrapper(*args, **kwargs):
            target = args[0] if args else kwargs.get("path", ".")
            if str(target).rstrip("/") == folder:
                listed.append(original.__name__)
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(export.os, "scandir", watching(os.scandir))
    monkeypatch.setattr(export.os, "listdir", watching(os.listdir))
    monkeypatch.setattr(Path, "iterdir", watching(Path.iterdir))
    monkeypatch.setattr(Path, "glob", watching(Path.glob))
    urls = (EXPORT, "/cases/export.csv?measure=security", "/cases/export.xlsx?tag=vdi", "/cases/export.json?q=府中")
    for url in urls:
        for _ in range(3):  # the mark, the kept file, the file sent
            response = client.get(url)
            assert response.status_code == 200 and body(response)
    assert listed == []
    assert len(exports_in(export_files)) == 200 + len(urls)  # the requests did keep files
    export.tidy_export_cache()
    assert listed  # the tidy lists it, once
