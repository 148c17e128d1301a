"""Measure numbers in templates: the number depends on the plan edition (measures/plan.py)."""

from django import template

from measures.models import current_plan

register = template.Library()


@register.filter
def measure_number(measure) -> str:
    """「1」 in the latest edition; 「2020年版 3」 for a measure only an earlier edition lists."""
    plan = current_plan()
    numbers = plan.numbers_of(measure.pk)
    if not numbers:
        return ""
    if plan.latest and numbers[0].version == plan.latest:
        return str(numbers[0].number)
    return f"{numbers[0].version.short_name} {numbers[0].number}"


@register.filter
def crosswalk_note(measure) -> str:
    """「2020年版の『行政手続のオンライン化』として登録」, or "" for a measure of the latest edition."""
    return current_plan().crosswalk_note(measure.pk)
