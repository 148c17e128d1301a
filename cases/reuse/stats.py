"""/cases/stats/: the list's cases counted per measure, region, grant program, fiscal year, cost band and
population size (the lead organization's band, casebook.base.taxonomy.sizes), as server-drawn SVG bar
charts with the same numbers as tables. It honours the list's filters, and every linked bar goes to the
list narrowed by it."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Value, When

from casebook.base.core.charts import WIDTH, bar_width, short
from casebook.base.taxonomy.sizes import POPULATION_BANDS
from cases.content.columns import POPULATION_SOURCE
from cases.discovery.facets import year_label
from cases.discovery.listing import FilterSummary, map_context
from cases.discovery.query import TOTAL, CaseQuery

# Geometry of a bar chart, in SVG user units (casebook.base.core.charts).
LABEL_WIDTH = 250  # labels end 8 units before the bars
BAR_AREA = 320
ROW_HEIGHT = 28

# (upper bound in yen, label): 事業費 in bands a briefing can use.
COST_BANDS = [
    (1_000_000, "100万円未満"),
    (10_000_000, "100万〜1,000万円未満"),
    (100_000_000, "1,000万〜1億円未満"),
    (None, "1億円以上"),
]
# Where the population chart counts cases led by a prefecture (bands are for municipalities) or by an
# organization without a population.
NO_BAND = "都道府県・人口不明"


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    count: int
    url: str | None
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT // 2 + 5


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    bars: list[Bar]
    note: str = ""  # what the chart counts and its source, under the table

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT + 8

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def linked(self) -> bool:
        return any(bar.url for bar in self.bars)

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def bar_chart(slug: str, title: str, rows: list[tuple[str, int, str | None]], note: str = "") -> Chart:
    """`rows` as (label, count, link); bars scaled to the largest count."""
    largest = max((count for _, count, _ in rows), default=0) or 1
    bars = []
    for i, (label, count, url) in enumerate(rows):
        width = bar_width(count, largest, BAR_AREA)
        bars.append(Bar(label, short(label, LABEL_WIDTH - 16), count, url, 4 + i * ROW_HEIGHT, width))
    described = "、".join(f"{label} {count}件" for label, count, _ in rows) or "該当する事例はありません"
    return Chart(slug, title, f"{title}: {described}", bars, note)


def cost_bands(query: CaseQuery) -> list[tuple[str, int]]:
    """How many of the list's cases fall in each cost band (cases without a known cost are left out)."""
    whens, lower = [], 0
    for index, (upper, _) in enumerate(COST_BANDS):
        condition = {"project_cost_yen__gte": lower}
        if upper is not None:
            condition["project_cost_yen__lt"] = upper
        whens.append(When(then=Value(index), **condition))
        lower = upper or lower
    rows = (
        query.filtered()
        .filter(project_cost_yen__isnull=False)
        .annotate(band=Case(*whens, output_field=IntegerField()))
        .order_by()
        .values("band")
        .annotate(n=Count("pk"))
    )
    found = {row["band"]: row["n"] for row in rows}
    return [(label, found.get(index, 0)) for index, (_, label) in enumerate(COST_BANDS)]


def population_chart(counts: dict, query: CaseQuery, summary: FilterSummary, list_url: str) -> Chart:
    """「人口規模」: every band in order with its count from the list's `population` facet (so a band counts
    what its link, `/cases/?population=<slug>` with the other filters, lists); then the cases without a band
    (led by a prefecture, or by an organization without a population) as 「都道府県・人口不明」, not linked:
    those the list holds beyond its banded cases, none once a band is chosen."""
    found = counts["population"]
    rows = [
        (label, found.get(slug, 0), list_url + summary.query_string(population=[slug]) if found.get(slug) else None)
        for slug, label, _, _ in POPULATION_BANDS
    ]
    unbanded = 0 if query.selected.get("population") else counts[TOTAL][""] - sum(found.values())
    if unbanded > 0:
        rows.append((NO_BAND, unbanded, None))
    note = (
        "主体の団体の人口で数えています（住民基本台帳に基づく人口。"
        f"{POPULATION_SOURCE}）。都道府県が主体の事例と、人口の分からない団体が主体の事例は「{NO_BAND}」に数えます。"
    )
    return bar_chart("population", "人口規模ごとの事例数（主体の団体の人口）", rows, note)


def stats_context(query: CaseQuery, summary: FilterSummary, list_url: str) -> dict:
    """The charts and the map of the cases `query` means; links go to the list at `list_url`."""
    counts = query.counts()

    def facet_rows(name: str, values) -> list[tuple[str, int, str | None]]:
        rows = []
        for value in values:
            count = counts[name].get(value, 0)
            if count:
                label = year_label(value) if name == "year" else summary.label_of(name, value)
                rows.append((label, count, list_url + summary.query_string(**{name: [value]})))
        return rows

    years = sorted(counts["year"], reverse=True)
    charts = [
        bar_chart("measure", "重点取組事項ごとの事例数", facet_rows("measure", summary.labels["measure"])),
        bar_chart("region", "地方ごとの事例数", facet_rows("region", summary.labels["region"])),
        bar_chart("grant", "財源制度ごとの事例数", facet_rows("grant", summary.labels["grant"])),
        bar_chart("year", "実施年度ごとの事例数", facet_rows("year", years)),
        bar_chart("cost", "事業費の分布（事業費の分かる事例）", [(label, n, None) for label, n in cost_bands(query)]),
        population_chart(counts, query, summary, list_url),
    ]
    return {
        "charts": charts,
        "total": query.total(),
        "chart_width": WIDTH,
        "japan_map": map_context(query, summary, list_url),
    }
