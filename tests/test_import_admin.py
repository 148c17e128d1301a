"""「事例の取り込み」 in the admin: moderators upload, read the dry run, confirm, and the job writes the drafts
in the background with its progress on a page; editors cannot; a bad file gets a Japanese message."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from casebook.site.editorial.models import ImportJob
from cases.models import CasePage

pytestmark = pytest.mark.django_db


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def export_with_new_title(client) -> bytes:
    text = body_of(client.get("/cases/export.csv")).decode("utf-8-sig")
    first = text.split("\r\n")[1].split(",")[2]  # the first case's title
    return ("\ufeff" + text.replace(first, "取り込みで直したタイトル", 1)).encode("utf-8")


def test_editors_cannot_import_and_do_not_see_the_menu(client, seeded, staff):
    client.force_login(staff.editor)
    refused = client.get("/admin/import-cases/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's answer to PermissionDenied
    assert "/admin/import-cases/" not in client.get("/admin/").content.decode()  # the menu's JSON
    client.force_login(staff.moderator)
    assert "/admin/import-cases/" in client.get("/admin/").content.decode()


def test_a_moderator_checks_then_imports_and_the_job_ends_in_review(client, seeded, staff):
    client.force_login(staff.moderator)
    upload = SimpleUploadedFile("cases.csv", export_with_new_title(client), content_type="text/csv")
    report = client.post("/admin/import-cases/", {"file": upload})
    html = report.content.decode()
    assert report.status_code == 200
    assert "新規 0件、更新 1件、変更なし 4件、エラー 0件" in html
    assert "取り込みで直したタイトル" in html and "タイトル" in html
    assert not CasePage.objects.filter(title="取り込みで直したタイトル").exists()  # the dry run wrote nothing

    job = ImportJob.objects.get()
    done = client.post(f"/admin/import-cases/{job.pk}/confirm/", follow=True)
    assert "完了" in done.content.decode() and "更新 1件を承認待ちにしました" in done.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and len(job.updated) == 1
    case = CasePage.objects.get(pk=job.updated[0])
    assert case.get_latest_revision_as_object().title == "取り込みで直したタイトル"
    assert case.title != "取り込みで直したタイトル"  # still in review
    # Confirming twice does not import twice.
    client.post(f"/admin/import-cases/{job.pk}/confirm/")
    assert case.revisions.count() == CasePage.objects.get(pk=case.pk).revisions.count()


def test_a_running_job_page_refreshes_itself_and_shows_its_progress_from_the_jobs_row(client, seeded, staff):
    from django.core.cache import cache
    from django.utils import timezone

    client.force_login(staff.moderator)
    job = ImportJob.objects.create(
        user=staff.moderator,
        filename="big.csv",
        data=b"",
        status="running",
        heartbeat_at=timezone.now(),
        progress_done=120,
        progress_total=2000,
    )
    cache.clear()  # the progress is the row's, which every process reads, not a cache entry
    html = client.get(f"/admin/import-cases/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html and "120 / 2000件" in html
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING  # alive: left running
    other = ImportJob.objects.create(user=staff.admin, filename="x.csv", data=b"")
    assert client.get(f"/admin/import-cases/{other.pk}/").status_code == 404  # one's own jobs only


def test_a_job_whose_heartbeat_went_quiet_ends_as_failed_within_the_silent_time(client, seeded, staff, settings):
    import datetime

    from django.utils import timezone

    settings.CASEBOOK_TASK_SILENT_SECONDS = 60
    client.force_login(staff.moderator)
    beat = timezone.now() - datetime.timedelta(seconds=61)
    job = ImportJob.objects.create(
        user=staff.moderator, filename="k.csv", data=b"", status="running", heartbeat_at=beat
    )
    html = client.get(f"/admin/import-cases/{job.pk}/").content.decode()
    assert "失敗" in html and "処理が途中で止まりました" in html and 'http-equiv="refresh"' not in html
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED


def test_without_a_worker_the_import_pages_say_that_jobs_would_wait(client, seeded, staff, settings):
    import datetime

    from django.utils import timezone

    from casebook.base.core.models import WorkerHeartbeat

    settings.TASKS = {**settings.TASKS, "imports": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(staff.moderator)
    assert "タスクワーカーが一度も動いていません" in client.get("/admin/import-cases/").content.decode()
    job = ImportJob.objects.create(user=staff.moderator, filename="q.csv", data=b"", status="queued")
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    WorkerHeartbeat.objects.create(worker_id="w1", host="app1", pid=1, started_at=long_ago, seen_at=long_ago)
    html = client.get(f"/admin/import-cases/{job.pk}/").content.decode()
    assert "実行を待っています" in html and "タスクワーカーが" in html and "から応答していません" in html
    WorkerHeartbeat.objects.filter(pk="w1").update(seen_at=timezone.now())
    html = client.get(f"/admin/import-cases/{job.pk}/").content.decode()
    assert "実行を待っています" in html and "タスクワーカー" not in html


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [(b"", "empty.csv", "ファイルが空です"), (b"\x89PNG\r\n" + bytes(range(256)), "photo.csv", "CSV として読めません")],
)
def test_a_bad_file_is_answered_in_japanese(client, seeded, staff, data, name, message):
    client.force_login(staff.moderator)
    response = client.post("/admin/import-cases/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400 and message in response.content.decode()
    assert "取り込むファイルを選んでください" not in response.content.decode()
    missing = client.post("/admin/import-cases/", {})
    assert missing.status_code == 400 and "ファイル（CSV か .xlsx）を選んでください" in missing.content.decode()
    assert not ImportJob.objects.exists()


def test_the_template_has_an_example_row_and_an_explanation_sheet_and_its_example_is_refused(client, seeded, staff):
    client.force_login(staff.moderator)
    template = body_of(client.get("/admin/import-cases/template.xlsx"))
    book = load_workbook(io.BytesIO(template))
    assert book.sheetnames == ["事例", "説明"]
    rows = list(book["事例"].iter_rows(values_only=True))
    assert rows[0][:3] == ("スラッグ", "タイトル", "概要") and rows[1][1].startswith("【記入例】")
    explained = {row[0] for row in book["説明"].iter_rows(values_only=True)}
    assert "タイトル（必須）" in explained and "本文" in explained
    upload = SimpleUploadedFile("template.xlsx", template)
    report = client.post("/admin/import-cases/", {"file": upload}).content.decode()
    assert "記入例の行が残っています" in report and "取り込めません" in report


def test_a_job_whose_process_ended_says_so_and_wrote_nothing(client, seeded, staff):
    import datetime

    from django.utils import timezone

    client.force_login(staff.moderator)
    job = ImportJob.objects.create(user=staff.moderator, filename="lost.csv", data=b"", status="running")
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    html = client.get(f"/admin/import-cases/{job.pk}/").content.decode()
    assert "処理が途中で止まりました" in html and 'http-equiv="refresh"' not in html
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED


def test_a_mail_server_that_refuses_the_summary_costs_the_e_mail_not_the_import(
    client, seeded, staff, settings, django_capture_on_commit_callbacks
):
    import socket

    with socket.socket() as probe:  # a port nobody listens on: the mail server is down
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    client.force_login(staff.moderator)
    upload = SimpleUploadedFile("cases.csv", export_with_new_title(client), content_type="text/csv")
    client.post("/admin/import-cases/", {"file": upload})
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/import-cases/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and len(job.updated) == 1  # written, and said so


def test_an_import_whose_job_was_ended_meanwhile_rolls_back_and_writes_nothing(client, seeded, staff):
    from casebook.base.core.spreadsheet import read_table
    from casebook.site.editorial.imports import still_running
    from cases.intake.importer import apply_import, plan_import
    from cases.models import CaseIndexPage

    client.force_login(staff.moderator)
    data = export_with_new_title(client)
    job = ImportJob.objects.create(user=staff.moderator, filename="k.csv", data=data, status="failed")  # reaped
    plan = plan_import(read_table(data, "k.csv"))
    with pytest.raises(ValueError, match="処理が途中で止まりました"):
        apply_import(plan, CaseIndexPage.objects.first(), staff.moderator, before_commit=still_running(job.pk))
    assert not any(
        case.get_latest_revision_as_object().title == "取り込みで直したタイトル" for case in CasePage.objects.all()
    )
