"""The case list's filters: one table maps each public query parameter to its lookup.

The list page, its facet counts, the browse pages and the CSV/JSON exports all go through
`CaseFilter`, so they always agree on which cases a URL means.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Lower

from casebook.core.cache import cached
from casebook.core.formatting import format_fiscal_year
from casebook.core.results import CachedResults, QuerysetResults
from casebook.core.text import clean_text, normalise
from casebook.core.validators import FIRST_FISCAL_YEAR, last_allowed_fiscal_year
from casebook.search.backend import index_backend
from casebook.search.query import RankedResults, clean_search_text
from casebook.taxonomy.models import REGIONS, GrantProgram, Municipality, Prefecture
from cases.models import CasePage, CaseTag
from cases.models.pages import NEWEST_FIRST
from measures.models import MeasurePage

MAX_VALUES_PER_FACET = 50
# The key under which counts() also gives the number of matching cases.
TOTAL = "_total"

PartnerLink = CasePage.partner_organizations.through
SecondaryMeasureLink = CasePage.other_measures.through
GrantLink = CasePage.grant_programs.through


def _text(expression):
    return Cast(expression, output_field=models.CharField())


def _pairs(queryset, case, value):
    """Rows (c = case id, v = value as text): the membership of each case in a facet's values."""
    return queryset.order_by().values(c=case, v=_text(value))


def _in_subquery(queryset, case_field):
    return queryset.order_by().values(case_field)


@dataclass(frozen=True)
class Facet:
    param: str
    label: str
    # Q for cases holding any of the values (OR within a facet).
    lookup: Callable[[list[str]], Q]
    # Querysets of (case_id, value) pairs; a case counts once per value even if it is in several.
    pairs: Callable[[], list]


def _measure_lookup(values):
    secondary = SecondaryMeasureLink.objects.filter(measurepage__slug__in=values)
    return Q(primary_measure__slug__in=values) | Q(pk__in=_in_subquery(secondary, "casepage_id"))


def _place_lookup(field_path):
    def lookup(values):
        partners = PartnerLink.objects.filter(**{f"municipality__prefecture__{field_path}__in": values})
        return Q(**{f"lead_organization__prefecture__{field_path}__in": values}) | Q(
            pk__in=_in_subquery(partners, "casepage_id")
        )

    return lookup


def _place_pairs(field_path):
    # A case is in a prefecture or region when its lead or any partner is; visited places do not count.
    def pairs():
        return [
            _pairs(CasePage.objects.all(), F("pk"), F(f"lead_organization__prefecture__{field_path}")),
            _pairs(PartnerLink.objects.all(), F("casepage_id"), F(f"municipality__prefecture__{field_path}")),
        ]

    return pairs


FACETS: dict[str, Facet] = {
    facet.param: facet
    for facet in [
        Facet(
            "measure",
            "重点取組事項",
            _measure_lookup,
            lambda: [
                _pairs(CasePage.objects.all(), F("pk"), F("primary_measure__slug")),
                _pairs(SecondaryMeasureLink.objects.all(), F("casepage_id"), F("measurepage__slug")),
            ],
        ),
        Facet("region", "地方", _place_lookup("region"), _place_pairs("region")),
        Facet("prefecture", "都道府県", _place_lookup("code"), _place_pairs("code")),
        Facet(
            "grant",
            "財源制度",
            lambda values: Q(
                pk__in=_in_subquery(GrantLink.objects.filter(grantprogram__slug__in=values), "casepage_id")
            ),
            lambda: [_pairs(GrantLink.objects.all(), F("casepage_id"), F("grantprogram__slug"))],
        ),
        Facet(
            "tag",
            "タグ",
            lambda values: Q(pk__in=_in_subquery(CaseTag.objects.filter(tag__slug__in=values), "content_object_id")),
            lambda: [_pairs(CaseTag.objects.all(), F("content_object_id"), F("tag__slug"))],
        ),
        Facet(
            "year",
            "年度",
            lambda values: Q(fiscal_year__in=[int(v) for v in values]),
            lambda: [_pairs(CasePage.objects.filter(fiscal_year__isnull=False), F("pk"), F("fiscal_year"))],
        ),
        Facet(
            "kind",
            "団体の種別",
            lambda values: Q(lead_organization__kind__in=values),
            lambda: [_pairs(CasePage.objects.all(), F("pk"), F("lead_organization__kind"))],
        ),
    ]
}

SORTS = {
    "newest": ("新しい順", NEWEST_FIRST),
    "oldest": ("古い順", [F("first_published_at").asc(), F("pk").asc()]),
    "cost": ("事業費の少ない順", [F("project_cost_yen").asc(nulls_last=True), *NEWEST_FIRST]),
    "cost_desc": ("事業費の多い順", [F("project_cost_yen").desc(nulls_last=True), *NEWEST_FIRST]),
    "title": ("タイトル順", [F("title").asc(), F("pk").asc()]),
    # Ordered by the search index's score (RankedResults), not by an ORM ordering.
    "relevance": ("関連度順", None),
}
DEFAULT_SORT = "newest"


