"""Case pages, their index and their interviews."""

import datetime
import json
from difflib import SequenceMatcher

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from casebook.base.core.admin_forms import CasebookPageForm
from casebook.base.core.blocks import InterviewStreamBlock, NarrativeStreamBlock, without_empty_sections
from casebook.base.core.fields import JapaneseDateField, StreamField
from casebook.base.core.formatting import fiscal_year_of, format_japanese_date, format_number, wareki_year
from casebook.base.core.models import SourceLink
from casebook.base.core.text import normalise
from casebook.base.core.validators import validate_calendar_year, validate_fiscal_year, validate_phone
from casebook.base.core.visibility import ServedPageMixin, visible
from casebook.base.core.widgets import SearchableCheckboxSelectMultiple, SearchableMultipleChooser
from casebook.base.taxonomy.sizes import per_resident
from measures.models import current_plan


# Newest first: the default order of every case list. Live pages always have first_published_at,
# and a plain DESC lets PostgreSQL walk its index instead of sorting every case.
def json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> element: <, > and & escaped so the text can
    never close the element."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# The case list's own routes (CaseIndexPage): a case with one of these slugs could never be reached.
RESERVED_SLUGS = {
    "feed": "新着の購読",
    "prefectures": "都道府県・財源制度から探す",
    "export": "出力",
    "submit": "事例の投稿",
    "stats": "集計",
    "compare": "事例の比較",
}

# A case not published again for this long says 「情報が古い可能性があります」.
STALE_AFTER = datetime.timedelta(days=3 * 365)


def fiscal_strength_text(organization) -> str:
    """「0.47（令和2年度）」; "" for an organization without a 財政力指数."""
    if organization.fiscal_strength_index is None:
        return ""
    year = f"（{wareki_year(organization.fiscal_year)}年度）" if organization.fiscal_year else ""
    return f"{format_number(organization.fiscal_strength_index)}{year}"


def soumu_credit(organizations) -> str:
    """The credit for the population and 財政力指数 shown of `organizations`, with their reference dates
    (fixtures/soumu/README.md): 「出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」（2022年1月1日現在）、
    「地方公共団体の主要財政指標一覧」（令和2年度決算）」; "" when none of them has a figure."""
    organizations = list(organizations)
    with_population = [o for o in organizations if o.population is not None]
    with_index = [o for o in organizations if o.fiscal_strength_index is not None]
    parts = []
    if with_population:
        dates = sorted({o.population_as_of for o in with_population if o.population_as_of})
        shown = "・".join(f"{format_japanese_date(day)}現在" for day in dates)
        parts.append("「住民基本台帳に基づく人口、人口動態及び世帯数」" + (f"（{shown}）" if shown else ""))
    if with_index:
        years = sorted({o.fiscal_year for o in with_index if o.fiscal_year})
        shown = "・".join(f"{wareki_year(year)}年度決算" for year in years)
        parts.append("「地方公共団体の主要財政指標一覧」" + (f"（{shown}）" if shown else ""))
    return f"出典：総務省{'、'.join(parts)}" if parts else ""


class CaseStatus(models.TextChoices):
    """その後の状況: the `status=` facet's values."""

    CONTINUING = "continuing", "継続中"
    EXPANDED = "expanded", "拡大"
    REDUCED = "reduced", "縮小"
    ENDED = "ended", "終了"


NEWEST_FIRST = [models.F("first_published_at").desc(), models.F("pk").desc()]
# Partners and visited places among 1,788 local governments: searched, not listed.
ORGANIZATION_CHOOSER = SearchableMultipleChooser("taxonomy_organization_search")


