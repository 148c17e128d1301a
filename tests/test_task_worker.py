"""The import's jobs on the task worker (django-tasks-db's db_worker, with this project's heartbeat):
a confirmed job waits in the database until a worker takes it, then ends 完了 with its drafts; the worker
says it is alive; a task whose worker died is ended rather than left running."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casebook.base.core.models import WorkerHeartbeat
from casebook.base.core.tasks import reap
from casebook.site.editorial.models import ImportJob
from cases.models import CasePage

DATABASE_BACKEND = {"BACKEND": "django_tasks_db.DatabaseBackend"}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def on_the_worker(settings):
    settings.TASKS = {**settings.TASKS, "imports": DATABASE_BACKEND}


def test_a_confirmed_import_waits_for_the_worker_then_ends_done(transactional_db, seeded, staff, client, on_the_worker):
    client.force_login(staff.moderator)
    text = body_of(client.get("/cases/export.csv")).decode("utf-8-sig")
    first = text.split("\r\n")[1].split(",")[2]
    upload = SimpleUploadedFile("cases.csv", ("\ufeff" + text.replace(first, "ワーカーで直したタイトル", 1)).encode())
    client.post("/admin/import-cases/", {"file": upload})
    job = ImportJob.objects.get()
    page = client.post(f"/admin/import-cases/{job.pk}/confirm/", follow=True).content.decode()
    assert "実行を待っています" in page and "タスクワーカーが一度も動いていません" in page
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # in the database, for any worker to take

    call_command("db_worker", "--backend", "imports", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and len(job.updated) == 1 and job.progress_done == 1
    assert CasePage.objects.get(pk=job.updated[0]).get_latest_revision_as_object().title == "ワーカーで直したタイトル"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert WorkerHeartbeat.objects.count() == 1  # the worker said it was alive
    done = client.get(f"/admin/import-cases/{job.pk}/").content.decode()
    assert "完了" in done and "タスクワーカー" not in done


def test_a_task_whose_worker_went_quiet_is_ended_and_one_whose_worker_beats_is_not(db, settings):
    settings.CASEBOOK_TASK_SILENT_SECONDS = 60
    now = timezone.now()
    old = now - datetime.timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="dead", host="a", pid=1, started_at=old, seen_at=old)
    WorkerHeartbeat.objects.create(worker_id="alive", host="b", pid=2, started_at=old, seen_at=now)

    def running(worker):
        return DBTaskResult.objects.create(
            status="RUNNING",
            args_kwargs={"args": ["x"], "kwargs": {}},
            task_path="casebook.site.editorial.imports.run_import",
            worker_ids=[worker],
            backend_name="imports",
            run_after=now,
            started_at=old,
        )

    lost, working = running("dead"), running("alive")
    assert reap() >= 1
    assert DBTaskResult.objects.get(pk=lost.pk).status == "FAILED"
    assert DBTaskResult.objects.get(pk=working.pk).status == "RUNNING"
