"""Scheduled work that runs once per schedule across a fleet.

Every machine may carry the same cron lines or timers (docs/operating.md, Schedule): a job runs under a
lock in the database (core.ScheduleLock), taken by one conditional UPDATE, so that when two machines
start it at the same moment one runs it and the other says so and ends. A holder that died frees the
lock when `held_until` passes. A job on a machine's own files (the export folder) locks per machine.
The apps register their jobs in AppConfig.ready (`register`), so this module knows none of them;
`manage.py scheduled` runs them by name."""

import datetime
import hashlib
import os
import socket
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from casebook.base.core.models import ScheduleLock


@dataclass(frozen=True)
class Job:
    name: str
    description: str  # Japanese, for `manage.py scheduled --list` and the docs
    run: Callable[[], str]  # returns one line for the log
    hold_for: datetime.timedelta  # how long a holder that died keeps others out
    per_machine: bool  # work on this machine's own files: once per machine, not once per fleet


JOBS: dict[str, Job] = {}


def register(
    name: str,
    description: str,
    run: Callable[[], str],
    hold_for=datetime.timedelta(hours=1),
    per_machine: bool = False,
) -> None:
    JOBS[name] = Job(name, description, run, hold_for, per_machine)


def lock_name(job: Job) -> str:
    if not job.per_machine:
        return job.name
    host = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:12]
    return f"{job.name}@{host}"


@contextmanager
def held(name: str, hold_for: datetime.timedelta):
    """Yields True to the one caller that took the lock `name`, False to anyone while it is held."""
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:255]
    now = timezone.now()
    try:
        with transaction.atomic():
            ScheduleLock.objects.get_or_create(name=name)
    except IntegrityError:
        pass  # another machine made the row at the same moment
    free = Q(held_until__isnull=True) | Q(held_until__lt=now)
    taken = ScheduleLock.objects.filter(free, name=name).update(
        holder=holder, held_until=now + hold_for, last_started_at=now
    )
    try:
        yield bool(taken)
    finally:
        if taken:
            ScheduleLock.objects.filter(name=name, holder=holder).update(
                held_until=None, last_finished_at=timezone.now()
            )


def run(name: str) -> str | None:
    """Run the job under its lock: its line for the log, or None when another run holds the lock."""
    job = JOBS[name]
    with held(lock_name(job), job.hold_for) as mine:
        if not mine:
            return None
        return job.run()


def publish_scheduled() -> str:
    """Wagtail's own: publish and unpublish the pages whose go-live or expiry time has come."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return " ".join(out.getvalue().split()) or "公開・非公開の予定はありませんでした。"


TASK_RESULTS_KEPT = datetime.timedelta(days=7)
FAILED_TASK_RESULTS_KEPT = datetime.timedelta(days=30)
WORKERS_KEPT = datetime.timedelta(days=1)


def prune_tasks() -> str:
    """End the jobs of dead workers, then drop old task results and the rows of workers long gone."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from casebook.base.core.models import WorkerHeartbeat
    from casebook.base.core.tasks import reap

    now = timezone.now()
    ended = reap()
    finished = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - TASK_RESULTS_KEPT)
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__lt=now - FAILED_TASK_RESULTS_KEPT)
    removed = finished.delete()[0] + failed.delete()[0]
    workers = WorkerHeartbeat.objects.filter(seen_at__lt=now - WORKERS_KEPT).delete()[0]
    return f"止まったジョブ {ended}件を失敗に、古いタスクの結果 {removed}件・ワーカー {workers}件を削除"


def register_core_jobs() -> None:
    # Every 5 minutes: a run that died keeps the next ones out for 10 minutes at most.
    register(
        "publish",
        "予約した公開・非公開（Wagtail の publish_scheduled）",
        publish_scheduled,
        hold_for=datetime.timedelta(minutes=10),
    )
    register("prune-tasks", "止まったジョブの後始末と、古いタスクの結果の削除", prune_tasks)
