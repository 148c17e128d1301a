"""Build the site tree and the seed content from the TOML files in fixtures/.

Each item is created once and recorded in SeedRecord; a later run never creates it again, never
changes it, and so never overwrites what an editor did since (even a deletion).
"""

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from casebook.base.core.links import site_address
from casebook.base.core.validators import lg_code_check_digit
from casebook.base.taxonomy.models import GrantProgram, Municipality, Prefecture
from casebook.base.taxonomy.national_list import (
    MUNICIPALITIES_FILE,
    PREFECTURES_FILE,
    ListError,
    MergeReport,
    merge,
    read_files,
)
from casebook.base.taxonomy.soumu import SoumuError, TableReport, load_fixtures
from casebook.site.home.models import HomePage
from casebook.site.seed.models import SeedRecord
from cases.models import CaseIndexPage, CaseOutcome, CasePage, CaseRelatedCase, CaseSource, InterviewPage, OnlineService
from measures.models import (
    MeasureIndexPage,
    MeasurePage,
    MeasureSource,
    MeasureStatistic,
    MeasureTarget,
    PlanVersion,
    PlanVersionEntry,
    StandardBusiness,
    SupportMeasure,
)

DEFAULT_FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class SeedError(Exception):
    """A seed file is missing or says something the model cannot hold."""


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    national: MergeReport | None = None  # the national list of local governments, merged by code
    soumu: list[TableReport] = field(default_factory=list)  # 総務省's population and fiscal indices
    site_address: str = ""  # the Site record's new address, when CASEBOOK_BASE_URL changed it


