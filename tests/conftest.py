from types import SimpleNamespace

import pytest

from casebook.home.seed import load_initial_content

from .factories import GrantProgramFactory, MunicipalityFactory, PrefectureFactory, make_case, make_measures, make_site


@pytest.fixture
def seeded(db):
    """The full seed content: for the smoke test and the seed-fact tests only."""
    return load_initial_content()


@pytest.fixture(autouse=True)
def empty_cache():
    """The database is rolled back after each test; the cache must not remember it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def content_version_changes_at_once(monkeypatch):
    """Each test runs inside a transaction that never commits; the content version, which changes
    when a change commits, changes at once instead. (test_cache_safety checks the real timing.)"""
    monkeypatch.setattr("casebook.cache.on_commit", lambda func, using=None: func())


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

    from casebook.editorial.roles import EDITORS, MODERATORS

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
