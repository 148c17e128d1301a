"""Taxonomy snippets: where a case happened and what paid for it."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from casebook.base.core.admin_forms import CasebookModelForm, MunicipalityForm
from casebook.base.core.formatting import format_japanese_date, format_number
from casebook.base.core.text import normalise
from casebook.base.core.validators import validate_lg_code
from casebook.base.taxonomy import usage
from casebook.base.taxonomy.panels import SoumuFiguresPanel

# The eight regions (地方区分) with their public slugs.
REGIONS = [
    ("hokkaido", "北海道"),
    ("tohoku", "東北"),
    ("kanto", "関東"),
    ("chubu", "中部"),
    ("kinki", "近畿"),
    ("chugoku", "中国"),
    ("shikoku", "四国"),
    ("kyushu", "九州・沖縄"),
]


class TextMatchQuerySet(models.QuerySet):
    """Substring search for the admin's listings and choosers.

    Wagtail's search backends match whole words, and a Japanese name is one "word" to them,
    so 「中市」 or a partial LG code would find nothing. Each word typed must appear in one of
    the model's `text_match_lookups`.
    """

    def matching(self, text):
        queryset = self
        for word in normalise(text or "").split()[:8]:
            condition = models.Q()
            for lookup in self.model.text_match_lookups:
                condition |= models.Q(**{lookup: word})
            queryset = queryset.filter(condition)
        return queryset

    def positioned(self):
        """Those whose town hall's position is known (the national list gives it)."""
        return self.filter(latitude__isnull=False, longitude__isnull=False)


class MunicipalityManager(models.Manager.from_queryset(TextMatchQuerySet)):
    """A municipality's name includes its prefecture (two 府中市 exist), so the prefecture comes along."""

    def get_queryset(self):
        return super().get_queryset().select_related("prefecture")


class ListedOnTheNationalList(models.Model):
    """What the national list of local governments gives besides the name: the town hall's position
    and the official website (casebook.base.taxonomy.national_list)."""

    latitude = models.FloatField("緯度（庁舎）", null=True, blank=True, help_text="例: 34.5683")
    longitude = models.FloatField("経度（庁舎）", null=True, blank=True, help_text="例: 133.2366")
    website = models.URLField("公式サイト", blank=True)
    # What the list last gave: a field still holding it was not edited, so the next edition may update it.
    imported = models.JSONField(default=dict, blank=True, editable=False)

    position_panels = [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]), FieldPanel("website")]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({missing: "緯度と経度は両方とも入力するか、両方とも空欄にしてください。"})


NOT_GIVEN = "記載なし"  # a figure the loaded table does not have
NO_FUTURE_BURDEN = "-（負担なし）"  # 総務省's 「-」 for 将来負担比率: the organization has no future burden


