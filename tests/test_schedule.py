"""Scheduled work runs once per schedule across a fleet: two machines starting the same job at the same
moment run it once (a lock in the database); two send_alerts started together send each digest once."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connections
from django.test import Client
from django.utils import timezone

from casebook.base.core import schedule
from casebook.base.core.models import ScheduleLock
from casebook.site.alerts.models import Alert, Delivery

from .factories import make_case


def together(count: int, run) -> list:
    """`run()` in `count` threads (each on its own database connection), released at the same moment."""
    start, results = threading.Barrier(count), [None] * count

    def one(index):
        try:
            start.wait()
            results[index] = run()
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="SQLite's in-memory test database answers a second writer 'table is locked' instead of waiting",
)
def test_one_of_two_simultaneous_runs_of_a_job_takes_it_and_the_other_says_so(transactional_db):
    ran, release = [], threading.Event()

    def slow():
        ran.append(1)
        release.wait(5)
        return "done"

    schedule.register("test-slow", "テスト", slow)

    def run():
        result = schedule.run("test-slow")
        if result is None:  # the other holds it: let it finish
            release.set()
        return result

    try:
        results = together(2, run)
    finally:
        schedule.JOBS.pop("test-slow")
    assert sorted(map(str, results)) == ["None", "done"]
    assert len(ran) == 1
    lock = ScheduleLock.objects.get(name="test-slow")
    assert lock.held_until is None and lock.last_finished_at is not None  # let go when it ended


def test_a_lock_whose_holder_died_is_taken_again_after_its_time(db):
    ScheduleLock.objects.create(
        name="publish", holder="dead:1", held_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    out = io.StringIO()
    call_command("scheduled", "publish", stdout=out)
    assert "ほかのサーバーで実行中" not in out.getvalue()
    ScheduleLock.objects.filter(name="publish").update(held_until=timezone.now() + datetime.timedelta(minutes=5))
    out = io.StringIO()
    call_command("scheduled", "publish", stdout=out)
    assert "publish: ほかのサーバーで実行中のため、実行しませんでした。" in out.getvalue()


def test_scheduled_lists_its_jobs_and_refuses_an_unknown_one_in_japanese(db):
    out = io.StringIO()
    call_command("scheduled", "--list", stdout=out)
    names = {line.split("\t")[0] for line in out.getvalue().splitlines()}
    assert {"alerts", "publish", "tidy-exports", "prune-tasks"} <= names
    with pytest.raises(CommandError, match="知らない処理です: nightly"):
        call_command("scheduled", "nightly")


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="SQLite's in-memory test database answers a second writer 'table is locked' instead of waiting",
)
def test_two_send_alerts_started_at_the_same_moment_send_each_digest_once(transactional_db, settings):
    from .conftest import build_catalog

    settings.CASEBOOK_BASE_URL = "https://casebook.example.jp"
    catalog = build_catalog()
    client = Client()
    for address in ("taro@example.lg.jp", "hanako@example.lg.jp"):
        client.post("/alerts/", {"email": address, "frequency": "daily", "filters": "measure=telework"})
    for alert in Alert.objects.all():
        Alert.objects.filter(pk=alert.pk).update(confirmed_at=timezone.now() - datetime.timedelta(days=3))
    lead = catalog.cases.workation.lead_organization
    make_case(catalog.index, title="新しいテレワーク", lead=lead, primary=catalog.measures["telework"])
    Alert.objects.update(checked_at=timezone.now() - datetime.timedelta(days=2))
    mail.outbox.clear()

    results = together(2, lambda: call_command("send_alerts", stdout=io.StringIO()))

    assert [r for r in results if isinstance(r, Exception)] == []
    digests = [m for m in mail.outbox if "新着事例" in m.subject]
    assert sorted(m.to[0] for m in digests) == ["hanako@example.lg.jp", "taro@example.lg.jp"]  # once each
    assert all("新しいテレワーク" in m.body for m in digests)
    assert Delivery.objects.values("alert", "case").distinct().count() == Delivery.objects.count()  # none twice


def test_tidying_the_export_folder_runs_on_every_machine_not_once_per_fleet(db):
    job = schedule.JOBS["tidy-exports"]
    assert schedule.lock_name(job).startswith("tidy-exports@")  # per host: each server has its own folder
    ScheduleLock.objects.create(
        name="tidy-exports", holder="other", held_until=timezone.now() + datetime.timedelta(hours=1)
    )
    out = io.StringIO()
    call_command("scheduled", "tidy-exports", stdout=out)
    assert "ほかのサーバーで実行中" not in out.getvalue() and "出力ファイル" in out.getvalue()
    assert schedule.lock_name(schedule.JOBS["alerts"]) == "alerts"
