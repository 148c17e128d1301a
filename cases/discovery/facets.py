"""The table: each public query parameter of the case list, its Japanese label, its lookup and
how its values are counted; and the orders the list can take. The one place for both."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Lower, NullIf
from taggit.models import Tag

from casebook.base.core.formatting import format_fiscal_year
from casebook.base.core.visibility import visible
from casebook.base.taxonomy.models import GRANT_TYPES, REGIONS, SELF_FUNDED, GrantProgram, Municipality, Prefecture
from casebook.base.taxonomy.sizes import BAND_LABELS, band_expression, band_q
from cases.content.pages import NEWEST_FIRST, CasePage, CaseStatus, CaseTag
from measures.models import current_plan

MAX_VALUES_PER_FACET = 50

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
    # A measure also finds the cases filed under the measures it took over (the crosswalk).
    values = current_plan().covered_slugs(values)
    secondary = SecondaryMeasureLink.objects.filter(measurepage__slug__in=values)
    return Q(primary_measure__slug__in=values) | Q(pk__in=_in_subquery(secondary, "casepage_id"))


def _measure_pairs():
    # A case counts under its measures and under each of their successors, as far as the longest
    # chain of successors goes (at most MAX_SUCCESSION). The plan (read once per content version) maps
    # each measure's id to the slug at each step, so the pairs need no join: at 200,000 cases on
    # PostgreSQL the joins through the page table for each slug took 2.4 s of the list's 5.9 s.
    plan = current_plan()
    chains = {pk: [measure.slug, *(s.slug for s in plan.successors(pk))] for pk, measure in plan.measures.items()}
    pairs = []
    for depth in range(plan.longest_succession() + 1):
        step = {pk: chain[depth] for pk, chain in chains.items() if len(chain) > depth}
        for queryset, case, measure in (
            (CasePage.objects, F("pk"), "primary_measure_id"),
            (SecondaryMeasureLink.objects, F("casepage_id"), "measurepage_id"),
        ):
            slug = Case(*(When(**{measure: pk}, then=Value(value)) for pk, value in step.items()))
            pairs.append(_pairs(queryset.filter(**{f"{measure}__in": list(step)}), case, slug))
    return pairs


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


def _grant_type_lookup(values):
    programs = GrantLink.objects.filter(grantprogram__grant_type__in=values)
    lookup = Q(pk__in=_in_subquery(programs, "casepage_id"))
    return lookup | Q(self_funded=True) if SELF_FUNDED[0] in values else lookup


def _grant_type_pairs():
    return [
        _pairs(GrantLink.objects.exclude(grantprogram__grant_type=""), F("casepage_id"), F("grantprogram__grant_type")),
        _pairs(CasePage.objects.filter(self_funded=True), F("pk"), Value(SELF_FUNDED[0])),
    ]


FACETS: dict[str, Facet] = {
    facet.param: facet
    for facet in [
        Facet("measure", "重点取組事項", _measure_lookup, _measure_pairs),
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
        Facet("grant_type", "財源の種類", _grant_type_lookup, _grant_type_pairs),
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
            "status",
            "その後の状況",
            lambda values: Q(status__in=values),
            lambda: [_pairs(CasePage.objects.exclude(status=""), F("pk"), F("status"))],
        ),
        Facet(
            "kind",
            "団体の種別",
            lambda values: Q(lead_organization__kind__in=values),
            lambda: [_pairs(CasePage.objects.all(), F("pk"), F("lead_organization__kind"))],
        ),
        # By the lead organization's population (a municipality's: a prefecture-led case has no band).
        Facet(
            "population",
            "人口規模",
            lambda values: band_q(values, "lead_organization__"),
            lambda: [
                _pairs(
                    CasePage.objects.filter(lead_organization__population__isnull=False).exclude(
                        lead_organization__kind="prefecture"
                    ),
                    F("pk"),
                    band_expression("lead_organization__"),
                )
            ],
        ),
    ]
}

# 事業費 ÷ the lead organization's population (the rounding to the yen is only for display: sizes.per_resident).
COST_PER_RESIDENT = ExpressionWrapper(
    Cast("project_cost_yen", FloatField()) / NullIf(F("lead_organization__population"), 0), output_field=FloatField()
)

SORTS = {
    # Publication order (when the library first showed a case), not the year it happened: the label says so.
    "newest": ("新着順（掲載日の新しい順）", NEWEST_FIRST),
    "oldest": ("掲載日の古い順", [F("first_published_at").asc(), F("pk").asc()]),
    "year": ("実施年度の古い順", [F("fiscal_year").asc(nulls_last=True), *NEWEST_FIRST]),
    "year_desc": ("実施年度の新しい順", [F("fiscal_year").desc(nulls_last=True), *NEWEST_FIRST]),
    "cost": ("事業費の少ない順", [F("project_cost_yen").asc(nulls_last=True), *NEWEST_FIRST]),
    "cost_desc": ("事業費の多い順", [F("project_cost_yen").desc(nulls_last=True), *NEWEST_FIRST]),
    "cost_per_resident": ("住民1人あたりの事業費の少ない順", [COST_PER_RESIDENT.asc(nulls_last=True), *NEWEST_FIRST]),
    "title": ("タイトル順", [F("title").asc(), F("pk").asc()]),
    # Ordered by the search index's score (RankedResults), not by an ORM ordering.
    "relevance": ("関連度順", None),
    # Only with `near`: by the distance of the nearest lead or partner (cases/discovery/nearby.py).
    "distance": ("近い順", None),
    # Only with `similar`: by the ratio of the lead's population to the chosen organization's (query.py).
    "size": ("人口規模の近い順", None),
}
DEFAULT_SORT = "newest"


def default_sort(searching: bool, near: bool, similar: bool = False) -> str:
    """The order a list takes when none is asked for: nearest first from `near`, else nearest in size to
    `similar`, else by relevance to the search text, else newest first."""
    return "distance" if near else "size" if similar else "relevance" if searching else DEFAULT_SORT


def sort_means_nothing(sort: str, searching: bool, near: bool, similar: bool = False) -> bool:
    """Relevance without search text, distance without `near`, size without `similar`."""
    return (
        (sort == "relevance" and not searching) or (sort == "distance" and not near) or (sort == "size" and not similar)
    )


def facet_labels() -> dict[str, dict[str, str]]:
    """Every selectable value of every facet with its Japanese label, in display order."""
    labels: dict[str, dict[str, str]] = {name: {} for name in FACETS}
    rows = (
        Prefecture.objects.order_by()
        .values_list(Value("prefecture"), "code", "name", "code")
        .union(
            GrantProgram.objects.order_by().values_list(Value("grant"), "slug", "name", "name"),
            # Only tags on cases the public may see: a tag used only on drafts or restricted cases
            # is unknown, so the list cannot be used to learn that it exists. (EXISTS per tag: 0.6 ms
            # at 20,000 cases on SQLite, where an IN over the visible cases took 35 ms.)
            Tag.objects.filter(Exists(visible(CasePage.objects.filter(tagged_items__tag=OuterRef("pk")))))
            .order_by()
            .values_list(Value("tag"), "slug", "name", Lower("name")),
            all=True,
        )
    )
    for facet, value, label, _ in sorted(rows, key=lambda row: (row[0], row[3])):
        labels[facet][value] = label
    # Measures in the latest edition's order, then those only earlier editions list.
    plan = current_plan()
    labels["measure"] = {plan.measures[pk].slug: plan.label(pk) for pk in plan.order()}
    labels["region"] = dict(REGIONS)
    labels["kind"] = dict(Municipality.Kind.choices)
    labels["status"] = dict(CaseStatus.choices)
    labels["grant_type"] = dict(GRANT_TYPES)
    labels["population"] = dict(BAND_LABELS)
    return labels


def year_label(value: str) -> str:
    return format_fiscal_year(int(value))
