"""The priority measures (重点取組事項) of 総務省 for municipal DX, and the editions of the plan
(自治体DX推進計画) that number them: six in the 2020 plan, seven in 第2.3版."""

import re
import unicodedata
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from casebook.base.core.admin_forms import CasebookModelForm, CasebookPageForm
from casebook.base.core.blocks import NarrativeStreamBlock, without_empty_sections
from casebook.base.core.cache import cached
from casebook.base.core.fields import JapaneseDateField, StreamField
from casebook.base.core.formatting import format_japanese_date, format_number
from casebook.base.core.models import SourceLink
from casebook.base.core.visibility import ServedPageMixin, visible
from measures.charts import statistic_groups, target_charts
from measures.plan import MAX_SUCCESSION, PERCENT_UNITS, PLAN_ROW_FIELDS, PLAN_ROW_ORDER, Plan, plan_from_rows

CASES_ON_MEASURE_PAGE = 10
FISCAL_YEAR = re.compile(r"^(\d{4})年度$")


class MeasureIndexPage(ServedPageMixin, Page):
    intro = RichTextField("導入文", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    # Its parent, the home page, is above this layer: casebook.site.home names itself as the parent.
    subpage_types = ["measures.MeasurePage"]
    max_count = 1

    class Meta:
        verbose_name = "重点取組事項の一覧"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        plan = current_plan()
        version = plan.version(request.GET.get("version", "")) if "version" in request.GET else plan.latest
        if "version" in request.GET and version is None:
            context["version_note"] = "指定された計画の版は見つからないため、掲載している最新版を表示しています。"
            version = plan.latest
        pages = {page.pk: page for page in visible(MeasurePage.objects.child_of(self))}
        context["plan"] = plan
        context["version"] = version
        context["measures"] = plan.numbered_pages(pages, version)
        # Measures of earlier editions only (行政手続のオンライン化): still pages, with where they went.
        context["earlier_measures"] = plan.pages_outside(pages, version) if version else []
        return context


def live_rows(formset) -> list:
    """The inline forms of a formset that are valid and not being deleted."""
    return [
        form for form in formset.forms if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class MeasurePageForm(CasebookPageForm):
    def clean(self):
        """A target drawn against a statistic names one that is on the page, and has a value."""
        cleaned = super().clean()
        labels = {form.cleaned_data.get("label") for form in live_rows(self.formsets["statistics"])}
        for form in live_rows(self.formsets["targets"]):
            label = form.cleaned_data.get("statistic_label")
            if label and label not in labels:
                form.add_error("statistic_label", f"「{label}」という項目は、このページの「主な統計」にありません。")
            if label and form.cleaned_data.get("value") is None:
                form.add_error("value", "対応する統計と並べるには、目標値を入力してください。")
        return cleaned


class MeasurePage(ServedPageMixin, Page):
    base_form_class = MeasurePageForm

    short_name = models.CharField("短い名前", max_length=40, help_text="例: テレワーク")
    summary = models.TextField("概要", help_text="一覧に表示する2〜3文の要約")
    body = StreamField(NarrativeStreamBlock(), verbose_name="本文", blank=True)
    successor = models.ForeignKey(
        "measures.MeasurePage",
        verbose_name="後の版での重点取組事項",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text=(
            "後の版でこの事項を引き継いだ事項。"
            "例: 2020年版の「行政手続のオンライン化」→ 第2.3版の「フロントヤード改革」。"
            "引き継いだ事項で絞り込むと、この事項の事例も表示されます。"
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("short_name"),
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    # /api/v2/pages/?type=measures.MeasurePage&fields=short_name,summary,plan_numbers
    api_fields = [APIField("short_name"), APIField("summary"), APIField("plan_numbers")]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("short_name"), FieldPanel("summary"), PageChooserPanel("successor", "measures.MeasurePage")],
            heading="基本情報",
            help_text="番号は版ごとに「計画の版」で決めます。",
        ),
        InlinePanel("targets", label="国の目標", heading="国の目標"),
        InlinePanel("statistics", label="主な統計", heading="主な統計"),
        InlinePanel("support_measures", label="国の支援策", heading="国の支援策"),
        InlinePanel("standard_businesses", label="標準化対象の基幹系業務", heading="標準化対象の基幹系業務"),
        FieldPanel("body"),
        InlinePanel("sources", label="出典", heading="出典"),
    ]
    parent_page_types = ["measures.MeasureIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "重点取組事項"

    @property
    def plan_numbers(self) -> list[dict]:
        """The measure's number and title in each edition that lists it, newest first (for the API)."""
        return [
            {
                "plan_version": n.version.slug,
                "plan_version_name": n.version.short_name,
                "number": n.number,
                "title": n.title,
            }
            for n in current_plan().numbers_of(self.pk)
        ]

    def clean(self):
        super().clean()
        self.body = without_empty_sections(self.body) or self.body
        successor, seen = self.successor, {self.pk}
        for _ in range(MAX_SUCCESSION + 1):
            if successor is None:
                return
            if successor.pk in seen:
                raise ValidationError({"successor": "引き継ぎが循環しています。自分自身や前の版の事項は選べません。"})
            seen.add(successor.pk)
            successor = successor.successor
        raise ValidationError({"successor": f"引き継ぎは{MAX_SUCCESSION}段までです。"})

    def cases(self):
        """Live cases of this measure or of a measure it took over from an earlier edition, those with
        it as primary measure first. Cases point at measures; the reverse relation reaches them
        without this app importing the cases app."""
        plan = current_plan()
        covered = [plan.by_slug(slug) for slug in plan.covered_slugs([self.slug])]
        return self.primary_cases.model.objects.visible().for_measure(self, [m.pk for m in covered if m])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        cases = self.cases()
        context["cases"] = cases.for_listing()[:CASES_ON_MEASURE_PAGE]
        context["case_count"] = cases.count()
        context["grants_with_cases"] = self.grants_with_cases()
        context["numbers"] = current_plan().numbers_of(self.pk)

        statistics, targets = list(self.statistics.all()), list(self.targets.all())
        context["stat_groups"] = statistic_groups(statistics)
        charts = target_charts(targets, statistics)
        context["targets"] = [(target, charts.get(i)) for i, target in enumerate(targets)]
        context["predecessors"] = list(visible(MeasurePage.objects.filter(successor=self)))
        context["successor"] = visible(MeasurePage.objects.filter(pk=self.successor_id)).first()
        return context

    def grants_with_cases(self) -> set[int]:
        """The programs of this page's support measures that some public case used: only those are
        linked to the case list, which would be empty for the others."""
        programs = {support.grant_program_id for support in self.support_measures.all() if support.grant_program_id}
        if not programs:
            return set()
        used = self.primary_cases.model.objects.visible().filter(grant_programs__in=programs)
        return set(used.values_list("grant_programs", flat=True).distinct())


class MeasureTarget(Orderable):
    page = ParentalKey(MeasurePage, on_delete=models.CASCADE, related_name="targets")
    description = models.TextField("目標", help_text="例: 自治体の基幹業務システムを標準準拠システムへ移行する")
    deadline = models.CharField("期限", max_length=60, blank=True, help_text="例: 2025年度まで")
    deadline_year = models.PositiveSmallIntegerField("期限の年（西暦）", null=True, blank=True)
    baseline = models.CharField("比較の基準", max_length=60, blank=True, help_text="例: 2018年度比")
    # A target with a number is drawn against the statistic that measures it (measures/charts.py).
    value = models.DecimalField(
        "目標値",
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="数で表せる目標の値。例: ほぼ全国民 → 100",
    )
    unit = models.CharField("目標値の単位", max_length=20, blank=True, help_text="例: %")
    statistic_label = models.CharField(
        "対応する統計",
        max_length=120,
        blank=True,
        help_text="進み具合を表す「主な統計」の項目名。例: マイナンバーカード普及率。目標値と並べてグラフにします。",
    )

    panels = [
        FieldPanel("description"),
        FieldPanel("deadline"),
        FieldPanel("deadline_year"),
        FieldPanel("baseline"),
        FieldRowPanel([FieldPanel("value"), FieldPanel("unit")], heading="目標値"),
        FieldPanel("statistic_label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "国の目標"


class MeasureStatistic(Orderable):
    page = ParentalKey(MeasurePage, on_delete=models.CASCADE, related_name="statistics")
    group = models.CharField(
        "グループ", max_length=60, blank=True, help_text="同じ表とグラフにまとめる統計の名前。例: AI・RPAの導入状況"
    )
    series = models.CharField(
        "系列",
        max_length=60,
        blank=True,
        help_text="同じグループで並べて比べる系列。例: AI、RPA。同じ項目・系列で時点の違う値は変化のグラフに。",
    )
    label = models.CharField("項目", max_length=120, help_text="例: マイナンバーカード普及率")
    value = models.DecimalField("値", max_digits=14, decimal_places=3)
    approximate = models.BooleanField("概数（約）", default=False)
    denominator = models.DecimalField(
        "分母", max_digits=14, decimal_places=3, null=True, blank=True, help_text="例: 672団体/1,788団体 の 1788"
    )
    unit = models.CharField("単位", max_length=20, blank=True, help_text="例: %、団体、件")
    as_of = JapaneseDateField("時点", null=True, blank=True, help_text="例: 2023-01-09")
    period = models.CharField("期間", max_length=60, blank=True, help_text="時点が日付でない場合。例: 2021年度")
    period_end = JapaneseDateField(
        "比較に使う日付",
        null=True,
        blank=True,
        help_text="「期間」の最後の日。時点の違う値を順に並べるのに使います。空欄なら「時点」、「2021年度」のような年度は年度末（2022-03-31）を使います。",
    )
    note = models.CharField("補足", max_length=255, blank=True, help_text="例: 前年度比1.8倍")
    source = models.CharField("出典", max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("group"), FieldPanel("series")]),
        FieldPanel("label"),
        FieldPanel("value"),
        FieldPanel("approximate"),
        FieldPanel("denominator"),
        FieldPanel("unit"),
        FieldPanel("as_of"),
        FieldRowPanel([FieldPanel("period"), FieldPanel("period_end")]),
        FieldPanel("note"),
        FieldPanel("source"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "統計"

    @property
    def when(self):
        if self.as_of:
            return f"{format_japanese_date(self.as_of)}時点"
        return self.period

    @property
    def comparable_date(self) -> date | None:
        """The day the value describes, for putting values of different times in order: the as-of
        date, else the editor's end of the period, else the end of a fiscal year named in the period
        (「2021年度」 → 2022-03-31). None when the time cannot be placed."""
        if self.as_of:
            return self.as_of
        if self.period_end:
            return self.period_end
        year = fiscal_year_in(self.period)
        return date(year + 1, 3, 31) if year else None

    @property
    def display_value(self) -> str:
        """The value as the page writes it, with the share a denominator makes: 672/1,788団体（37.6%）."""
        text = f"{'約' if self.approximate else ''}{format_number(self.value)}"
        if self.denominator:
            share = format_number(self.share.quantize(Decimal("0.1")))
            return f"{text}/{format_number(self.denominator)}{self.unit}（{share}%）"
        return f"{text}{self.unit}"

    @property
    def share(self) -> Decimal | None:
        """The value as a percentage when it is one (unit %) or has a denominator (672/1,788 → 37.6)."""
        if self.denominator:
            return self.value * 100 / self.denominator
        if self.unit.strip() in PERCENT_UNITS:
            return self.value
        return None


def fiscal_year_in(period: str) -> int | None:
    """2021 for 「2021年度」 (full-width digits too); None for any other period."""
    match = FISCAL_YEAR.match(unicodedata.normalize("NFKC", period or "").strip())
    return int(match.group(1)) if match else None


class SupportMeasure(Orderable):
    page = ParentalKey(MeasurePage, on_delete=models.CASCADE, related_name="support_measures")
    name = models.CharField("支援策", max_length=200, help_text="例: AI・RPA導入経費への特別交付税措置")
    description = models.TextField("内容", blank=True)
    grant_program = models.ForeignKey(
        "taxonomy.GrantProgram",
        verbose_name="財源制度",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_measures",
    )
    rate = models.DecimalField("措置率", max_digits=4, decimal_places=2, null=True, blank=True, help_text="例: 0.3")

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("grant_program"), FieldPanel("rate")]

    class Meta(Orderable.Meta):
        verbose_name = "国の支援策"


class StandardBusiness(Orderable):
    """One of the 基幹系20業務 whose systems are being standardised."""

    page = ParentalKey(MeasurePage, on_delete=models.CASCADE, related_name="standard_businesses")
    name = models.CharField("業務名", max_length=60)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = "標準化対象業務"


class MeasureSource(Orderable, SourceLink):
    page = ParentalKey(MeasurePage, on_delete=models.CASCADE, related_name="sources")

    class Meta(Orderable.Meta):
        verbose_name = "出典"


class PlanVersionForm(CasebookModelForm):
    def clean(self):
        """Each measure once and each number once within one edition."""
        cleaned = super().clean()
        rows = [form.cleaned_data for form in live_rows(self.formsets["entries"])]
        for field, label, shown in (("measure", "重点取組事項", lambda m: m.title), ("number", "番号", str)):
            values = [row[field] for row in rows if row.get(field) is not None]
            repeated = [value for i, value in enumerate(values) if value in values[:i]]
            if repeated:
                names = "、".join(dict.fromkeys(shown(value) for value in repeated))
                self.add_error(None, f"同じ{label}が一つの版に2回以上あります: {names}")
        return cleaned


class PlanVersion(ClusterableModel):
    """One edition of 総務省's 自治体DX推進計画 with its numbered measures. A revision of the plan
    is an editor's snippet, not a migration: the newest edition by date is 「掲載している最新版」."""

    base_form_class = PlanVersionForm

    name = models.CharField("名称", max_length=120, help_text="例: 自治体DX推進計画【第2.3版】")
    short_name = models.CharField(
        "短い名前",
        max_length=20,
        help_text="例: 第2.3版、2020年版。事例の注記「2020年版の『…』として登録」に使います。",
    )
    slug = models.SlugField(
        "URL用の名前",
        max_length=20,
        unique=True,
        help_text="例: 2-3。/measures/?version=2-3 でこの版の一覧を表示します。",
    )
    issued_on = JapaneseDateField("公表日", unique=True, help_text="例: 2024-02-05。最も新しい版が最新版です。")
    source_title = models.CharField("出典", max_length=255, blank=True)
    source_url = models.URLField("出典のURL", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("issued_on")]),
        FieldPanel("source_title"),
        FieldPanel("source_url"),
        InlinePanel("entries", label="重点取組事項", heading="この版の重点取組事項（掲載順）", min_num=1),
    ]

    class Meta:
        verbose_name = "計画の版"
        verbose_name_plural = "計画の版"
        ordering = ["-issued_on"]

    def __str__(self):
        return self.name


class PlanVersionEntry(Orderable):
    version = ParentalKey(PlanVersion, on_delete=models.CASCADE, related_name="entries")
    measure = models.ForeignKey(
        MeasurePage, verbose_name="重点取組事項", on_delete=models.CASCADE, related_name="plan_entries"
    )
    number = models.PositiveSmallIntegerField(
        "番号", validators=[MinValueValidator(1)], help_text="この版での番号。例: 1"
    )
    title = models.CharField("この版での名称", max_length=200, help_text="例: 自治体フロントヤード改革の推進")

    panels = [
        FieldRowPanel([FieldPanel("number"), PageChooserPanel("measure", "measures.MeasurePage")]),
        FieldPanel("title"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "版の重点取組事項"


def read_plan() -> Plan:
    """The plan's editions and measures as the public sees them, in one query."""
    return plan_from_rows(visible(MeasurePage.objects.all()).order_by(*PLAN_ROW_ORDER).values(*PLAN_ROW_FIELDS))


def current_plan() -> Plan:
    """The one place that answers "what is measure N": read once per content version."""
    return cached("measure-plan", (), read_plan, small=True)
