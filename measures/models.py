"""The six priority measures (重点取組事項) of 総務省 for municipal DX."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from casebook.core.admin_forms import CasebookPageForm
from casebook.core.blocks import NarrativeStreamBlock
from casebook.core.fields import StreamField
from casebook.core.formatting import format_japanese_date
from casebook.core.models import SourceLink
from casebook.core.visibility import ServedPageMixin, visible

CASES_ON_MEASURE_PAGE = 10


class MeasureIndexPage(ServedPageMixin, Page):
    intro = RichTextField("導入文", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["measures.MeasurePage"]
    max_count = 1

    class Meta:
        verbose_name = "重点取組事項の一覧"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["measures"] = visible(MeasurePage.objects.child_of(self)).order_by("number")
        return context


class MeasurePage(ServedPageMixin, Page):
    base_form_class = CasebookPageForm

    number = models.PositiveSmallIntegerField(
        "番号", unique=True, validators=[MinValueValidator(1), MaxValueValidator(6)], help_text="1〜6"
    )
    short_name = models.CharField("短い名前", max_length=40, help_text="例: テレワーク")
    summary = models.TextField("概要", help_text="一覧に表示する2〜3文の要約")
    body = StreamField(NarrativeStreamBlock(), verbose_name="本文", blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("short_name"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("number"),
    ]
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("number"), FieldPanel("short_name"), FieldPanel("summary")], heading="基本情報"),
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
        ordering = ["number"]

    @property
    def label(self):
        return f"{self.number}. {self.title}"

    def cases(self):
        """Live cases of this measure, those with it as primary measure first. Cases point at
        measures; the reverse relation reaches them without this app importing the cases app."""
        return self.primary_cases.model.objects.visible().for_measure(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        cases = self.cases()
        context["cases"] = cases.for_listing()[:CASES_ON_MEASURE_PAGE]
        context["case_count"] = cases.count()
        context["grants_with_cases"] = self.grants_with_cases()
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

    panels = [FieldPanel("description"), FieldPanel("deadline"), FieldPanel("deadline_year"), FieldPanel("baseline")]

    class Meta(Orderable.Meta):
        verbose_name = "国の目標"


class MeasureStatistic(Orderable):
    page = ParentalKey(MeasurePage, on_delete=models.CASCADE, related_name="statistics")
    group = models.CharField("グループ", max_length=60, blank=True, help_text="同じ表にまとめる統計の名前。例: AI")
    label = models.CharField("項目", max_length=120, help_text="例: マイナンバーカード普及率")
    value = models.DecimalField("値", max_digits=14, decimal_places=3)
    approximate = models.BooleanField("概数（約）", default=False)
    denominator = models.DecimalField(
        "分母", max_digits=14, decimal_places=3, null=True, blank=True, help_text="例: 672団体/1,788団体 の 1788"
    )
    unit = models.CharField("単位", max_length=20, blank=True, help_text="例: %、団体、件")
    as_of = models.DateField("時点", null=True, blank=True, help_text="例: 2023-01-09")
    period = models.CharField("期間", max_length=60, blank=True, help_text="時点が日付でない場合。例: 2021年度")
    note = models.CharField("補足", max_length=255, blank=True, help_text="例: 前年度比1.8倍")
    source = models.CharField("出典", max_length=255, blank=True)

    panels = [
        FieldPanel("group"),
        FieldPanel("label"),
        FieldPanel("value"),
        FieldPanel("approximate"),
        FieldPanel("denominator"),
        FieldPanel("unit"),
        FieldPanel("as_of"),
        FieldPanel("period"),
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
