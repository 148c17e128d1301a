import shutil

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from casebook.base.taxonomy.models import GrantProgram, Municipality, Prefecture
from casebook.site.seed.loader import load_initial_content
from cases.models import CasePage
from measures.models import MeasurePage


def row_counts():
    """Rows per model of our apps and Wagtail's page and revision tables."""
    models = [m for app in ("home", "cases", "measures", "taggit") for m in apps.get_app_config(app).get_models()]
    models += [Page, Revision, Site]
    return {m._meta.label: m.objects.count() for m in models}


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    made = load_initial_content()
    first = row_counts()
    report = load_initial_content()
    assert row_counts() == first
    assert report.created == []
    # It says so in the same numbers: every item the first run made is counted as already there.
    assert sorted(report.skipped) == sorted(made.created) and len(made.created) > 80


@pytest.mark.django_db
def test_the_seed_holds_47_prefectures_8_measures_and_5_cases(seeded):
    """The 2020 plan's six, and the two 第2.3版 added (frontyard-reform, eltax)."""
    assert Prefecture.objects.count() == 47
    assert Municipality.objects.filter(kind="prefecture").count() == 47
    assert sorted(MeasurePage.objects.live().values_list("slug", flat=True)) == sorted(
        [
            "standardization",
            "my-number-card",
            "online-procedures",
            "ai-rpa",
            "telework",
            "security",
            "frontyard-reform",
            "eltax",
        ]
    )
    assert CasePage.objects.live().count() == 5
    assert set(GrantProgram.objects.values_list("slug", flat=True)) == {"chiho-sosei-suishin", "tokubetsu-kofuzei"}


@pytest.mark.django_db
def test_regions_use_the_public_slugs(seeded):
    assert Prefecture.objects.get(code="47").region == "kyushu"
    assert Prefecture.objects.get(code="06").region == "tohoku"
    assert set(Prefecture.objects.values_list("region", flat=True)) == {
        "hokkaido",
        "tohoku",
        "kanto",
        "chubu",
        "kinki",
        "chugoku",
        "shikoku",
        "kyushu",
    }


@pytest.mark.django_db
def test_the_two_fuchu_are_told_apart_by_code(seeded):
    fuchus = Municipality.objects.filter(name="府中市").order_by("code")
    assert [(m.code, m.prefecture.name) for m in fuchus] == [("132063", "東京都"), ("342084", "広島県")]
    case = CasePage.objects.get(slug="fuchu-workation")
    assert case.lead_organization.code == "342084"


@pytest.mark.django_db
def test_a_rerun_keeps_what_an_editor_changed(seeded):
    case = CasePage.objects.get(slug="nagoya-vdi")
    case.summary = "編集者が書き換えた概要"
    case.save_revision().publish()
    grant = GrantProgram.objects.get(slug="chiho-sosei-suishin")
    grant.description = "編集者の説明"
    grant.save()

    load_initial_content()

    assert CasePage.objects.get(slug="nagoya-vdi").summary == "編集者が書き換えた概要"
    assert GrantProgram.objects.get(slug="chiho-sosei-suishin").description == "編集者の説明"


@pytest.mark.django_db
def test_a_rerun_does_not_bring_back_a_case_an_editor_deleted(seeded):
    CasePage.objects.get(slug="yamagata-online-procedures").delete()
    load_initial_content()
    assert not CasePage.objects.filter(slug="yamagata-online-procedures").exists()


@pytest.mark.django_db
def test_the_site_root_is_the_home_page(seeded):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class.__name__ == "HomePage"
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page_id).exists()


@pytest.mark.django_db
def test_a_missing_fixtures_folder_is_a_clear_japanese_error(tmp_path):
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("load_initial_content", fixtures=str(tmp_path / "nowhere"))


@pytest.mark.django_db
def test_a_broken_national_list_stops_the_load_with_its_rows_named(tmp_path, settings):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.BASE_DIR / "fixtures", fixtures)
    municipalities = fixtures / "localgovjp" / "localgovjp-utf8.csv"
    municipalities.write_text(
        municipalities.read_text(encoding="utf-8").replace(",392049", ",392040"), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="全国の団体一覧を読み込めません") as refused:
        call_command("load_initial_content", fixtures=str(fixtures))
    assert "南国市" in str(refused.value) and "検査数字" in str(refused.value)
    assert not Municipality.objects.exists()  # one transaction: nothing half-loaded


def test_child_rows_keep_the_fixture_order_whatever_the_database_returns(seeded):
    """Outcomes, services, sources and the 20 businesses are numbered, so no database can reorder them."""
    from cases.models import CaseOutcome, CaseRelatedCase, CaseSource, OnlineService
    from measures.models import MeasureSource, MeasureStatistic, MeasureTarget, StandardBusiness, SupportMeasure

    for model in (
        CaseOutcome,
        OnlineService,
        CaseSource,
        CaseRelatedCase,
        MeasureTarget,
        MeasureStatistic,
        SupportMeasure,
        StandardBusiness,
        MeasureSource,
    ):
        assert not model.objects.filter(sort_order__isnull=True).exists(), model.__name__
    standardization = MeasurePage.objects.get(slug="standardization")
    names = list(standardization.standard_businesses.values_list("name", flat=True))
    assert names[:2] == ["住民基本台帳", "印鑑登録"] and names[-1] == "戸籍"
