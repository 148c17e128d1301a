"""How big a local government is, for 「人口規模が近い団体」: the population bands of the list's facet, the kind
groups within which sizes are compared, and what 「規模が近い」 means. The one place for these rules; the
list (cases/discovery), the related cases, the statistics and the exports ask here."""

from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When

# (slug, label, lower edge included, upper edge excluded or None). Bands are for municipalities: a case led
# by a prefecture has none (the kind facet finds prefectures).
POPULATION_BANDS = [
    ("under-10k", "1万人未満", 0, 10_000),
    ("10k-30k", "1万〜3万人", 10_000, 30_000),
    ("30k-100k", "3万〜10万人", 30_000, 100_000),
    ("100k-300k", "10万〜30万人", 100_000, 300_000),
    ("300k-1m", "30万〜100万人", 300_000, 1_000_000),
    ("1m-plus", "100万人以上", 1_000_000, None),
]
BAND_LABELS = {slug: label for slug, label, _, _ in POPULATION_BANDS}

# Sizes are compared within a kind group: a town is like a village, not like a prefecture.
KIND_GROUPS = {
    "prefecture": ("prefecture",),
    "designated-city": ("designated-city",),
    "city": ("city",),
    "town-village": ("town", "village"),
    "special-ward": ("special-ward",),
}
GROUP_LABELS = {
    "prefecture": "都道府県",
    "designated-city": "政令指定都市",
    "city": "市",
    "town-village": "町村",
    "special-ward": "特別区",
}
GROUP_OF_KIND = {kind: group for group, kinds in KIND_GROUPS.items() for kind in kinds}
# 「規模が近い」: between half and twice the population.
SIMILAR_RATIO = 2


def band_of(population: int | None, kind: str) -> str | None:
    """The band slug of a municipality's population; None for a prefecture or without a population."""
    if population is None or kind == "prefecture":
        return None
    for slug, _, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return slug
    return None


def band_q(slugs, prefix: str = "") -> Q:
    """Q for organizations (at `prefix`, e.g. 「lead_organization__」) in any of the bands."""
    lookup = Q()
    for slug, _, low, high in POPULATION_BANDS:
        if slug in slugs:
            edge = Q(**{f"{prefix}population__gte": low})
            if high is not None:
                edge &= Q(**{f"{prefix}population__lt": high})
            lookup |= edge
    return lookup & ~Q(**{f"{prefix}kind": "prefecture"}) & Q(**{f"{prefix}population__isnull": False})


def band_expression(prefix: str = ""):
    """The band slug as an SQL expression (NULL for a prefecture or without a population)."""
    whens = []
    for slug, _, low, high in POPULATION_BANDS:
        edge = Q(**{f"{prefix}population__gte": low})
        if high is not None:
            edge &= Q(**{f"{prefix}population__lt": high})
        whens.append(When(edge & ~Q(**{f"{prefix}kind": "prefecture"}), then=Value(slug)))
    return Case(*whens, default=Value(None), output_field=CharField())


@dataclass(frozen=True)
class SizeOf:
    """An organization's size as 「人口規模が近い」 compares it."""

    code: str
    full_name: str
    population: int
    group: str

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.group]

    @property
    def low(self) -> int:
        return -(-self.population // SIMILAR_RATIO)  # half, rounded up: 「半分以上」

    @property
    def high(self) -> int:
        return self.population * SIMILAR_RATIO

    def q(self, prefix: str = "") -> Q:
        """Organizations of the same kind group with between half and twice the population."""
        return Q(
            **{
                f"{prefix}kind__in": KIND_GROUPS[self.group],
                f"{prefix}population__gte": self.low,
                f"{prefix}population__lte": self.high,
            }
        )

    def is_similar(self, population: int | None, kind: str) -> bool:
        return population is not None and GROUP_OF_KIND.get(kind) == self.group and self.low <= population <= self.high


def size_of(organization) -> SizeOf | None:
    """The size of an organization with a population; None without one."""
    if organization is None or organization.population is None or organization.kind not in GROUP_OF_KIND:
        return None
    return SizeOf(organization.code, organization.full_name, organization.population, GROUP_OF_KIND[organization.kind])


def per_resident(cost_yen: int | None, population: int | None) -> int | None:
    """事業費 ÷ population, rounded to the yen (half up): 府中市's 22,000,000円 ÷ 37,226人 → 591. None when
    either is missing. The one rule for the case page, compare, the exports, the API and the sort."""
    if cost_yen is None or not population:
        return None
    return (2 * cost_yen + population) // (2 * population)
