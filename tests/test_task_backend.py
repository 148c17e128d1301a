"""The imports' task backend runs a task in a thread: the request that enqueued it does not wait."""

import threading

from django_tasks import task
from django_tasks.base import TaskResultStatus

from casebook.base.core.tasks import ThreadBackend

STARTED, RELEASE, DONE = threading.Event(), threading.Event(), []


@task()
def slow_task(value: int) -> int:
    STARTED.set()
    RELEASE.wait(5)
    DONE.append(value)
    return value * 2


def test_a_task_runs_in_its_own_thread_after_enqueue_returns():
    backend = ThreadBackend("imports", {"QUEUES": [], "OPTIONS": {}})
    result = backend.enqueue(slow_task, (21,), {})
    assert STARTED.wait(5)
    worker = next(t for t in threading.enumerate() if t.name == f"task-{result.id}")
    assert result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING) and DONE == []  # not waited for
    RELEASE.set()
    worker.join(5)
    assert DONE == [21] and result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 42
