from django import template

from casebook.base.core import formatting
from casebook.base.core.text import normalise

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
def file_size(size):
    return formatting.format_bytes(size)


@register.filter
def number(value):
    return formatting.format_number(value)


@register.filter
def tel_href(phone):
    """「０８４７－４３－７１５３」 → 「tel:0847437153」: digits only, whatever was typed between them."""
    digits = "".join(ch for ch in normalise(str(phone or "")) if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""