def facet_labels() -> dict[str, dict[str, str]]:
    """Every selectable value of every facet with its Japanese label, in display order."""
    labels: dict[str, dict[str, str]] = {name: {} for name in FACETS}
    rows = (
        MeasurePage.objects.live()
        .order_by()
        .values_list(Value("measure"), "slug", "title", _text("number"))
        .union(
            Prefecture.objects.order_by().values_list(Value("prefecture"), "code", "name", "code"),
            GrantProgram.objects.order_by().values_list(Value("grant"), "slug", "name", "name"),
            CaseTag.objects.order_by()
            .values_list(Value("tag"), "tag__slug", "tag__name", Lower("tag__name"))
            .distinct(),
            all=True,
        )
    )
    for facet, value, label, _ in sorted(rows, key=lambda row: (row[0], row[3])):
        labels[facet][value] = label
    labels["region"] = dict(REGIONS)
    labels["kind"] = dict(Municipality.Kind.choices)
    return labels


def year_label(value: str) -> str:
    return format_fiscal_year(int(value))


@dataclass
class Chip:
    facet: str
    facet_label: str
    value: str
    label: str
    remove_url: str


@dataclass
class CaseFilter:
    """What a query string asks of the case list, after dropping what cannot be honoured."""

    params: object  # a QueryDict
    selected: dict[str, list[str]] = field(default_factory=dict)
    q: str = ""
    sort: str = DEFAULT_SORT
    ignored: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.labels = cached("facet-labels", (), facet_labels)
        for name, facet in FACETS.items():
            values = []
            for raw in self.params.getlist(name):
                value = clean_text(normalise(raw))
                if not value:
                    continue
                canonical = self.canonical(name, value)
                if canonical is None:
                    self.ignored.append(self.invalid_note(name, value))
                elif canonical not in values:
                    values.append(canonical)
            if len(values) > MAX_VALUES_PER_FACET:
                self.ignored.append(f"{facet.label}は{MAX_VALUES_PER_FACET}件までしか指定できません。")
                values = values[:MAX_VALUES_PER_FACET]
            if values:
                self.selected[name] = values
        self.q, self.search_query, notes = clean_search_text(self.params.getlist("q"))
        self.ignored.extend(notes)
        sort = clean_text(self.params.get("sort", ""))
        if sort and sort not in SORTS:
            self.ignored.append(f"並び順「{sort[:30]}」は使えないため、標準の並び順にしました。")
            sort = ""
        elif sort == "relevance" and not self.q:
            sort = ""
        self.sort = sort or ("relevance" if self.q else DEFAULT_SORT)

    def canonical(self, name: str, value: str) -> str | None:
        """The value as the facet knows it (「02021」 → 「2021」, 「VDI」 → 「vdi」), or None if there is none."""
        if name == "year":
            in_range = (
                value.isascii() and value.isdigit() and FIRST_FISCAL_YEAR <= int(value) <= last_allowed_fiscal_year()
            )
            return str(int(value)) if in_range else None
        value = value.lower()  # every slug is lower case; prefecture codes are digits
        return value if value in self.labels[name] else None

    def invalid_note(self, name: str, value: str) -> str:
        if name == "year":
            return (
                f"年度「{value[:30]}」は使えないため無視しました"
                f"（{FIRST_FISCAL_YEAR}〜{last_allowed_fiscal_year()}の西暦で指定してください）。"
            )
        return f"{FACETS[name].label}「{value[:30]}」は見つからないため無視しました。"

    # -- querying --------------------------------------------------------------------------

    def base(self):
        return CasePage.objects.visible()

    def filtered(self, exclude: str | None = None, with_text: bool = True):
        queryset = self.base()
        for name, values in self.selected.items():
            if name != exclude:
                queryset = queryset.filter(FACETS[name].lookup(values))
        if self.search_query and with_text:
            sql, params = index_backend().matching_sql(self.search_query)
            queryset = queryset.filter(pk__in=RawSQL(sql, params))
        return queryset

    def results(self) -> CachedResults:
        """The matching cases in the order the list shows them; count and ids cached per content version."""

        def fetch(ids):
            return CasePage.objects.filter(pk__in=ids).for_listing()

        if self.sort == "relevance":
            source = RankedResults(self.search_query, self.filtered(with_text=False), fetch=fetch)
        else:
            source = QuerysetResults(self.filtered().for_listing().order_by(*SORTS[self.sort][1]), fetch)
        return CachedResults(
            "case-results", (sorted(self.selected.items()), self.q, self.sort), source, count=self.total
        )

    def total(self) -> int:
        """How many cases match: counted by the facet query, so the list needs no COUNT of its own."""
        return self.counts()[TOTAL][""]

    def result_ids(self) -> list[int]:
        """The ids of every matching case in list order, for the exports."""
        return self.results().ids()

    def counts(self) -> dict[str, dict[str, int]]:
        """For each facet value: how many cases the list would hold if it were picked too; and,
        under TOTAL, how many it holds now.

        All facets are counted in one SQL statement; each facet is counted against the cases
        that match every *other* active filter. Search text is matched once, in a CTE.
        """
        return cached("facet-counts", (sorted(self.selected.items()), self.q), self._count)

    def _count(self) -> dict[str, dict[str, int]]:
        ctes, cte_params, parts, part_params = [], [], [], []
        if self.search_query:
            match_sql, match_params = index_backend().matching_sql(self.search_query)
            ctes.append(f"matched AS MATERIALIZED ({match_sql})")
            cte_params.extend(match_params)
        # Facets whose other filters are the same share one materialized set of cases: with
        # nothing selected, all seven count against one.
        bases: dict[tuple, str] = {}
        for name, facet in FACETS.items():
            base = self.filtered(exclude=name, with_text=False).order_by().values("pk")
            base_sql, base_params = base.query.sql_with_params()
            key = (base_sql, tuple(base_params))
            if key not in bases:
                cte = bases[key] = f"base{len(bases)}"
                if self.search_query:
                    base_sql = f"SELECT page_id FROM matched WHERE page_id IN ({base_sql})"
                ctes.append(f"{cte} (id) AS MATERIALIZED ({base_sql})")
                cte_params.extend(base_params)
            pair_sqls = []
            for pairs in facet.pairs():
                sql, pair_params = pairs.query.sql_with_params()
                pair_sqls.append(sql)
                part_params.extend(pair_params)
            union = " UNION ALL ".join(f"SELECT u{i}.c, u{i}.v FROM ({sql}) AS u{i}" for i, sql in enumerate(pair_sqls))
            parts.append(
                f"SELECT '{name}', p.v, COUNT(DISTINCT p.c) FROM ({union}) AS p "
                f"WHERE p.c IN (SELECT id FROM {bases[key]}) GROUP BY p.v"
            )
        full_sql, full_params = self.filtered(with_text=False).order_by().values("pk").query.sql_with_params()
        if self.search_query:
            full_sql = f"SELECT page_id FROM matched WHERE page_id IN ({full_sql})"
        parts.append(f"SELECT '{TOTAL}', '', COUNT(*) FROM ({full_sql}) AS t")
        part_params.extend(full_params)
        counts: dict[str, dict[str, int]] = {name: {} for name in [*FACETS, TOTAL]}
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(ctes)} {' UNION ALL '.join(parts)}", cte_params + part_params)
            for name, value, count in cursor.fetchall():
                if value is not None:
                    counts[name][str(value)] = count
        return counts

    # -- describing ------------------------------------------------------------------------

    def label_of(self, name: str, value: str) -> str:
        if name == "year":
            return year_label(value)
        return self.labels[name].get(value, value)

    def query_string(self, **changes) -> str:
        """The current filters as a query string, with some facets replaced; page always resets."""
        state = {name: list(values) for name, values in self.selected.items()}
        if self.q:
            state["q"] = [self.q]
        for key, values in changes.items():
            if values:
                state[key] = values
            else:
                state.pop(key, None)
        # The order is kept unless it is the default for what remains: relevance with a search
        # term, newest first without one (where relevance means nothing).
        searching = bool(state.get("q"))
        if self.sort != ("relevance" if searching else DEFAULT_SORT) and (searching or self.sort != "relevance"):
            state["sort"] = [self.sort]
        pairs = [(key, value) for key, values in state.items() for value in values]
        return f"?{urlencode(pairs)}" if pairs else "?"

    @property
    def chips(self) -> list[Chip]:
        chips = [
            Chip(
                name,
                FACETS[name].label,
                value,
                self.label_of(name, value),
                self.query_string(**{name: [v for v in values if v != value]}),
            )
            for name, values in self.selected.items()
            for value in values
        ]
        if self.q:
            chips.append(Chip("q", "検索語", self.q, f"「{self.q}」", self.query_string(q=[])))
        return chips

    @property
    def is_filtered(self) -> bool:
        return bool(self.selected or self.q)

    @property
    def is_canonical(self) -> bool:
        """One value of one facet (or nothing), in the default order: a page search engines may index."""
        single = sum(len(v) for v in self.selected.values()) <= 1
        return single and not self.q and self.sort == DEFAULT_SORT and not self.ignored

    def heading(self, count: int) -> str:
        """「テレワークの推進 × 広島県の事例 (1件)」: what the list holds, in words."""
        facets = " × ".join("・".join(self.label_of(name, v) for v in values) for name, values in self.selected.items())
        if self.q:
            subject = f"{facets}で「{self.q}」を含む事例" if facets else f"「{self.q}」を含む事例"
        else:
            subject = f"{facets}の事例" if facets else "すべての事例"
        return f"{subject} ({count}件)"

    def description(self) -> str:
        """A short name for the filters, for file names: 「テレワークの推進×広島県」 or 「全件」."""
        parts = ["・".join(self.label_of(name, v) for v in values) for name, values in self.selected.items()]
        if self.q:
            parts.append(self.q)
        return "×".join(parts) or "全件"

    def applied(self) -> dict:
        """The filters that were honoured, for the JSON export."""
        applied = {name: list(values) for name, values in self.selected.items()}
        if self.q:
            applied["q"] = self.q
        applied["sort"] = self.sort
        return applied
