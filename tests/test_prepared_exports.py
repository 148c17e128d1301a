"""Exports too big to build while a request waits (cases/reuse/prepared.py): the dataset of every case,
rebuilt after each change, and big filtered exports prepared on the worker with a page that says so."""

import csv
import datetime
import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from cases.reuse.prepared import PreparedExport
from tests.factories import make_case


@pytest.fixture
def small_inline_limit(settings):
    """Any export of more than one case counts as big."""
    settings.CASEBOOK_EXPORT_INLINE_MAX_CASES = 1
    return settings


def another_case(catalog, title: str, measure: str = "security"):
    """One more published case of 府中市's, under `measure`."""
    return make_case(
        catalog.index, title=title, lead=catalog.cases.workation.lead_organization, primary=catalog.measures[measure]
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return body(response)


def ask(client, url, django_capture_on_commit_callbacks):
    """One request, with the work it queues run as the worker would once the request's transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(url)


def test_a_big_filtered_export_is_prepared_then_the_same_address_sends_the_file(
    client, catalog, small_inline_limit, django_capture_on_commit_callbacks
):
    url = "/cases/export.csv?measure=telework"
    first = ask(client, url, django_capture_on_commit_callbacks)
    assert first.status_code == 202
    assert first["Retry-After"] == "5"
    assert "no-store" in first["Cache-Control"]
    page = first.content.decode()
    assert "出力を準備しています" in page and "（2件）" in page
    assert 'http-equiv="refresh"' in page

    again = client.get(url)
    assert again.status_code == 303
    assert again["Location"].startswith("/media/exports/") and again["Location"].endswith(".csv.gz")
    rows = list(csv.reader(io.StringIO(gzip.decompress(download(client, again["Location"])).decode("utf-8-sig"))))
    small_inline_limit.CASEBOOK_EXPORT_INLINE_MAX_CASES = 100
    streamed = list(csv.reader(io.StringIO(body(client.get(url)).decode("utf-8-sig"))))
    assert rows == streamed
    assert {row[0] for row in rows[1:]} == {catalog.cases.workation.slug, catalog.cases.tokyo_fuchu.slug}


def test_a_prepared_export_is_never_sent_after_the_content_changed(
    client, catalog, small_inline_limit, django_capture_on_commit_callbacks
):
    url = "/cases/export.json?measure=telework"
    ask(client, url, django_capture_on_commit_callbacks)
    assert client.get(url).status_code == 303
    newer = another_case(catalog, "新しいテレワーク", "telework")
    answer = ask(client, url, django_capture_on_commit_callbacks)
    assert answer.status_code == 202  # the file of the old list is not the list any more
    ready = client.get(url)
    assert ready.status_code == 303
    data = json.loads(gzip.decompress(download(client, ready["Location"])))
    assert data["count"] == 3
    assert newer.slug in [record["slug"] for record in data["results"]]


def test_a_big_workbook_is_prepared_too_and_a_head_request_queues_nothing(
    client, catalog, small_inline_limit, django_capture_on_commit_callbacks
):
    url = "/cases/export.xlsx?measure=telework"
    assert client.head(url).status_code == 202
    assert not PreparedExport.objects.exists()
    ask(client, url, django_capture_on_commit_callbacks)
    ready = client.get(url)
    assert ready["Location"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download(client, ready["Location"])), read_only=True)["事例"]
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        catalog.cases.workation.slug,
        catalog.cases.tokyo_fuchu.slug,
    }


def test_a_failed_build_says_so_and_the_next_request_tries_again(
    client, catalog, small_inline_limit, django_capture_on_commit_callbacks, monkeypatch
):
    url = "/cases/export.csv?measure=telework"

    def broken(export):
        raise OSError("disk full")

    monkeypatch.setattr("cases.reuse.prepared.write_file", broken)
    ask(client, url, django_capture_on_commit_callbacks)
    failed = client.get(url)
    assert failed.status_code == 202
    assert "失敗しました" in failed.content.decode()
    assert PreparedExport.objects.get().error == "disk full"
    assert 'http-equiv="refresh"' not in failed.content.decode()  # no reload loop on a failure
    monkeypatch.undo()
    assert "失敗しました" in client.get(url).content.decode()  # a reload at once does not build it again
    PreparedExport.objects.update(finished_at=timezone.now() - datetime.timedelta(minutes=2))
    ask(client, url, django_capture_on_commit_callbacks)  # a reload a while later queues it again
    assert client.get(url).status_code == 303


def test_the_dataset_follows_each_publish_and_lists_date_size_and_count(
    client, catalog, settings, django_capture_on_commit_callbacks
):
    settings.CASEBOOK_DATASETS_ON_CHANGE = True
    with django_capture_on_commit_callbacks(execute=True):
        another_case(catalog, "四件目の事例")
    page = client.get("/cases/datasets/")
    assert page.status_code == 200
    text = page.content.decode()
    for label in ("CSV（gzip 圧縮）", "JSON（gzip 圧縮）", "Excel（.xlsx）"):
        assert label in text
    assert text.count("4件") == 3
    files = {export.extension: export for export in PreparedExport.objects.filter(status="ready")}
    assert set(files) == {"csv", "json", "xlsx"}
    assert f"{files['json'].size / 1000:,.1f} KB" in text
    data = json.loads(gzip.decompress(download(client, files["json"].url())))
    assert data["count"] == 4 and "四件目の事例" in [record["title"] for record in data["results"]]


def test_a_newer_dataset_replaces_the_older_file(client, catalog, settings, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    settings.CASEBOOK_DATASETS_ON_CHANGE = True
    with django_capture_on_commit_callbacks(execute=True):
        another_case(catalog, "五件目")
    old = PreparedExport.objects.get(extension="csv", status="ready")
    with django_capture_on_commit_callbacks(execute=True):
        another_case(catalog, "六件目")
    new = PreparedExport.objects.get(extension="csv", status="ready")
    assert new.pk != old.pk and new.case_count == 5
    assert not default_storage.exists(old.file)


def test_the_whole_list_past_the_limit_is_sent_to_the_dataset(
    client, catalog, small_inline_limit, django_capture_on_commit_callbacks
):
    first = ask(client, "/cases/export.csv", django_capture_on_commit_callbacks)
    assert first.status_code == 202
    answer = client.get("/cases/export.csv")
    assert answer.status_code == 303 and answer["Location"].startswith("/media/datasets/")
    rows = list(csv.reader(io.StringIO(gzip.decompress(download(client, answer["Location"])).decode("utf-8-sig"))))
    assert len(rows) == 1 + 3


def test_the_dataset_page_builds_what_is_missing_and_is_not_kept_while_a_file_is_coming(client, catalog, settings):
    settings.CASEBOOK_PAGE_CACHE = True
    page = client.get("/cases/datasets/")
    assert "作成中です" in page.content.decode()
    assert page["Cache-Control"] == "no-cache"
    assert PreparedExport.objects.count() == 3


def test_the_schedule_rebuilds_a_missed_dataset_and_retires_exports_of_old_versions(
    client, catalog, small_inline_limit, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    ask(client, "/cases/export.csv?measure=telework", django_capture_on_commit_callbacks)
    filtered = PreparedExport.objects.get()
    another_case(catalog, "七件目")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scheduled", "datasets", stdout=out)
    assert "古い出力ファイルの削除 1件" in out.getvalue()
    assert not default_storage.exists(filtered.file)
    assert set(PreparedExport.objects.filter(status="ready").values_list("extension", flat=True)) == {
        "csv",
        "json",
        "xlsx",
    }


def test_a_small_export_is_still_streamed_at_once(client, catalog):
    response = client.get("/cases/export.csv?measure=telework")
    assert response.status_code == 200 and response.streaming
    assert not PreparedExport.objects.exists()


def test_a_burst_of_changes_queues_one_dataset_build_per_format(
    client, catalog, settings, django_capture_on_commit_callbacks
):
    settings.CASEBOOK_DATASETS_ON_CHANGE = True
    settings.TASKS = {**settings.TASKS, "imports": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    for n in range(4):  # an import, say: every case its own change
        with django_capture_on_commit_callbacks(execute=True):
            another_case(catalog, f"一括{n}")
    queued = PreparedExport.objects.filter(status="queued")
    assert sorted(queued.values_list("extension", flat=True)) == ["csv", "json", "xlsx"]
    assert len(task_backends["imports"].results) == 3
