from django import template

register = template.Library()


@register.filter
def distance_of(distances, case) -> str:
    """「約 23 km」 for a case on a list filtered by `near`, else ""."""
    return distances.get(case.pk, "") if distances else ""
