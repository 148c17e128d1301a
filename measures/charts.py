"""A measure page's statistics as charts, chosen from the rows themselves so that an editor's new
statistic gets the right chart without code:

- values of one group at one time, in one unit, side by side (AI and RPA by type of government),
  one row of bars per category and series;
- one item's values at different times, oldest first (telework: 49.3% → 62.9%);
- a statistic against the numeric target that names it (マイナンバーカード普及率 66.3% → 100%).

A percentage, or a count with a denominator (672/1,788団体), is drawn as a share on a 0–100 axis;
other units on an axis up to their largest value. Only what two or more bars (or a target) can
show is drawn: a lone value stays a table row."""

from dataclasses import dataclass, field
from decimal import Decimal

from casebook.base.core.charts import WIDTH, bar_width, short, text_width
from casebook.base.core.formatting import format_number
from measures.plan import PERCENT_UNITS

# Geometry, in SVG user units (casebook.base.core.charts).
CATEGORY_X = 150  # category labels end here
SERIES_X = 218  # series labels end here
BAR_X = 226
BAR_AREA = 330
ROW = 26
BAR_HEIGHT = 18
CATEGORY_GAP = 10
TOP = 24  # room for the target's label
AXIS = 22  # room for the percentage axis under the bars
SERIES_CLASSES = 4  # bar colours cycle through .stat-chart__bar--0 … --3 (casebook.css)


@dataclass(frozen=True)
class StatBar:
    category: str
    series: str
    value: Decimal
    text: str
    y: int
    width: int
    first_of_category: bool
    colour: int
    short_category: str
    short_series: str

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def inside(self) -> bool:
        """A value whose text would run off the chart is written inside the end of its bar."""
        return BAR_X + self.width + 6 + text_width(self.text) > WIDTH and self.width > text_width(self.text) + 8

    @property
    def value_x(self) -> int:
        return BAR_X + self.width - 6 if self.inside else BAR_X + self.width + 6


@dataclass(frozen=True)
class Tick:
    x: int
    label: str


@dataclass
class StatChart:
    slug: str
    kind: str  # "compare", "change" or "target"
    title: str
    description: str
    bars: list[StatBar]
    ticks: list[Tick] = field(default_factory=list)
    target_x: int | None = None
    target_label: str = ""

    width = WIDTH
    bar_x = BAR_X
    series_x = SERIES_X
    bar_height = BAR_HEIGHT
    top = TOP

    @property
    def bottom(self) -> int:
        return (self.bars[-1].y + BAR_HEIGHT + 4) if self.bars else TOP

    @property
    def height(self) -> int:
        return self.bottom + (AXIS if self.ticks else 4)

    @property
    def tick_y(self) -> int:
        return self.bottom + 16

    @property
    def category_x(self) -> int:
        """Category labels end before the series labels, or take their room when there are none."""
        return CATEGORY_X if any(bar.series for bar in self.bars) else SERIES_X

    @property
    def target_anchor(self) -> str:
        return "end" if (self.target_x or 0) > WIDTH // 2 else "start"


def lay_out(rows: list[tuple[str, str, Decimal, str]], top: Decimal) -> list[StatBar]:
    """`rows` as (category, series, plotted value, text), grouped by category in first-seen order."""
    series_order = list(dict.fromkeys(series for _, series, _, _ in rows))
    categories = list(dict.fromkeys(category for category, _, _, _ in rows))
    category_room = (CATEGORY_X if any(series_order) else SERIES_X) - 8
    series_room = SERIES_X - CATEGORY_X - 8
    bars, y = [], TOP
    for category in categories:
        first = True
        for c, series, value, text in rows:
            if c != category:
                continue
            width = bar_width(value, top, BAR_AREA)
            colour = series_order.index(series) % SERIES_CLASSES
            labels = short(category, category_room), short(series, series_room)
            bars.append(StatBar(category, series, value, text, y, width, first, colour, *labels))
            first = False
            y += ROW
        y += CATEGORY_GAP
    return bars


def percent_ticks(top: Decimal) -> list[Tick]:
    return [Tick(BAR_X + bar_width(step, top, BAR_AREA), f"{step}%") for step in (0, 25, 50, 75, 100)]


