from django import template

from casebook.core import formatting
from casebook.core.text import normalise

register = template.Library()


@register.filter
def yen(amount):
    return formatting.format_yen(amount)


@register.filter
def fiscal_year(year):
    return formatting.format_fiscal_year(year)


@register.filter
def japanese_date(value):
    return formatting.format_japanese_date(value)


@register.filter
def number(value):
    """A Decimal without trailing zeros, with thousands separators: 1788.000 → 1,788; 66.300 → 66.3."""
    if value is None:
        return ""
    normalized = value.normalize() if hasattr(value, "normalize") else value
    text = f"{normalized:,f}" if hasattr(normalized, "normalize") else f"{normalized:,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def tel_href(phone):
    """「０８４７－４３－７１５３」 → 「tel:0847437153」: digits only, whatever was typed between them."""
    digits = "".join(ch for ch in normalise(str(phone or "")) if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""
