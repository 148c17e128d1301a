"""A django-tasks backend that runs each task in a thread of the process that enqueued it.

The request that starts a long job (a large spreadsheet import) returns at once and the job's page
shows its progress. It needs no worker process, at a price: a job dies with its process (a deploy, a
recycled worker). The jobs that use it are all or nothing, so a lost job has written nothing and can be
started again; a site with a task worker names another backend for them in CASEBOOK_TASKS_BACKEND."""

import threading

from django.db import connections
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id


class ThreadBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        threading.Thread(target=self._run, args=(result,), daemon=True, name=f"task-{result.id}").start()
        return result

    def _run(self, result) -> None:
        try:
            self._execute_task(result)
        finally:
            connections.close_all()  # the thread's own connections
