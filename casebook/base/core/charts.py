"""Server-drawn SVG bar charts: the geometry and the cutting of long labels that the statistics page
(cases/reuse/stats.py) and the measure pages (measures/charts.py) share. Labels are drawn at 13px
(casebook.css: .bar-chart__label, .stat-chart text); the table beside each chart has them whole."""

from decimal import Decimal

WIDTH = 640  # SVG user units; the SVG scales to its box
FONT_PX = 13


def text_width(text: str) -> int:
    """About how wide `text` is drawn at 13px: full-width characters twice as wide as ASCII."""
    return sum(FONT_PX if ord(ch) > 0x2000 else 7 for ch in text)


def short(label: str, room: int) -> str:
    """`label` cut with 「…」 to fit `room` units."""
    if text_width(label) <= room:
        return label
    while label and text_width(label + "…") > room:
        label = label[:-1]
    return label + "…"


def bar_width(value: Decimal | int, top: Decimal | int, area: int) -> int:
    """How long a bar of `value` is on an axis from 0 to `top` drawn `area` units long."""
    return round(area * value / top) if top and value > 0 else 0