class CarriesSoumuFigures(models.Model):
    """What 総務省 publishes of every organization: its population (住民基本台帳) on a reference date, and
    its main fiscal indices (主要財政指標) of a fiscal year (casebook.base.taxonomy.soumu loads both).
    Read only for editors: only the loader and `import_soumu` write them. A None figure is one the
    table did not give; 将来負担比率's 「-」 (no burden) is `future_burden_none`, never a None ratio alone."""

    population = models.PositiveIntegerField(
        "人口",
        null=True,
        blank=True,
        editable=False,
        help_text="住民基本台帳に基づく人口（日本人住民と外国人住民の計）",
    )
    population_as_of = models.DateField("人口の基準日", null=True, blank=True, editable=False)
    fiscal_strength_index = models.DecimalField(
        "財政力指数", max_digits=7, decimal_places=5, null=True, blank=True, editable=False
    )
    ordinary_balance_ratio = models.DecimalField(
        "経常収支比率（%）", max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    real_debt_service_ratio = models.DecimalField(
        "実質公債費比率（%）", max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    future_burden_ratio = models.DecimalField(
        "将来負担比率（%）", max_digits=6, decimal_places=1, null=True, blank=True, editable=False
    )
    future_burden_none = models.BooleanField(
        "将来負担比率「-」（負担なし）", default=False, editable=False, help_text="総務省の表で「-」: 将来負担がない"
    )
    laspeyres_index = models.DecimalField(
        "ラスパイレス指数", max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "財政指標の年度", null=True, blank=True, editable=False, help_text="決算の年度（西暦）。例: 2020 = 令和2年度"
    )

    class Meta:
        abstract = True

    @property
    def has_no_future_burden(self) -> bool:
        return self.future_burden_none and self.future_burden_ratio is None

    @property
    def population_text(self) -> str:
        """「37,226人（2022年1月1日、住民基本台帳）」, or "" without a population: the one wording, for the
        admin and the public pages alike."""
        if self.population is None:
            return ""
        when = f"{format_japanese_date(self.population_as_of)}、" if self.population_as_of else ""
        return f"{self.population:,}人（{when}住民基本台帳）"

    @property
    def population_display(self) -> str:
        """The population text, or 「記載なし」."""
        return self.population_text or NOT_GIVEN

    @property
    def future_burden_display(self) -> str:
        """「73.1%」, 「-（負担なし）」 (総務省's 「-」), or 「記載なし」 (not in the table loaded)."""
        if self.future_burden_ratio is not None:
            return f"{format_number(self.future_burden_ratio)}%"
        return NO_FUTURE_BURDEN if self.future_burden_none else NOT_GIVEN

    def fiscal_indices(self) -> list[tuple[str, str]]:
        """(label, text) of the five indices, as the admin shows them."""

        def shown(value, unit=""):
            return NOT_GIVEN if value is None else f"{format_number(value)}{unit}"

        return [
            ("財政力指数", shown(self.fiscal_strength_index)),
            ("経常収支比率", shown(self.ordinary_balance_ratio, "%")),
            ("実質公債費比率", shown(self.real_debt_service_ratio, "%")),
            ("将来負担比率", self.future_burden_display),
            ("ラスパイレス指数", shown(self.laspeyres_index)),
        ]


class Prefecture(index.Indexed, ListedOnTheNationalList):
    base_form_class = CasebookModelForm

    code = models.CharField("都道府県コード", max_length=2, unique=True, help_text="JIS X 0401 の2桁。例: 06")
    name = models.CharField("名称", max_length=10, unique=True)
    name_kana = models.CharField("よみ", max_length=20)
    name_romaji = models.CharField("ローマ字", max_length=20)
    region = models.CharField("地方", max_length=10, choices=REGIONS)

    objects = TextMatchQuerySet.as_manager()
    text_match_lookups = ["name__contains", "name_kana__contains", "name_romaji__icontains", "code__startswith"]

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("name_kana"),
        FieldPanel("name_romaji"),
        FieldPanel("region"),
        *ListedOnTheNationalList.position_panels,
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_kana"),
        index.SearchField("name_romaji"),
        index.FilterField("region"),
    ]

    class Meta:
        db_table = "cases_prefecture"  # created by the cases app before taxonomy had an app of its own
        ordering = ["code"]
        verbose_name = "都道府県"
        verbose_name_plural = "都道府県"

    def __str__(self):
        return self.name

    def used_by(self):
        """The organizations in this prefecture (itself included as one), for the delete guard."""
        return list(self.municipalities.order_by("code"))


class Municipality(index.Indexed, ListedOnTheNationalList, CarriesSoumuFigures):
    base_form_class = MunicipalityForm

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", "都道府県"
        DESIGNATED_CITY = "designated-city", "政令指定都市"
        CITY = "city", "市"
        SPECIAL_WARD = "special-ward", "特別区"
        TOWN = "town", "町"
        VILLAGE = "village", "村"

    code = models.CharField(
        "全国地方公共団体コード",
        max_length=6,
        unique=True,
        validators=[validate_lg_code],
        help_text="検査数字を含む6桁。例: 南国市 392049、山形県 060003",
    )
    name = models.CharField("名称", max_length=40, help_text="例: 府中市（同名の団体はコードで区別します）")
    name_kana = models.CharField("よみ", max_length=60, blank=True, help_text="ひらがな。例: なんこくし")
    name_romaji = models.CharField("ローマ字", max_length=60, blank=True, help_text="例: Nankoku")
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    prefecture = models.ForeignKey(
        Prefecture, verbose_name="都道府県", on_delete=models.PROTECT, related_name="municipalities"
    )

    objects = MunicipalityManager()
    text_match_lookups = [
        "name__contains",
        "name_kana__contains",
        "name_romaji__icontains",
        "code__startswith",
        "prefecture__name__contains",
    ]

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("name_kana"),
        FieldPanel("name_romaji"),
        FieldPanel("kind"),
        FieldPanel("prefecture"),
        *ListedOnTheNationalList.position_panels,
        SoumuFiguresPanel(heading="人口と財政指標（総務省）"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_kana"),
        index.SearchField("name_romaji"),
        index.SearchField("code"),
        index.AutocompleteField("name"),
        index.AutocompleteField("name_kana"),
        index.RelatedFields("prefecture", [index.SearchField("name")]),
        index.FilterField("kind"),
        index.FilterField("prefecture_id"),
    ]

    class Meta:
        db_table = "cases_municipality"
        ordering = ["code"]
        verbose_name = "自治体"
        verbose_name_plural = "自治体"
        constraints = [
            # 「-」 (no burden) and a ratio exclude each other.
            models.CheckConstraint(
                condition=models.Q(future_burden_none=False) | models.Q(future_burden_ratio__isnull=True),
                name="municipality_future_burden_none_has_no_ratio",
            )
        ]

    def __str__(self):
        return self.full_name

    def used_by(self):
        """Pages (drafts included) that name this organization, for the delete guard."""
        return usage.used_by(self)

    @property
    def full_name(self):
        return self.compose_full_name(self.name, self.kind, self.prefecture.name)

    @classmethod
    def compose_full_name(cls, name: str, kind: str, prefecture_name: str) -> str:
        """「広島県府中市」: the prefecture before the name, as two 府中市 exist."""
        return name if kind == cls.Kind.PREFECTURE else f"{prefecture_name}{name}"

    def clean(self):
        super().clean()
        if self.code and self.prefecture_id and self.code[:2] != self.prefecture.code:
            raise ValidationError(
                {
                    "code": f"コードの先頭2桁（{self.code[:2]}）が都道府県「{self.prefecture.name}」"
                    f"のコード（{self.prefecture.code}）と一致しません。"
                }
            )


class GrantType(models.TextChoices):
    """How a program pays: the types staff ask about (「交付金か、補助金か、特別交付税か」)."""

    KOFUKIN = "kofukin", "交付金"
    HOJOKIN = "hojokin", "補助金"
    CHIHO_ZAISEI_SOCHI = "chiho-zaisei-sochi", "地方財政措置"
    ITAKU_JISSHO = "itaku-jissho", "委託・実証事業"


# A case paid from the municipality's own budget has no program; a case says so itself (CasePage.self_funded).
SELF_FUNDED = ("tandoku", "単独事業（自主財源）")
# Every value of the list's grant_type facet, in display order.
GRANT_TYPES = [*GrantType.choices, SELF_FUNDED]


class GrantProgram(index.Indexed, models.Model):
    base_form_class = CasebookModelForm

    name = models.CharField("制度名", max_length=100, unique=True, help_text="例: 地方創生推進交付金")
    slug = models.SlugField(
        "スラッグ", max_length=100, unique=True, help_text="URLに使う英数字。例: chiho-sosei-suishin"
    )
    administered_by = models.CharField("所管", max_length=60, help_text="例: 内閣府、総務省")
    grant_type = models.CharField(
        "財源の種類",
        max_length=20,
        choices=GrantType.choices,
        blank=True,
        help_text="地方財政措置は特別交付税・普通交付税の算入。分からなければ空欄（一覧では「財源の種類」で絞り込めません）。",
    )
    description = models.TextField("説明", blank=True)
    url = models.URLField("参考URL", blank=True)

    objects = TextMatchQuerySet.as_manager()
    text_match_lookups = ["name__contains", "administered_by__contains", "slug__icontains"]

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("administered_by"),
        FieldPanel("grant_type"),
        FieldPanel("description"),
        FieldPanel("url"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("administered_by"), index.AutocompleteField("name")]

    class Meta:
        db_table = "cases_grantprogram"
        ordering = ["name"]
        verbose_name = "財源制度"
        verbose_name_plural = "財源制度"

    def __str__(self):
        return self.name

    def used_by(self):
        """Pages (drafts included) that cite this grant, for the delete guard."""
        return usage.used_by(self)
