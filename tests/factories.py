"""Small factories for tests that need a few pages, not the whole seed."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Page, Site

from casebook.base.core.validators import lg_code_check_digit
from casebook.base.taxonomy.models import GrantProgram, Municipality, Prefecture
from casebook.site.home.models import HomePage
from cases.models import CaseIndexPage, CasePage
from measures.models import MeasureIndexPage, MeasurePage, PlanVersion, PlanVersionEntry


def lg_code(first_five: str) -> str:
    return f"{first_five}{lg_code_check_digit(first_five)}"


class PrefectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prefecture
        django_get_or_create = ("code",)

    code = "34"
    name = "広島県"
    name_kana = "ひろしまけん"
    name_romaji = "Hiroshima"
    region = "chugoku"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: lg_code(f"34{300 + n % 700:03d}"))  # the sequence runs on across tests
    name = factory.Sequence(lambda n: f"試験町{n}")
    kind = Municipality.Kind.TOWN
    prefecture = factory.SubFactory(PrefectureFactory)


class GrantProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantProgram
        django_get_or_create = ("slug",)

    name = "地方創生推進交付金"
    slug = "chiho-sosei-suishin"
    administered_by = "内閣府"


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "ホーム"


class MeasureIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = MeasureIndexPage

    title = "重点取組事項"
    slug = "measures"


class MeasurePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = MeasurePage

    title = factory.Sequence(lambda n: f"重点取組事項{n}")
    slug = factory.Sequence(lambda n: f"measure-{n}")
    short_name = "短い名前"
    summary = "概要"


class CaseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CaseIndexPage

    title = "事例"
    slug = "cases"


class CasePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CasePage

    title = factory.Sequence(lambda n: f"試験の事例{n}")
    summary = "試験用の事例です。"
    lead_organization = factory.SubFactory(MunicipalityFactory)


def make_site():
    """Root → home → measure index and case index, with the home as the default site."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home, MeasureIndexPageFactory(parent=home), CaseIndexPageFactory(parent=home)


MEASURES = [
    ("standardization", "自治体の情報システムの標準化・共通化"),
    ("my-number-card", "マイナンバーカードの普及促進"),
    ("online-procedures", "自治体の行政手続のオンライン化"),
    ("ai-rpa", "自治体のAI・RPAの利用推進"),
    ("telework", "テレワークの推進"),
    ("security", "セキュリティ対策の徹底"),
]


# The 2020 plan numbered the six measures in this order.
FIRST_PLAN_NUMBERS = [(number, slug) for number, (slug, _) in enumerate(MEASURES, start=1)]


def make_measures(index):
    """The six measure pages, numbered by a 2020 edition of the plan."""
    pages = {slug: MeasurePageFactory(parent=index, slug=slug, title=title) for slug, title in MEASURES}
    make_plan_version("2020", "2020年版", datetime.date(2020, 12, 25), list(pages.values()))
    return pages


def make_plan_version(slug, short_name, issued_on, measures):
    """An edition numbering `measures` 1, 2, 3 … in the order given, each under its page title."""
    version = PlanVersion(slug=slug, name=f"計画{short_name}", short_name=short_name, issued_on=issued_on)
    version.entries = [
        PlanVersionEntry(measure=measure, number=number, title=measure.title, sort_order=number)
        for number, measure in enumerate(measures, start=1)
    ]
    version.save()
    return version


def make_case(index, *, title, lead, primary, others=(), partners=(), visited=(), grants=(), tags=(), **fields):
    """A published case with its relations, built in memory and saved once like the admin does."""
    case = CasePage(
        title=title,
        summary=fields.pop("summary", f"{title}の概要"),
        lead_organization=lead,
        primary_measure=primary,
        **fields,
    )
    case.other_measures = list(others)
    case.partner_organizations = list(partners)
    case.visited_organizations = list(visited)
    case.grant_programs = list(grants)
    case.tags.add(*tags)
    index.add_child(instance=case)
    case.save_revision().publish()
    return case