def chart(slug, kind, title, rows, shares: bool, target: tuple[Decimal, str] | None = None) -> StatChart:
    """A chart of `rows` (category, series, value, text); `target` as (value on the same scale, label)."""
    largest = max([value for _, _, value, _ in rows] + ([target[0]] if target else []))
    top = max(Decimal(100), largest) if shares else largest
    bars = lay_out(rows, top)
    described = "、".join(f"{c}{f'（{s}）' if s else ''} {text}" for c, s, _, text in rows)
    result = StatChart(slug, kind, title, f"{title}: {described}", bars, percent_ticks(top) if shares else [])
    if target:
        result.target_x = BAR_X + bar_width(target[0], top, BAR_AREA)
        result.target_label = target[1]
        result.description += f"。{target[1]}"
    return result


def plotted(stat) -> tuple[Decimal, bool]:
    """(value on the chart's axis, whether the axis is a share)."""
    share = stat.share
    return (share, True) if share is not None else (stat.value, False)


def scale_key(stat) -> str:
    """Rows are drawn together only on the same axis: shares, or one unit."""
    return "%" if stat.share is not None else stat.unit.strip()


@dataclass
class StatGroup:
    name: str
    rows: list
    charts: list[StatChart]

    @property
    def has_series(self) -> bool:
        return any(row.series for row in self.rows)


def statistic_groups(statistics, prefix: str = "stat") -> list[StatGroup]:
    """The page's statistics by group (in the editor's order), each with the charts its rows make."""
    groups: dict[str, list] = {}
    for stat in statistics:
        groups.setdefault(stat.group, []).append(stat)
    result = []
    for g, (name, rows) in enumerate(groups.items(), start=1):
        charts = compare_charts(name, rows, f"{prefix}-{g}") + change_charts(name, rows, f"{prefix}-{g}")
        result.append(StatGroup(name, rows, charts))
    return result


def compare_charts(group: str, rows: list, slug: str) -> list[StatChart]:
    """Rows of one time and one scale, two or more: side by side."""
    buckets: dict[tuple, list] = {}
    for stat in rows:
        buckets.setdefault((stat.comparable_date or stat.when, scale_key(stat)), []).append(stat)
    charts = []
    for i, ((_, _), stats) in enumerate(buckets.items(), start=1):
        if len(stats) < 2:
            continue
        shares = stats[0].share is not None
        when = stats[0].when
        title = f"{group or '主な統計'}（{when}）" if when else group or "主な統計"
        drawn = [(s.label, s.series, plotted(s)[0], s.display_value) for s in stats]
        charts.append(chart(f"{slug}-c{i}", "compare", title, drawn, shares))
    return charts


def change_charts(group: str, rows: list, slug: str) -> list[StatChart]:
    """One item (label and series) at two or more times, on one scale: oldest first."""
    items: dict[tuple, list] = {}
    for stat in rows:
        if stat.comparable_date:
            items.setdefault((stat.label, stat.series, scale_key(stat)), []).append(stat)
    charts = []
    for i, ((label, series, _), stats) in enumerate(items.items(), start=1):
        if len({s.comparable_date for s in stats}) < 2:
            continue
        stats = sorted(stats, key=lambda s: s.comparable_date)
        shares = stats[0].share is not None
        name = f"{label}（{series}）" if series else label
        title = f"{group}: {name}の推移" if group else f"{name}の推移"
        drawn = [(s.when, "", plotted(s)[0], s.display_value) for s in stats]
        result = chart(f"{slug}-t{i}", "change", title, drawn, shares)
        first, last = plotted(stats[0])[0], plotted(stats[-1])[0]
        change = last - first
        unit = "ポイント" if shares else stats[-1].unit
        if change:
            result.description += f"（{format_number(abs(change))}{unit}{'増' if change > 0 else '減'}）"
        charts.append(result)
    return charts


def target_charts(targets, statistics) -> dict[int, StatChart]:
    """For each target with a value that names a statistic: the statistic's latest value against it,
    keyed by the target's position in `targets`."""
    charts = {}
    for i, target in enumerate(targets):
        if target.value is None or not target.statistic_label:
            continue
        named = [s for s in statistics if s.label == target.statistic_label]
        if not named:
            continue
        stat = max(named, key=lambda s: (s.comparable_date is not None, s.comparable_date))
        value, shares = plotted(stat)
        target_is_share = target.unit.strip() in PERCENT_UNITS
        if shares != target_is_share:
            continue  # a share cannot be drawn against a count: the target stays text
        deadline = f"・{target.deadline}" if target.deadline else ""
        label = f"目標 {format_number(target.value)}{target.unit}（{target.description}{deadline}）"
        title = f"{stat.label}と目標（{stat.when}）" if stat.when else f"{stat.label}と目標"
        drawn = [(stat.label, "", value, stat.display_value)]
        charts[i] = chart(f"target-{i + 1}", "target", title, drawn, shares, (target.value, label))
    return charts