def read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError as error:
        raise SeedError(f"初期コンテンツのファイルが見つかりません: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise SeedError(f"初期コンテンツのファイルを読めません（{path}）: {error}") from error


def prefecture_lg_code(prefecture_code: str) -> str:
    first_five = f"{prefecture_code}000"
    return f"{first_five}{lg_code_check_digit(first_five)}"


def paragraphs(html_list):
    return [{"type": "paragraph", "value": html} for html in html_list]


def number_children(page, relations):
    """Child rows keep the order of the fixture file: sort_order 0, 1, 2 …"""
    for relation in relations:
        for position, child in enumerate(getattr(page, relation).all()):
            child.sort_order = position


class SeedLoader:
    def __init__(self, fixtures: Path = DEFAULT_FIXTURES):
        self.fixtures = Path(fixtures)
        self.report = SeedReport()
        self.site = read_toml(self.fixtures / "site.toml")

    def load(self) -> SeedReport:
        with transaction.atomic():
            self.load_prefectures()
            self.load_municipalities()
            self.load_national_list()
            self.load_soumu_figures()
            self.load_grants()
            home = self.load_home()
            self.load_measures(home)
            self.load_plan_versions()
            self.load_cases(home)
            self.agree_with_the_base_url()
        return self.report

    def agree_with_the_base_url(self):
        """The default Site record takes the host and port of CASEBOOK_BASE_URL, on every run, so that
        Wagtail's own links (and the admin's "live" links) name the site's real address."""
        address = site_address()
        site = Site.objects.filter(is_default_site=True).first()
        if address is None or site is None or (site.hostname, site.port) == address:
            return
        site.hostname, site.port = address
        site.save()
        self.report.site_address = settings.CASEBOOK_BASE_URL

    # -- bookkeeping ---------------------------------------------------------------------------

    def is_new(self, key: str) -> bool:
        if SeedRecord.objects.filter(key=key).exists():
            self.report.skipped.append(key)
            return False
        return True

    def record(self, key: str) -> None:
        SeedRecord.objects.get_or_create(key=key)
        self.report.created.append(key)

    def publish(self, parent: Page, page: Page) -> Page:
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def article_source(self):
        article = self.site["article"]
        return {"title": article["title"], "url": article.get("url", ""), "note": article.get("note", "")}

    # -- taxonomy ------------------------------------------------------------------------------

    def load_prefectures(self):
        for row in read_toml(self.fixtures / "prefectures.toml")["prefecture"]:
            key = f"prefecture:{row['code']}"
            if not self.is_new(key):
                continue
            prefecture, _ = Prefecture.objects.get_or_create(code=row["code"], defaults=row)
            # Every prefecture can itself lead a case, so it is an organization too.
            Municipality.objects.get_or_create(
                code=prefecture_lg_code(prefecture.code),
                defaults={
                    "name": prefecture.name,
                    "name_kana": prefecture.name_kana,
                    "name_romaji": prefecture.name_romaji,
                    "kind": Municipality.Kind.PREFECTURE,
                    "prefecture": prefecture,
                },
            )
            self.record(key)

    def load_municipalities(self):
        for row in read_toml(self.fixtures / "municipalities.toml")["municipality"]:
            key = f"municipality:{row['code']}"
            if not self.is_new(key):
                continue
            municipality = Municipality(**row, prefecture=Prefecture.objects.get(code=row["code"][:2]))
            municipality.full_clean(validate_unique=False)
            if not Municipality.objects.filter(code=row["code"]).exists():
                municipality.save()
            self.record(key)

    def load_national_list(self):
        """Every prefecture and municipality of the country, merged by LG code with the seed's own
        (whose readings and names an editor may have corrected: those stay)."""
        folder = self.fixtures / "localgovjp"
        if not folder.is_dir():
            return
        try:
            national = read_files(folder / MUNICIPALITIES_FILE.name, folder / PREFECTURES_FILE.name)
            self.report.national = merge(national)
        except ListError as error:
            raise SeedError("全国の団体一覧を読み込めません:\n" + "\n".join(error.problems[:20])) from error

    def load_soumu_figures(self):
        """The population and the fiscal indices of every organization (fixtures/soumu/, 出典：総務省); a
        later edition loaded with import_soumu is never replaced by the seed's older one."""
        folder = self.fixtures / "soumu"
        if not folder.is_dir():
            return
        try:
            self.report.soumu = load_fixtures(folder)
        except SoumuError as error:
            raise SeedError("総務省の人口・財政指標を読み込めません:\n" + "\n".join(error.problems[:20])) from error

    def load_grants(self):
        for row in read_toml(self.fixtures / "grants.toml")["grant"]:
            key = f"grant:{row['slug']}"
            if not self.is_new(key):
                continue
            GrantProgram.objects.get_or_create(slug=row["slug"], defaults=row)
            self.record(key)

    # -- pages ---------------------------------------------------------------------------------

    def load_home(self) -> HomePage:
        home = HomePage.objects.first()
        # The record is asked first, so that a second run counts the home page as already made.
        if not self.is_new("page:home") or home is not None:
            return home
        data = self.site["home"]
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a placeholder welcome page; the home page replaces it.
        for placeholder in root.get_children().filter(content_type__model="page", numchild=0):
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        home = HomePage(title=data["title"], slug="home", intro=data["intro"], about_sources=data["about_sources"])
        self.publish(root, home)
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname, site.port, site.root_page = "localhost", 80, home
        site.site_name = data["title"]
        site.save()
        self.record("page:home")
        return home

    def load_measures(self, home: HomePage):
        data = read_toml(self.fixtures / "measures.toml")
        index = MeasureIndexPage.objects.first()
        if self.is_new("page:measures") and index is None:
            index = self.publish(
                home,
                MeasureIndexPage(
                    title=data["index"]["title"], slug=data["index"]["slug"], intro=data["index"]["intro"]
                ),
            )
            self.record("page:measures")
        if index is None:
            return
        for row in data["measure"]:
            key = f"measure:{row['slug']}"
            if not self.is_new(key):
                continue
            if MeasurePage.objects.filter(slug=row["slug"]).exists():
                self.record(key)
                continue
            self.publish(index, self.build_measure(row))
            self.record(key)
        # Links between editions, once both pages exist; a site that had the older page gets it too.
        for row in data["measure"]:
            key = f"successor:{row['slug']}"
            if "successor" not in row or not self.is_new(key):
                continue
            page = MeasurePage.objects.filter(slug=row["slug"]).first()
            successor = MeasurePage.objects.filter(slug=row["successor"]).first()
            if page and successor:
                if page.successor_id is None:
                    page.successor = successor
                    page.save_revision().publish()
                self.record(key)

    def load_plan_versions(self):
        for row in read_toml(self.fixtures / "plan_versions.toml")["version"]:
            key = f"plan:{row['slug']}"
            if not self.is_new(key):
                continue
            if not PlanVersion.objects.filter(slug=row["slug"]).exists():
                measures = {
                    m.slug: m for m in MeasurePage.objects.filter(slug__in=[e["measure"] for e in row["measures"]])
                }
                version = PlanVersion(**{name: value for name, value in row.items() if name != "measures"})
                version.entries = [
                    PlanVersionEntry(measure=measures[e["measure"]], number=e["number"], title=e["title"])
                    for e in row["measures"]
                    if e["measure"] in measures
                ]
                number_children(version, ["entries"])
                version.save()
            self.record(key)

    def build_measure(self, row) -> MeasurePage:
        page = MeasurePage(
            title=row["title"],
            slug=row["slug"],
            short_name=row["short_name"],
            summary=row["summary"],
            body=paragraphs(row.get("body", [])),
        )
        page.targets = [
            MeasureTarget(**{**t, "value": Decimal(t["value"]) if "value" in t else None})
            for t in row.get("target", [])
        ]
        page.statistics = [
            MeasureStatistic(
                **{
                    **s,
                    "value": Decimal(s["value"]),
                    "denominator": Decimal(s["denominator"]) if "denominator" in s else None,
                }
            )
            for s in row.get("statistic", [])
        ]
        page.support_measures = [
            SupportMeasure(
                name=s["name"],
                description=s.get("description", ""),
                rate=Decimal(s["rate"]) if "rate" in s else None,
                grant_program=GrantProgram.objects.filter(slug=s.get("grant", "")).first(),
            )
            for s in row.get("support", [])
        ]
        page.standard_businesses = [StandardBusiness(name=name) for name in row.get("standard_businesses", [])]
        from_article = [self.article_source()] if row.get("from_article", True) else []
        page.sources = [MeasureSource(**s) for s in [*row.get("source", []), *from_article]]
        number_children(page, ["targets", "statistics", "support_measures", "standard_businesses", "sources"])
        return page

    def load_cases(self, home: HomePage):
        data = self.site["case_index"]
        index = CaseIndexPage.objects.first()
        if self.is_new("page:cases") and index is None:
            index = self.publish(home, CaseIndexPage(title=data["title"], slug=data["slug"], intro=data["intro"]))
            self.record("page:cases")
        if index is None:
            return
        rows = [read_toml(path) for path in sorted((self.fixtures / "cases").glob("*.toml"))]
        created = {}
        for row in rows:
            key = f"case:{row['slug']}"
            if not self.is_new(key):
                continue
            if CasePage.objects.filter(slug=row["slug"]).exists():
                self.record(key)
                continue
            case = self.publish(index, self.build_case(row))
            if "interview" in row:
                self.publish(case, self.build_interview(row["interview"]))
            created[row["slug"]] = (case, row)
            self.record(key)
        # Related cases point at each other, so they are linked once all exist.
        for case, row in created.values():
            by_slug = {c.slug: c for c in CasePage.objects.filter(slug__in=row.get("related", []))}
            targets = [by_slug[slug] for slug in row.get("related", []) if slug in by_slug]
            if targets:
                case.related_case_links = [
                    CaseRelatedCase(case=target, sort_order=position) for position, target in enumerate(targets)
                ]
                case.save_revision().publish()

    def organization(self, code: str) -> Municipality:
        try:
            return Municipality.objects.get(code=code)
        except Municipality.DoesNotExist as error:
            raise SeedError(f"自治体コード {code} の団体が見つかりません。") from error

    def build_case(self, row) -> CasePage:
        page = CasePage(
            title=row["title"],
            slug=row["slug"],
            summary=row["summary"],
            lead_organization=self.organization(row["lead"]),
            primary_measure=MeasurePage.objects.get(slug=row["primary_measure"]),
            fiscal_year=row.get("fiscal_year"),
            launched_year=row.get("launched_year"),
            launched_month=row.get("launched_month"),
            project_cost_yen=row.get("cost_yen"),
            cost_fiscal_year=row.get("cost_fiscal_year"),
            body=[{"type": "section", "value": section} for section in row.get("section", [])],
        )
        page.partner_organizations = [self.organization(code) for code in row.get("partners", [])]
        page.visited_organizations = [self.organization(code) for code in row.get("visited", [])]
        page.other_measures = list(MeasurePage.objects.filter(slug__in=row.get("other_measures", [])))
        page.grant_programs = list(GrantProgram.objects.filter(slug__in=row.get("grants", [])))
        page.outcomes = [CaseOutcome(**o) for o in row.get("outcome", [])]
        page.online_services = [
            OnlineService(
                municipality=self.organization(s["municipality"]),
                name=s["name"],
                uses_my_number_card=s.get("my_number_card", False),
            )
            for s in row.get("service", [])
        ]
        page.sources = [CaseSource(**s) for s in [*row.get("source", []), self.article_source()]]
        page.tags.add(*row.get("tags", []))
        number_children(page, ["outcomes", "online_services", "sources"])
        return page

    def build_interview(self, row) -> InterviewPage:
        blocks = []
        for block in row["block"]:
            if block["type"] == "topic":
                blocks.append({"type": "topic", "value": block["text"]})
            else:
                value = {k: block[k] for k in ("question", "speaker", "answer")}
                blocks.append({"type": "qa", "value": value})
        return InterviewPage(
            title=row["title"],
            slug=row["slug"],
            interviewee_name=row["interviewee_name"],
            interviewee_organization=self.organization(row["interviewee_organization"]),
            interviewee_role=row.get("interviewee_role", ""),
            role_at_time=row.get("role_at_time", ""),
            lead=row.get("lead", ""),
            note=row.get("note", ""),
            body=blocks,
        )


def load_initial_content(fixtures: Path = DEFAULT_FIXTURES) -> SeedReport:
    return SeedLoader(fixtures).load()
