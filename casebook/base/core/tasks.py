"""Background work (django-tasks): the backends, the heartbeats and what tells that a worker is alive.

Production runs the imports' tasks on a worker process (django-tasks-db's `db_worker`, started by
`make worker`; this app's `db_worker` adds a heartbeat to it). A job's own heartbeat (`beating`) is
written from a thread with its own database connection, so it commits while the job's transaction is
still open, and stops when the process dies: a job whose heartbeat has gone quiet is marked failed by
whoever looks next (the job's page, the worker, `manage.py scheduled`). django-tasks-db has no such
recovery of its own.

Development may run them without a worker: `ThreadBackend` runs each task in a thread of the process
that enqueued it. A job dies with that process, and the same heartbeat rule ends it."""

import atexit
import datetime
import logging
import os
import socket
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger(__name__)


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
        thread = threading.Thread(target=self._run, args=(result,), daemon=True, name=f"task-{result.id}")
        _running.add(thread)
        thread.start()
        return result

    def _run(self, result) -> None:
        try:
            self._execute_task(result)
        finally:
            connections.close_all()  # the thread's own connections
            _running.discard(threading.current_thread())


# Tasks a command started (load_initial_content's changes queue the dataset's build) end before the
# command's process does, for up to a minute, instead of dying half done with it.
_running: set[threading.Thread] = set()
JOIN_AT_EXIT_SECONDS = 60


@atexit.register
def _finish_running_tasks() -> None:
    deadline = time.monotonic() + JOIN_AT_EXIT_SECONDS
    while _running and time.monotonic() < deadline:  # a task may start another as it ends
        next(iter(set(_running))).join(max(0.0, deadline - time.monotonic()))


def heartbeat_seconds() -> float:
    return settings.CASEBOOK_TASK_HEARTBEAT_SECONDS


def silent_after() -> datetime.timedelta:
    """A job or worker whose heartbeat is older than this is taken for dead."""
    return datetime.timedelta(seconds=settings.CASEBOOK_TASK_SILENT_SECONDS)


@contextmanager
def beating(beat, every: float | None = None):
    """Call `beat()` every `every` seconds from a thread of its own (so on its own
    database connection, committed at once) until the block ends. A failed beat is logged and the
    next one tried: on SQLite a beat waits while the job's own transaction holds the write lock.
    The first beat comes after `every` seconds: a short job writes none."""
    every = heartbeat_seconds() if every is None else every
    stop = threading.Event()

    def run():
        try:
            while not stop.wait(every):
                try:
                    beat()
                except Exception:
                    logger.warning("heartbeat not written", exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True, name="heartbeat")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(every + 30)


def worker_identity(worker_id: str) -> dict:
    return {"worker_id": worker_id[:64], "host": socket.gethostname()[:255], "pid": os.getpid()}


def last_worker_seen():
    """When a task worker last said it was alive, or None if none ever did."""
    from casebook.base.core.models import WorkerHeartbeat

    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def uses_worker(alias: str = "imports") -> bool:
    """Whether tasks of this backend wait for a worker process (rather than run in the web process)."""
    return "django_tasks_db" in settings.TASKS.get(alias, {}).get("BACKEND", "")


def worker_missing(alias: str = "imports") -> str:
    """A sentence for the import page and /readyz when jobs would wait for a worker nobody runs; else ''."""
    if not uses_worker(alias):
        return ""
    seen = last_worker_seen()
    if seen is None:
        return "タスクワーカーが一度も動いていません（manage.py db_worker）。取り込みは実行されません。"
    if seen < timezone.now() - silent_after():
        since = timezone.localtime(seen)
        return f"タスクワーカーが {since:%Y-%m-%d %H:%M} から応答していません。取り込みは待たされます。"
    return ""


# What ends the jobs of dead workers: each app that runs jobs registers its own (AppConfig.ready);
# the worker's heartbeat, the job pages and `manage.py scheduled` call them.
_reapers: list = []


def register_reaper(reaper) -> None:
    if reaper not in _reapers:
        _reapers.append(reaper)


def reap() -> int:
    """Mark the jobs whose heartbeat has gone quiet as failed; returns how many."""
    ended = 0
    for reaper in list(_reapers):
        try:
            ended += reaper()
        except Exception:
            logger.warning("reaper %s failed", getattr(reaper, "__name__", reaper), exc_info=True)
    return ended


def reap_dead_workers_results() -> int:
    """django-tasks-db's own rows of tasks whose worker died stay 「running」: end them as failed."""
    from django_tasks_db.models import DBTaskResult

    from casebook.base.core.models import WorkerHeartbeat

    quiet = timezone.now() - silent_after()
    ended = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids")[:100]:
        worker = result.worker_ids[-1] if result.worker_ids else None
        alive = WorkerHeartbeat.objects.filter(worker_id=worker, seen_at__gte=quiet).exists()
        if not alive:
            ended += DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="builtins.RuntimeError",
                traceback="The worker stopped (no heartbeat) while the task ran.",
            )
    return ended


register_reaper(reap_dead_workers_results)
