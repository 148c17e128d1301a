from types import SimpleNamespace

import pytest
from django.db import transaction

from casebook.site.seed.loader import load_initial_content

from .factories import GrantProgramFactory, MunicipalityFactory, PrefectureFactory, make_case, make_measures, make_site


class SharedSeed:
    """The full seed content, loaded once for a run of consecutive tests that ask for it.

    Loading the seed takes seconds; a test gets it inside a transaction that stays open while the
    tests after it ask for the seed too, and each test still runs in a savepoint of its own (the
    `db` fixture), so what one test changes is rolled back before the next. A test that does not
    ask for the seed closes the transaction first, and so starts from an empty database.
    """

    def __init__(self):
        self.atomic = None
        self.blocker = None
        self.report = None

    def open(self, blocker):
        if self.atomic is None:
            self.blocker = blocker
            with blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                # Like Django's own TestCase atomics: code that asks for a durable transaction may nest.
                self.atomic._from_testcase = True
                self.report = load_initial_content()
        return self.report

    def close(self):
        if self.atomic is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.atomic = self.report = None


SHARED_SEED = SharedSeed()


def wants_shared_seed(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))
    return "seeded" in names and not transactional


@pytest.fixture(autouse=True)
def _django_db_marker(request):
    """pytest-django's own fixture of this name (which sets up the `django_db` marker), with one
    step before it: the shared seed is opened for a test that asks for it and closed for one
    that does not, so the test's savepoint nests inside the seed's transaction, never around it."""
    if wants_shared_seed(request.node):
        request.getfixturevalue("django_db_setup")
        SHARED_SEED.open(request.getfixturevalue("django_db_blocker"))
    else:
        SHARED_SEED.close()
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")


def pytest_sessionfinish(session):
    SHARED_SEED.close()


@pytest.fixture
def seeded(request, db):
    """The full seed content: for the smoke test and the seed-fact tests only."""
    if not wants_shared_seed(request.node):  # a transactional test is flushed after it: load it for it alone
        return load_initial_content()
    return SHARED_SEED.report


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
def catalog(db):
    """Three cases over two 府中市, a prefecture-led case, partners, a visited town, a grant and tags."""
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
