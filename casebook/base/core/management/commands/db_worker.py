"""manage.py db_worker: django-tasks-db's worker, plus a heartbeat every few seconds that says the worker
is alive (core.WorkerHeartbeat, read by the import page and /readyz) and ends the jobs of workers that
died (casebook.base.core.tasks.reap). Everything else, options included, is django-tasks-db's."""

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from casebook.base.core.models import WorkerHeartbeat
from casebook.base.core.tasks import beating, reap, worker_identity


class Command(DatabaseWorkerCommand):
    help = "タスクワーカー（django-tasks-db）を動かします。取り込みなどのバックグラウンド処理を実行します。"

    def handle(self, *args, worker_id: str, **options):
        identity = worker_identity(worker_id)
        started = timezone.now()

        def beat():
            now = timezone.now()
            WorkerHeartbeat.objects.update_or_create(
                worker_id=identity["worker_id"],
                defaults={"host": identity["host"], "pid": identity["pid"], "seen_at": now},
                create_defaults={**identity, "started_at": started, "seen_at": now},
            )
            reap()

        beat()  # before the first task: the worker is seen as soon as it starts
        with beating(beat):
            return super().handle(*args, worker_id=worker_id, **options)