class CasePageQuerySet(PageQuerySet):
    def visible(self):
        return visible(self)

    def for_listing(self):
        # Other measures for the card's note on measures of earlier plan editions.
        return self.select_related("lead_organization__prefecture", "primary_measure").prefetch_related(
            "other_measures"
        )

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def for_measure(self, measure, covered=()):
        """Cases with the measure (or one of the `covered` ids it took over) as primary or other
        measure, those with the measure itself as primary first."""
        ids = {measure.pk, *covered}
        secondary = CasePage.other_measures.through.objects.filter(measurepage__in=ids).values("casepage_id")
        return (
            self.filter(models.Q(primary_measure__in=ids) | models.Q(pk__in=secondary))
            .annotate(
                is_secondary=models.Case(
                    models.When(primary_measure=measure, then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("is_secondary", *NEWEST_FIRST)
        )


class CaseTag(TaggedItemBase):
    content_object = ParentalKey("cases.CasePage", on_delete=models.CASCADE, related_name="tagged_items")


class CasePageForm(CasebookPageForm):
    """Cross-field rules that a single field cannot check."""

    placeholders = {
        "title": "例: 広島県府中市のテレワーク環境の整備事例",
        "summary": "例: 府中市は地方創生推進交付金を活用し、市内にサテライトオフィスを整備した。…",
    }

    # Set by clean() to the similar cases' ids; DuplicatesPanel writes it back as `duplicates_seen`, so
    # the next save of the same form goes through.
    duplicates_seen = forms.CharField(required=False, widget=forms.HiddenInput)
    similar: list = []
    similar_signature = ""

    def clean(self):
        cleaned = super().clean()
        for field, message in cross_field_errors(cleaned).items():
            self.add_error(field, message)
        # A new case's slug (an error about the one made from the title included, which this replaces).
        if self.instance.pk is None and not set(self.errors) - {"slug"} and self.propose_slug(cleaned):
            self.errors.pop("slug", None)
        if self.instance.pk is None and not self.errors:  # duplicates are made by adding, not by editing
            self.warn_of_duplicates(cleaned)
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].help_text = (
                "空欄のまま、またはタイトルから作られたままなら、保存するときに団体コード・重点取組事項・年度から"
                "短い名前を作ります（例: 401307-frontyard-reform-2024）。自分で決めた名前はそのまま使います。"
            )

    def propose_slug(self, cleaned):
        """A new case's address from what identifies it — 「342084-telework-2021」 — instead of a long
        URL made from its Japanese title, unless the editor chose a slug of their own."""
        if not made_from_the_title(cleaned):
            return False
        year = cleaned.get("fiscal_year")
        if year is None and cleaned.get("launched_year") and cleaned.get("launched_month"):
            year = fiscal_year_of(cleaned["launched_year"], cleaned["launched_month"])
        candidate = proposed_slug(
            cleaned.get("lead_organization"), cleaned.get("primary_measure"), year, self.parent_page
        )
        if not candidate:
            return False
        cleaned["slug"] = candidate
        return True

    def warn_of_duplicates(self, cleaned) -> None:
        """Once per set of similar cases: the first save names them and stops; the next one goes on."""
        self.similar = similar_cases(
            cleaned.get("lead_organization"),
            cleaned.get("title") or "",
            cleaned.get("primary_measure"),
            cleaned.get("fiscal_year"),
            exclude=self.instance.pk,
        )
        self.similar_signature = ",".join(str(case.pk) for case in self.similar)
        if self.similar and cleaned.get("duplicates_seen") != self.similar_signature:
            names = "、".join(f"「{case.title}」" for case in self.similar[:3])
            self.add_error(
                None,
                f"同じ団体の似た事例がすでにあります: {names}。「基本情報」タブの「似た事例」で確かめてください。"
                "別の事例なら、もう一度保存するとそのまま保存できます。",
            )


SIMILAR_TITLE = 0.6  # difflib's ratio between two titles, normalised


def similar_cases(lead, title: str, measure, fiscal_year, exclude=None) -> list:
    """Cases (drafts too) of the same lead organization with a similar title, or with the same primary
    measure and fiscal year: probably the same project entered twice."""
    if lead is None:
        return []
    title = normalise(title)
    found = []
    for case in CasePage.objects.filter(lead_organization=lead).exclude(pk=exclude).order_by("pk"):
        same_project = measure is not None and case.primary_measure_id == measure.pk and fiscal_year == case.fiscal_year
        if same_project or SequenceMatcher(None, title, normalise(case.title)).ratio() >= SIMILAR_TITLE:
            found.append(case)
    return found


class DuplicatesPanel(Panel):
    """The similar cases clean() found, with links, and the field that lets the next save go on."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cases/admin/duplicates_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["similar"] = getattr(self.form, "similar", [])
            context["signature"] = getattr(self.form, "similar_signature", "")
            return context


def cross_field_errors(values: dict) -> dict[str, str]:
    """The rules between a case's fields, for the admin's form and the spreadsheet import alike."""
    errors = {}
    primary, others = values.get("primary_measure"), values.get("other_measures") or []
    if primary and primary in others:
        errors["other_measures"] = "主な重点取組事項を「その他の重点取組事項」にも選ぶことはできません。"
    lead, partners = values.get("lead_organization"), values.get("partner_organizations") or []
    if lead and lead in partners:
        errors["partner_organizations"] = "主体の団体を連携団体にも選ぶことはできません。"
    if values.get("launched_month") and not values.get("launched_year"):
        errors["launched_year"] = "開始月を入れた場合は開始年も入力してください。"
    if values.get("project_cost_yen") is not None and not values.get("cost_fiscal_year"):
        errors["cost_fiscal_year"] = "事業費がどの年度のものかを入力してください（例: 2021）。"
    return errors


def proposed_slug(lead, measure, year, parent, taken=frozenset()) -> str:
    """「342084-telework-2021」, with 「-2」, 「-3」… when the list already has it (or `taken` does)."""
    base = "-".join(str(part) for part in (lead and lead.code, measure and measure.slug, year) if part)
    return numbered_slug(base, parent, taken) if base else ""


def made_from_the_title(cleaned) -> bool:
    """The slug is empty, non-ASCII or what Wagtail made from the title: not one the editor chose."""
    title, slug = cleaned.get("title") or "", cleaned.get("slug") or ""
    return not slug or slug in {slugify(title, allow_unicode=True), slugify(title)} or not slug.isascii()


def numbered_slug(base: str, parent, taken=frozenset()) -> str:
    """`base`, or `base-2`, `base-3`… when `parent` (or `taken`) already has it."""
    candidate, n = base, 1
    while candidate in taken or not Page._slug_is_available(candidate, parent):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class InterviewsPanel(Panel):
    """The case's interviews in the case editor, with a link to add one under this case."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cases/admin/interviews_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            case = self.instance
            context["case_saved"] = bool(case and case.pk)
            if case and case.pk:
                context["interviews"] = InterviewPage.objects.child_of(case).order_by("path")
                context["add_url"] = reverse("wagtailadmin_pages:add", args=("cases", "interviewpage", case.pk))
            return context


class SubmissionPanel(Panel):
    """A case that came from 「事例を投稿」: who sent it and how to reach them (editors only; never public)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cases/admin/submission_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            case = self.instance
            context["submission"] = getattr(case, "submission", None) if case and case.pk else None
            return context

        def is_shown(self):
            case = self.instance
            return bool(case and case.pk and getattr(case, "submission", None))


class CasePage(ServedPageMixin, Page):
    lead_organization = models.ForeignKey(
        "taxonomy.Municipality",
        verbose_name="主体の団体",
        on_delete=models.PROTECT,
        related_name="led_cases",
        help_text="事業を行った自治体。都道府県も選べます（例: 山形県）。",
    )
    partner_organizations = ParentalManyToManyField(
        "taxonomy.Municipality",
        verbose_name="連携・参加団体",
        related_name="partner_cases",
        blank=True,
        help_text="事業に参加した団体。例: 府中市のワーケーションでは福山市・神石高原町・井原市",
    )
    visited_organizations = ParentalManyToManyField(
        "taxonomy.Municipality",
        verbose_name="視察先",
        related_name="visiting_cases",
        blank=True,
        help_text="参考に視察しただけの団体（地域の絞り込みには含めません）。例: 三豊市",
    )
    primary_measure = models.ForeignKey(
        "measures.MeasurePage",
        verbose_name="主な重点取組事項",
        on_delete=models.PROTECT,
        related_name="primary_cases",
    )
    other_measures = ParentalManyToManyField(
        "measures.MeasurePage", verbose_name="その他の重点取組事項", related_name="secondary_cases", blank=True
    )
    grant_programs = ParentalManyToManyField(
        "taxonomy.GrantProgram",
        verbose_name="活用した財源制度",
        related_name="cases",
        blank=True,
        help_text="使っていなければ空欄のままにします。",
    )
    self_funded = models.BooleanField(
        "単独事業（自主財源）",
        default=False,
        help_text="出典が自主財源による単独事業と明記している場合だけ選びます。書かれていなければ空欄のまま（「不明」）。",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "実施年度（西暦）",
        null=True,
        blank=True,
        validators=[validate_fiscal_year],
        help_text="年度の始まる年。例: 令和3年度なら 2021。空欄で開始年月があれば、そこから求めます。",
    )
    launched_year = models.PositiveSmallIntegerField(
        "開始・導入の年", null=True, blank=True, validators=[validate_calendar_year], help_text="例: 2022"
    )
    launched_month = models.PositiveSmallIntegerField(
        "開始・導入の月",
        null=True,
        blank=True,
        choices=[(m, f"{m}月") for m in range(1, 13)],
        help_text="例: 3（名古屋市の第2世代VDIは2022年3月導入 = 令和3年度）",
    )
    project_cost_yen = models.PositiveBigIntegerField(
        "事業費（円）", null=True, blank=True, help_text="円単位の整数。例: 1,040万円なら 10400000。不明なら空欄。"
    )
    cost_fiscal_year = models.PositiveSmallIntegerField(
        "事業費の年度（西暦）", null=True, blank=True, validators=[validate_fiscal_year], help_text="例: 2021"
    )
    summary = models.TextField("概要", help_text="一覧に表示する2〜3文の要約")
    # A new case starts with an empty 取り組み内容 section to type into (dropped on save if left empty).
    body = StreamField(
        NarrativeStreamBlock(),
        verbose_name="本文",
        blank=True,
        default=[("section", {"kind": "activities", "heading": "", "body": ""})],
    )
    tags = ClusterTaggableManager("タグ", through=CaseTag, blank=True)

    # その後の状況: what became of the project, as of a date.
    status = models.CharField("その後の状況", max_length=20, choices=CaseStatus.choices, blank=True)
    status_as_of = JapaneseDateField("状況の時点", null=True, blank=True, help_text="例: 2026-04-01")
    status_note = models.CharField(
        "状況の補足", max_length=200, blank=True, help_text="例: 2024年度から全庁に拡大。対象の窓口を3か所に増やした。"
    )

    # 問い合わせ先: shown to the public only when the municipality agreed (contact_public).
    contact_department = models.CharField(
        "問い合わせ先の部署", max_length=120, blank=True, help_text="例: 企画課 DX推進係"
    )
    contact_phone = models.CharField(
        "電話番号", max_length=30, blank=True, validators=[validate_phone], help_text="例: 0847-43-7153"
    )
    contact_email = models.EmailField("メールアドレス", blank=True)
    contact_url = models.URLField("問い合わせフォームのURL", max_length=500, blank=True)
    contact_public = models.BooleanField(
        "自治体が問い合わせ先の公開に同意している",
        default=False,
        help_text="同意を確認した場合だけチェックを入れます。入れなければ、問い合わせ先は編集者にだけ表示されます。",
    )

    # A picture of the project (a screen, a room, an event) and its description for those who cannot see it.
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="メイン画像",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="事業の様子がわかる写真や画面。出典や撮影者の許可を確かめてから使います。",
    )
    lead_image_alt = models.CharField(
        "画像の説明（代替テキスト）",
        max_length=200,
        blank=True,
        help_text="画像が見えない人に伝える説明。例: サテライトオフィスで働く職員の様子",
    )

    objects = PageManager.from_queryset(CasePageQuerySet)()

    # /api/v2/pages/?type=cases.CasePage&fields=record: `record`, the JSON export's record of the case, is
    # added by cases.reuse.api_fields.register(), which the app calls when it is ready.
    api_fields = [APIField("summary"), APIField("fiscal_year")]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields(
            "lead_organization",
            [
                index.SearchField("name"),
                index.SearchField("name_kana"),
                index.SearchField("name_romaji"),
                index.RelatedFields("prefecture", [index.SearchField("name")]),
            ],
        ),
        index.RelatedFields(
            "partner_organizations",
            [index.SearchField("name"), index.SearchField("name_kana"), index.SearchField("name_romaji")],
        ),
        index.RelatedFields("grant_programs", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("outcomes", [index.SearchField("label"), index.SearchField("value")]),
        index.FilterField("fiscal_year"),
        index.FilterField("primary_measure_id"),
        index.FilterField("lead_organization_id"),
        index.FilterField("project_cost_yen"),
    ]

    basic_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("lead_organization"),
                FieldPanel("partner_organizations", widget=ORGANIZATION_CHOOSER),
                FieldPanel("visited_organizations", widget=ORGANIZATION_CHOOSER),
            ],
            heading="団体",
        ),
        MultiFieldPanel(
            # Both as lists of the same measures: one chosen as primary, any others ticked.
            [
                FieldPanel("primary_measure", widget=forms.RadioSelect),
                FieldPanel("other_measures", widget=forms.CheckboxSelectMultiple),
            ],
            heading="重点取組事項",
        ),
        MultiFieldPanel(
            [FieldPanel("fiscal_year"), FieldRowPanel([FieldPanel("launched_year"), FieldPanel("launched_month")])],
            heading="時期",
        ),
    ]
    funding_panels = [
        FieldPanel("grant_programs", widget=SearchableCheckboxSelectMultiple),
        FieldPanel("self_funded"),
        FieldRowPanel([FieldPanel("project_cost_yen"), FieldPanel("cost_fiscal_year")]),
    ]
    outcome_panels = [
        InlinePanel("outcomes", label="成果", heading="成果（数値）"),
        InlinePanel("online_services", label="オンライン化した手続", heading="オンライン化した手続"),
    ]
    body_panels = [FieldPanel("body")]
    interview_panels = [InterviewsPanel(heading="この事例のインタビュー")]
    submission_panels = [
        DuplicatesPanel(heading="似た事例"),
        SubmissionPanel(heading="投稿（一般からの投稿。投稿者の連絡先は公開しません）"),
    ]
    followup_panels = [
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("status_as_of"), FieldPanel("status_note")],
            heading="その後の状況",
            help_text="3年以上更新のない事例には「情報が古い可能性があります」と表示されます。",
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_department"),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_email")]),
                FieldPanel("contact_url"),
                FieldPanel("contact_public"),
            ],
            heading="問い合わせ先",
        ),
    ]
    media_panels = [
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_alt")], heading="メイン画像"),
        InlinePanel("documents", label="資料", heading="資料（仕様書・報告書・調達資料）"),
    ]
    related_panels = [
        FieldPanel("tags", help_text="既存のタグが入力候補に出ます。例: ワーケーション"),
        MultipleChooserPanel("related_case_links", chooser_field_name="case", label="関連事例", heading="関連事例"),
        InlinePanel("sources", label="出典", heading="出典"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(submission_panels + basic_panels, heading="基本情報"),
            # Cost, money and what came of it on one tab: the figures a planner compares.
            ObjectList(funding_panels + outcome_panels, heading="費用・財源と成果"),
            ObjectList(body_panels, heading="本文"),
            ObjectList(media_panels, heading="画像・資料"),
            ObjectList(interview_panels, heading="インタビュー"),
            ObjectList(followup_panels, heading="その後の状況・問い合わせ先"),
            ObjectList(related_panels, heading="関連"),
            ObjectList(Page.promote_panels, heading="公開設定"),
            ObjectList(Page.settings_panels, heading="設定"),
        ]
    )
    base_form_class = CasePageForm

    # Its parent, the case list (cases.routes.index), names itself as such: a layer never names one above it.
    subpage_types = ["cases.InterviewPage"]

    class Meta:
        verbose_name = "事例"
        permissions = [("import_casepage", "表計算ファイルから事例を取り込む")]

    def clean(self):
        super().clean()
        self.body = without_empty_sections(self.body) or self.body
        self.clean_case()

    def clean_case(self):
        """The case's own rules (Wagtail's page rules aside): also what the spreadsheet import checks."""
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": f"「{self.slug}」は事例一覧の機能（{RESERVED_SLUGS[self.slug]}）が使うため、"
                    "事例のスラッグにできません。"
                }
            )
        self.clean_followup()
        if self.lead_image_id and not self.lead_image_alt.strip():
            raise ValidationError({"lead_image_alt": "画像の説明（代替テキスト）を入力してください。"})
        if self.fiscal_year is None and self.launched_year and self.launched_month:
            # A year typed in was checked by its field; only the one worked out here needs a check.
            derived = fiscal_year_of(self.launched_year, self.launched_month)
            try:
                validate_fiscal_year(derived)
            except ValidationError as error:
                message = f"開始年月から求めた年度（{derived}年度）が範囲外です。{' '.join(error.messages)}"
                raise ValidationError({"launched_year": message}) from error
            self.fiscal_year = derived

    def clean_followup(self):
        errors = {}
        if self.status and self.status_as_of is None:
            errors["status_as_of"] = "その後の状況を選んだときは、その時点の日付も入力してください。"
        if self.status_as_of and self.status_as_of > timezone.localdate():
            errors["status_as_of"] = "状況の時点に未来の日付は入力できません。"
        if (self.status_as_of or self.status_note) and not self.status:
            errors["status"] = "時点や補足を入力したときは、状況（継続中・拡大・縮小・終了）も選んでください。"
        has_contact = any([self.contact_department, self.contact_phone, self.contact_email, self.contact_url])
        if self.contact_public and not has_contact:
            errors["contact_public"] = "公開する問い合わせ先（部署・電話・メール・URLのどれか）を入力してください。"
        if errors:
            raise ValidationError(errors)

    @property
    def public_contact(self) -> dict | None:
        """The contact the public may see: only with the municipality's agreement."""
        if not self.contact_public:
            return None
        contact = {
            "department": self.contact_department,
            "phone": self.contact_phone,
            "email": self.contact_email,
            "url": self.contact_url,
        }
        return contact if any(contact.values()) else None

    @property
    def edited_at(self):
        """When an editor last changed what the public sees: the publication of a revision someone
        saved. Content the seed loader (or an import) put in, with no one's revision live, has none:
        its facts are as of its sources, not of the day it was loaded."""
        revision = self.live_revision
        return self.last_published_at if revision is not None and revision.user_id else None

    @property
    def own_date(self) -> datetime.date | None:
        """The case's own date: the month it started, else the start of its fiscal year (April 1)."""
        if self.launched_year:
            return datetime.date(self.launched_year, self.launched_month or 1, 1)
        if self.fiscal_year:
            return datetime.date(self.fiscal_year, 4, 1)
        return None

    @property
    def may_be_outdated(self) -> bool:
        """Not updated by an editor for three years: the page says its facts may be old."""
        updated = self.edited_at
        return bool(updated) and updated < timezone.now() - STALE_AFTER

    @property
    def cost_per_resident(self) -> int | None:
        """事業費 ÷ the lead organization's population, rounded to the yen (casebook.base.taxonomy.sizes):
        府中市's 2,200万円 ÷ 37,226人 → 591. Per resident of the lead organization even for a joint
        project. None without a cost or a population."""
        return per_resident(self.project_cost_yen, self.lead_organization.population)

    @property
    def lead_population(self) -> str:
        """The lead organization's population with its date and source, as the case page and the
        comparison show it: 「37,226人（2022年1月1日、住民基本台帳）」; "" without one."""
        return self.lead_organization.population_text

    @property
    def lead_fiscal_strength(self) -> str:
        """The lead organization's 財政力指数 with its fiscal year: 「0.47（令和2年度）」; "" without one."""
        return fiscal_strength_text(self.lead_organization)

    @property
    def figures_credit(self) -> str:
        """The credit of the lead organization's population and 財政力指数, with their reference dates."""
        return soumu_credit([self.lead_organization])

    def all_measures(self):
        """The primary measure first, then the others in the plan's order (measures/plan.py)."""
        order = current_plan().positions()
        others = sorted(
            (m for m in self.other_measures.all() if m.pk != self.primary_measure_id),
            key=lambda m: (order.get(m.pk, len(order)), m.title),
        )
        return [self.primary_measure, *others]

    def interviews(self):
        return visible(InterviewPage.objects.child_of(self)).select_related("interviewee_organization__prefecture")

    def related_cases(self):
        """The editor's related cases that the public may see, in the editor's order."""
        order = list(self.related_case_links.values_list("case_id", flat=True))
        cases = CasePage.objects.visible().filter(pk__in=order).for_listing().in_bulk()
        return [cases[pk] for pk in order if pk in cases]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["measures"] = measures = self.all_measures()
        context["interviews"] = self.interviews()
        # Listed in the summary; their presence makes the cost per resident say it is per lead-organization resident.
        context["partners"] = list(self.partner_organizations.select_related("prefecture"))
        context["og_type"] = "article"
        context["json_ld"] = json_ld(self.structured_data(request, measures))
        return context

    def structured_data(self, request, measures) -> dict:
        """schema.org for search engines: the case as an Article by its lead organization."""
        org = self.lead_organization
        organization = {"@type": "GovernmentOrganization", "name": org.full_name}
        if org.website:
            organization["url"] = org.website
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "inLanguage": "ja",
            "author": organization,
            "about": [measure.title for measure in measures],
        }
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.isoformat()
        modified = self.edited_at or self.first_published_at  # not the load of the seed's revision
        if modified:
            data["dateModified"] = modified.isoformat()
        return data


