"""Moving models between apps keeps the data: a backup made before the move restores and migrates
with every row, every group's permissions and every content type's objects where they were."""

import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from casebook.base.core.backup import MOVED_LABELS, row_counts
from casebook.base.taxonomy.models import Municipality
from cases.models import CasePage
from measures.models import MeasurePage, PlanVersion

from .factories import FIRST_PLAN_NUMBERS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def content_type_cache_of_the_test_database():
    """A restore brings content types with other ids, so the tests clear the cache; the rollback after
    the test brings the test database's back, and saving them (signals ask for content types) must then
    find the test database's ids in the cache again, not create rows under the restored ones' names."""
    kept = {alias: dict(models) for alias, models in ContentType.objects._cache.items()}
    yield
    ContentType.objects.clear_cache()
    ContentType.objects._cache.update(kept)


# Made with the code before taxonomy and the seed loader had apps of their own (commit b6e1e0a):
# the seed content, one user in each role, and 広島県府中市 edited by an editor.
BEFORE = Path(__file__).parent / "fixtures" / "backup-before-taxonomy-app-sqlite.tar.gz"
# Made with the code before cases/ and casebook/ were split by purpose (commit c494522), the same way.
BEFORE_ROOMS = Path(__file__).parent / "fixtures" / "backup-before-rooms-sqlite.tar.gz"
MOVED_APPS = {"cases": "taxonomy", "home": "seed"}
MOVED_MODELS = {"prefecture", "municipality", "grantprogram", "seedrecord"}


