from django import template

from cases.discovery.related import related_cases

register = template.Library()


@register.simple_tag
def related_cases_of(case):
    """A case page's related cases: the editor's picks, then those worked out from data
    (cases.discovery.related, a layer the page itself may not import)."""
    return related_cases(case)