class CaseOutcome(Orderable):
    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="outcomes")
    label = models.CharField("指標", max_length=120, help_text="例: 体験者数")
    value = models.CharField("値", max_length=60, help_text="資料の表記どおりに。例: 約3,000、20〜30")
    unit = models.CharField("単位", max_length=20, blank=True, help_text="例: 名、秒、ユーザー")
    period = models.CharField("期間・時点", max_length=100, blank=True, help_text="例: 事業開始から2か月間")
    baseline = models.CharField("導入前", max_length=100, blank=True, help_text="比較の元になる値。例: 数分")
    # What the figure covers, when it is not a time: its parts or its scope (not 期間・時点).
    note = models.CharField(
        "内訳・補足",
        max_length=255,
        blank=True,
        help_text="値の内訳や範囲。例: 福山市、府中市、神石高原町、岡山県井原市",
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("value"),
        FieldPanel("unit"),
        FieldPanel("period"),
        FieldPanel("baseline"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "成果"

    def clean(self):
        super().clean()
        if self.value and not self.unit:
            raise ValidationError({"unit": "値を入れた場合は単位も入力してください（例: 名、秒）。"})


class OnlineService(Orderable):
    """A procedure a municipality put online as part of the case."""

    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="online_services")
    municipality = models.ForeignKey(
        "taxonomy.Municipality", verbose_name="団体", on_delete=models.PROTECT, related_name="online_services"
    )
    name = models.CharField("手続・サービス", max_length=200)
    uses_my_number_card = models.BooleanField("マイナンバーカード利用手続", default=False)

    panels = [FieldPanel("municipality"), FieldPanel("name"), FieldPanel("uses_my_number_card")]

    class Meta(Orderable.Meta):
        verbose_name = "オンライン化した手続"


class CaseSource(Orderable, SourceLink):
    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="sources")

    class Meta(Orderable.Meta):
        verbose_name = "出典"