def group_permissions_in(archive: Path, tmp_path: Path) -> set[tuple[str, str, str]]:
    """(group, app label, codename) as the archived database holds them, with the moved labels applied."""
    with tarfile.open(archive, "r:gz") as tar:
        tar.extract("database.sqlite3", tmp_path, filter="data")
    old = sqlite3.connect(tmp_path / "database.sqlite3")
    rows = old.execute(
        "SELECT g.name, ct.app_label, ct.model, p.codename FROM auth_group_permissions gp "
        "JOIN auth_group g ON g.id = gp.group_id JOIN auth_permission p ON p.id = gp.permission_id "
        "JOIN django_content_type ct ON ct.id = p.content_type_id"
    ).fetchall()
    old.close()
    return {
        (group, MOVED_APPS.get(app, app) if model in MOVED_MODELS else app, codename)
        for group, app, model, codename in rows
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the archive is a SQLite backup")
def test_a_backup_from_before_the_move_restores_and_migrates_with_every_row_and_permission(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with tarfile.open(BEFORE, "r:gz") as tar:
        archived = json.load(tar.extractfile("manifest.json"))["rows"]
    permissions_before = group_permissions_in(BEFORE, tmp_path)

    call_command("restore", str(BEFORE), "--yes")
    call_command("migrate", verbosity=0)
    # The restored rows have their own content type ids; this process cached the earlier tests' ones.
    ContentType.objects.clear_cache()

    counts = row_counts()
    expected = {MOVED_LABELS.get(label, label): count for label, count in archived.items()}
    changed = {label: (count, counts.get(label)) for label, count in expected.items() if counts.get(label) != count}
    # What changes on purpose: the content version is a new model (its content type and four
    # permissions), and the review workflow is attached to the root alone (Wagtail looks up the
    # tree), no longer to the two indexes as well. The plan's editions are two new models (content
    # types, four permissions each), checked below with the first edition's rows; the e-mail alerts
    # are four more (alerts.0001), with no rows until someone signs up; the import's jobs one more
    # (editorial.0006), and cases one permission of its own (import_casepage); the public form's
    # submissions one more (cases.0012), and a case's documents one more (cases.0014); the task worker's
    # heartbeats, the schedule's locks (core.0003) and django-tasks-db's results three more; the exports
    # built on the worker (cases.0018) one more.
    assert changed == {
        "wagtailcore.WorkflowPage": (3, 1),
        "contenttypes.ContentType": (68, 82),
        "auth.Permission": (275, 332),
    }
    assert counts["core.ContentVersion"] == 2  # the content's token and the structure's
    assert counts["taxonomy.Municipality"] == archived["cases.Municipality"] > 0

    permissions_after = {
        (group.name, permission.content_type.app_label, permission.codename)
        for group in Group.objects.all()
        for permission in group.permissions.select_related("content_type")
    }
    # Editors no longer add or change municipalities (editorial.0003); nothing else moved.
    taken = {("編集者", "taxonomy", "add_municipality"), ("編集者", "taxonomy", "change_municipality")}
    # Everyone sees the plan's editions; moderators and administrators edit them (editorial.0004).
    given = {(group, "measures", "view_planversion") for group in ("編集者", "承認者", "管理者")} | {
        (group, "measures", f"{action}_planversion")
        for group in ("承認者", "管理者")
        for action in ("add", "change", "delete")
    }
    # Moderators and administrators import cases from a spreadsheet (editorial.0005).
    given |= {(group, "cases", "import_casepage") for group in ("承認者", "管理者")}
    assert taken <= permissions_before
    assert permissions_after == (permissions_before - taken) | given
    assert Municipality.objects.get(code="342084").name_romaji == "Fuchu (edited)"
    # The numbers the measure pages had are the first edition's (measures.0004), not lost.
    first = PlanVersion.objects.get(slug="2020")
    assert [(e.number, e.measure.slug) for e in first.entries.order_by("sort_order")] == FIRST_PLAN_NUMBERS
    assert not Group.objects.get(name="編集者").permissions.filter(content_type__app_label="cases").exists()
    # The seed's AI and RPA rows became two series of one group (measures.0005), in the table and in
    # the revision the admin opens next; the マイナンバーカード target got its value.
    ai_rpa = MeasurePage.objects.get(slug="ai-rpa")
    rows = {(s.group, s.series) for s in ai_rpa.statistics.all()}
    assert {("AI・RPAの導入状況", "AI"), ("AI・RPAの導入状況", "RPA")} <= rows
    assert not {group for group, _ in rows} & {"AI", "RPA"}
    assert ai_rpa.get_latest_revision_as_object().statistics.filter(series="RPA").count() == 4
    target = MeasurePage.objects.get(slug="my-number-card").get_latest_revision_as_object().targets.first()
    assert (target.value, target.unit, target.statistic_label) == (100, "%", "マイナンバーカード普及率")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the archive is a SQLite backup")
def test_a_backup_from_before_the_rooms_restores_with_every_row_and_permission_equal(tmp_path, settings):
    """Splitting the code by purpose moved modules, not data: every row count and every group's
    permissions come back as they were, and the edited municipality keeps its edit."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with tarfile.open(BEFORE_ROOMS, "r:gz") as tar:
        archived = json.load(tar.extractfile("manifest.json"))["rows"]
    permissions_before = group_permissions_in(BEFORE_ROOMS, tmp_path)

    call_command("restore", str(BEFORE_ROOMS), "--yes")
    call_command("migrate", verbosity=0)
    ContentType.objects.clear_cache()

    counts = row_counts()
    # Made since, on purpose: three models for the task worker and the schedule (core.0003, django-tasks-db)
    # and one for the exports built on the worker (cases.0018), with their content types and four
    # permissions each, and no rows.
    new_tables = {
        "core.WorkerHeartbeat": 0,
        "core.ScheduleLock": 0,
        "django_tasks_database.DBTaskResult": 0,
        "cases.PreparedExport": 0,
    }
    assert {label: counts.pop(label, None) for label in new_tables} == new_tables
    assert counts.pop("contenttypes.ContentType") == archived.pop("contenttypes.ContentType") + 4
    assert counts.pop("auth.Permission") == archived.pop("auth.Permission") + 16
    assert counts == archived
    permissions_after = {
        (group.name, permission.content_type.app_label, permission.codename)
        for group in Group.objects.all()
        for permission in group.permissions.select_related("content_type")
    }
    assert permissions_after == permissions_before
    assert Municipality.objects.get(code="342084").name_romaji == "Fuchu (edited)"
    assert MeasurePage.objects.live().count() == 8
    # cases.0017: the seed's 府中市 outcome keeps its towns as its breakdown, not as its period, in the
    # row and in the revision the admin opens next.
    fuchu = CasePage.objects.get(slug="fuchu-workation")
    towns = "福山市、府中市、神石高原町、岡山県井原市"
    assert [(o.period, o.note) for o in fuchu.outcomes.all()] == [("", towns)]
    assert [(o.period, o.note) for o in fuchu.get_latest_revision_as_object().outcomes.all()] == [("", towns)]
