import os
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.db.models import Model
from hypothesis import settings as hypothesis_settings
from pytest_django.plugin import blocking_manager_key

from casebook.site.seed.loader import load_initial_content

from .factories import GrantProgramFactory, MunicipalityFactory, PrefectureFactory, make_case, make_measures, make_site
from .snapshots import Snapshot


class SharedData:
    """Data shared by a run of consecutive tests: the full seed, or one module's catalog.

    A test gets it inside a transaction that stays open while the tests after it ask for the same
    data, and each test still runs in a savepoint of its own (the `db` fixture), so what one test
    changes is rolled back before the next. A test that asks for other data, or none, closes the
    transaction first, and so starts from the database as the migrations left it. The catalog is
    built inside the transaction; the seed, seconds to load, is loaded once per process and then
    copied in from a snapshot (tests/snapshots.py) before the transaction opens, and the migrations'
    state copied back after it closes. The tests are ordered so that those sharing data run one after
    another (pytest_collection_modifyitems below).
    """

    def __init__(self):
        self.key = self.atomic = self.blocker = self.value = None
        self.snapshots = {}
        self.seed_report = None

    def open(self, key, build, blocker):
        if self.key != key:
            self.close()
            self.blocker = blocker
            with blocker.unblock():
                if key == ("seed",):
                    self.copy_in_the_seed()
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                # Like Django's own TestCase atomics: code that asks for a durable transaction may nest.
                self.atomic._from_testcase = True
                self.value = self.seed_report if key == ("seed",) else build()
            self.key = key
        return self.value

    def copy_in_the_seed(self):
        if "seeded" in self.snapshots:
            self.snapshots["seeded"].put()
            return
        self.seed_report = load_initial_content()
        self.snapshots["seeded"] = Snapshot.take("seeded")

    def close(self):
        if self.atomic is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
                if self.key == ("seed",):
                    self.snapshots["migrated"].put()
        self.key = self.atomic = self.value = None


SHARED = SharedData()


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    transactional_fixtures = {"transactional_db", "live_server"}
    return bool(transactional_fixtures & set(names)) or bool(marker and marker.kwargs.get("transaction"))


def shared_key(item):
    """Which shared data the test runs on: ("seed",), ("catalog", its module), or None."""
    names = getattr(item, "fixturenames", ())
    if is_transactional(item):
        return None
    if "seeded" in names:
        return ("seed",)
    if "catalog" in names:
        return ("catalog", item.module.__name__)
    return None


def wants_shared_seed(item) -> bool:
    return shared_key(item) == ("seed",)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Within each module the tests on the same shared data run one after another: the seeded ones,
    then those on the module's catalog, then the rest. pytest-django's own ordering (plain database
    tests, then transactional ones, then the rest) runs after this and keeps it; xdist
    (`--dist loadfile`, as `make test` runs it) keeps a module's tests together in one process."""
    module_rank = {}
    for item in items:
        module_rank.setdefault(item.module.__name__, len(module_rank))

    def rank(item):
        key = shared_key(item)
        return (module_rank[item.module.__name__], key != ("seed",), key is None)

    items.sort(key=rank)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and a snapshot of it as the migrations left it."""
    with django_db_blocker.unblock():
        SHARED.snapshots["migrated"] = Snapshot.take("migrated")
    yield
    # After the last test's own fixtures, before pytest-django's teardown drops the test database: let go
    # of the shared data while the database is still there (at session finish it was gone, and on
    # PostgreSQL the put-back then ran on the non-test database).
    SHARED.close()


@pytest.fixture(autouse=True)
def _django_db_marker(request):
    """pytest-django's own fixture of this name (which sets up the `django_db` marker), with one
    step before it: the shared data is opened for a test that asks for it and closed for one
    that does not, so the test's savepoint nests inside the shared transaction, never around it."""
    key = shared_key(request.node)
    if key is None:
        SHARED.close()
    else:
        request.getfixturevalue("django_db_setup")
        SHARED.open(key, build_catalog, request.getfixturevalue("django_db_blocker"))
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Shared data another test left open is closed before any of this test's fixtures are set up: a
    unittest-style class (WagtailPageTestCase) opens its own transaction before the per-test fixtures run,
    and that transaction must not end up inside the shared one."""
    if shared_key(item) != SHARED.key:
        SHARED.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a live server's too) ends with pytest-django emptying every table; then
    the migrations' state is copied back, so the tests after it in this process (xdist sends a
    process module after module, in no fixed order) find the groups, the workflow and the root page
    the migrations made, under the content type ids this process has cached."""
    result = yield
    # With no next test the session's fixtures are gone too, the test database with them.
    if is_transactional(item) and nextitem is not None and "migrated" in SHARED.snapshots:
        from django.contrib.contenttypes.models import ContentType

        with item.config.stash[blocking_manager_key].unblock():
            SHARED.snapshots["migrated"].put()
        ContentType.objects.clear_cache()
    return result


