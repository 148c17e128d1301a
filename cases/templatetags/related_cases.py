from django import template

from cases.discovery.related import related_cases

register = template.Library()


@register.simple_tag(takes_context=True)
def related_cases_of(context, case):
    """A case page's related cases: the editor's picks, then those worked out from data
    (cases.discovery.related, a layer the page itself may not import). A preview's are worked out
    from the draft and never cached."""
    request = context.get("request")
    return related_cases(case, preview=bool(getattr(request, "is_preview", False)))