class DocumentKind(models.TextChoices):
    SPECIFICATION = "specification", "仕様書"
    REPORT = "report", "報告書"
    PROCUREMENT = "procurement", "調達資料"
    OTHER = "other", "その他"


class CaseDocument(Orderable):
    """A file of the project (仕様書, 報告書, 調達資料): staff planning their own ask for exactly these."""

    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="ファイル", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("資料名", max_length=200, help_text="例: 府中市テレワーク環境整備業務 仕様書")
    kind = models.CharField("種類", max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)

    panels = [FieldPanel("document"), FieldPanel("title"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = "資料"

    @property
    def file_type(self) -> str:
        """「PDF」, 「XLSX」: the file's extension, as staff recognise it."""
        return self.document.file_extension.upper()

    @property
    def size(self) -> int | None:
        """As recorded at upload: never a request to the storage (a bucket) on a page view."""
        return self.document.file_size


class CaseRelatedCase(Orderable):
    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="related_case_links")
    case = models.ForeignKey(CasePage, verbose_name="関連事例", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("case")]

    class Meta(Orderable.Meta):
        verbose_name = "関連事例"


class InterviewPageForm(CasebookPageForm):
    placeholders = {"title": "例: 「南国市健康ポータル」担当者インタビュー"}

    def clean(self):
        """A new interview's address is 「…/interview/」 (「interview-2」 for a second one), not a long
        percent-encoded Japanese title, unless the editor chose a slug of their own."""
        cleaned = super().clean()
        if self.instance.pk is None and not set(self.errors) - {"slug"} and made_from_the_title(cleaned):
            cleaned["slug"] = numbered_slug("interview", self.parent_page)
            self.errors.pop("slug", None)
        return cleaned


class InterviewPage(ServedPageMixin, Page):
    """An interview with someone who ran a case; shown on the case page."""

    interviewee_name = models.CharField("話し手", max_length=60, help_text="例: 崎山")
    interviewee_organization = models.ForeignKey(
        "taxonomy.Municipality",
        verbose_name="所属団体",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews",
    )
    interviewee_role = models.CharField("現在の役職", max_length=100, blank=True, help_text="例: 情報政策課長")
    role_at_time = models.CharField("当時の役職", max_length=100, blank=True, help_text="例: 南国市情報政策課長")
    interviewed_on = JapaneseDateField("取材日", null=True, blank=True, help_text="例: 2023-02-15")
    lead = models.TextField("リード文", blank=True, help_text="インタビューの前置き。事例のページにも表示されます。")
    # A new interview starts with its first question and answer to fill in.
    body = StreamField(
        InterviewStreamBlock(),
        verbose_name="質問と回答",
        default=[("qa", {"question": "", "speaker": "", "answer": ""})],
    )
    note = models.CharField("補足", max_length=255, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("interviewee_name"),
        index.SearchField("role_at_time"),
        index.SearchField("lead"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("interviewee_name"),
                FieldPanel("interviewee_organization"),
                FieldPanel("interviewee_role"),
                FieldPanel("role_at_time"),
                FieldPanel("interviewed_on"),
            ],
            heading="話し手",
        ),
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("note"),
    ]
    # The case editor's words for the tabs the two editors share (Wagtail's own say コンテンツ／プロモート).
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="本文"),
            ObjectList(Page.promote_panels, heading="公開設定"),
            ObjectList(Page.settings_panels, heading="設定"),
        ]
    )
    base_form_class = InterviewPageForm
    parent_page_types = ["cases.CasePage"]
    subpage_types = []

    class Meta:
        verbose_name = "インタビュー"

    def clean(self):
        """An answer without its own speaker is the interviewee's (typed once, not per question)."""
        super().clean()
        for child in self.body:
            if child.block_type == "qa" and not (child.value.get("speaker") or "").strip():
                child.value["speaker"] = self.interviewee_name

    preview_modes = [("", "事例のページの中で"), ("alone", "インタビューのページ")]

    def serve_preview(self, request, mode_name):
        """By default the draft is shown where readers will meet it: inside its case."""
        if mode_name == "alone":
            return super().serve_preview(request, mode_name)
        case = self.get_parent().specific
        if case.has_unpublished_changes:
            case = case.get_latest_revision_as_object()
        context = case.get_context(request)
        shown = [self if interview.pk == self.pk else interview for interview in context["interviews"]]
        if not any(interview is self for interview in shown):
            shown.append(self)
        context["interviews"] = shown
        return TemplateResponse(request, case.get_template(request), context)