def pytest_sessionfinish(session):
    SHARED.close()


def pytest_configure(config):
    """Hypothesis draws 50 examples per property by default and 200 in CI (CI=1, as .ci/run sets)."""
    hypothesis_settings.register_profile("default", max_examples=50, deadline=None, derandomize=True)
    hypothesis_settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
    hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture
def seeded(request, db):
    """The full seed content: for the smoke test and the seed-fact tests only."""
    if not wants_shared_seed(request.node):  # a transactional test is flushed after it: load it for it alone
        return load_initial_content()
    return SHARED.value


def fresh(value):
    """The shared catalog as the database has it now: each test gets its own model instances, so what
    one test changes on an instance (and rolls back in the database) is not seen by the next."""
    if isinstance(value, Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{key: fresh(item) for key, item in vars(value).items()})
    return value


@pytest.fixture(autouse=True)
def empty_cache():
    """The database is rolled back after each test; the cache must not remember it."""
    from django.core.cache import cache

    from casebook.base.core.cache import forget_process_memory

    cache.clear()
    forget_process_memory()
    yield
    cache.clear()
    forget_process_memory()


@pytest.fixture(autouse=True)
def content_version_changes_at_once(monkeypatch):
    """Each test runs inside a transaction that never commits; the content version, which changes
    when a change commits, changes at once instead. (test_cache_safety checks the real timing.)"""
    monkeypatch.setattr("casebook.base.core.cache.on_commit", lambda func, using=None: func())


@pytest.fixture(autouse=True)
def export_files(settings, tmp_path):
    """Each test gets its own, empty export cache folder."""
    settings.EXPORT_CACHE_DIR = str(tmp_path / "exports")
    return tmp_path / "exports"


@pytest.fixture
def catalog(request, db):
    """Three cases over two 府中市, a prefecture-led case, partners, a visited town, a grant and tags;
    built once for the module's tests that ask for it (SharedData), unless the test is transactional."""
    if shared_key(request.node) is None:
        return build_catalog()
    return fresh(SHARED.value)


def build_catalog():
    home, measure_index, case_index = make_site()
    m = make_measures(measure_index)
    hiroshima = PrefectureFactory(code="34", name="広島県", region="chugoku")
    okayama = PrefectureFactory(
        code="33", name="岡山県", name_kana="おかやまけん", name_romaji="Okayama", region="chugoku"
    )
    tokyo = PrefectureFactory(code="13", name="東京都", name_kana="とうきょうと", name_romaji="Tokyo", region="kanto")
    kagawa = PrefectureFactory(code="37", name="香川県", name_kana="かがわけん", name_romaji="Kagawa", region="shikoku")
    fuchu_hiroshima = MunicipalityFactory(code="342084", name="府中市", kind="city", prefecture=hiroshima)
    fuchu_tokyo = MunicipalityFactory(code="132063", name="府中市", kind="city", prefecture=tokyo)
    ibara = MunicipalityFactory(code="332071", name="井原市", kind="city", prefecture=okayama)
    mitoyo = MunicipalityFactory(code="372081", name="三豊市", kind="city", prefecture=kagawa)
    tokyo_itself = MunicipalityFactory(code="130001", name="東京都", kind="prefecture", prefecture=tokyo)
    grant = GrantProgramFactory()
    cases = SimpleNamespace(
        workation=make_case(
            case_index,
            title="府中市のワーケーション",
            lead=fuchu_hiroshima,
            primary=m["telework"],
            partners=[ibara],
            visited=[mitoyo],
            grants=[grant],
            tags=["観光"],
            fiscal_year=2021,
            project_cost_yen=22_000_000,
            cost_fiscal_year=2021,
        ),
        tokyo_fuchu=make_case(
            case_index,
            title="東京の府中市のセキュリティ",
            lead=fuchu_tokyo,
            primary=m["security"],
            others=[m["telework"]],
            tags=["VDI"],
            fiscal_year=2020,
            project_cost_yen=5_000_000,
            cost_fiscal_year=2020,
        ),
        prefecture_led=make_case(
            case_index,
            title="東京都の電子申請",
            lead=tokyo_itself,
            primary=m["online-procedures"],
            tags=["観光", "電子申請"],
            fiscal_year=2022,
        ),
    )
    return SimpleNamespace(index=case_index, measures=m, cases=cases, grant=grant)


@pytest.fixture
def staff(db):
    """One user per role, each with an e-mail address so that Wagtail's notices can reach them."""
    from django.contrib.auth.models import Group, User

    from casebook.site.editorial.roles import EDITORS, MODERATORS

    def user(username, group=None, **flags):
        person = User.objects.create_user(username, f"{username}@example.jp", "pw", **flags)
        if group:
            person.groups.add(Group.objects.get(name=group))
        return person

    return SimpleNamespace(
        editor=user("editor", EDITORS),
        moderator=user("moderator", MODERATORS),
        admin=user("admin", is_superuser=True, is_staff=True),
    )
