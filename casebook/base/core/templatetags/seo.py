"""The head's description, canonical link and link-preview tags, for every page (templates/base.html)."""

from django import template

from casebook.base.core.links import public_url
from casebook.base.core.seo import page_description

register = template.Library()

SITE_NAME = "Casebook 自治体DX事例ライブラリ"


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context):
    """A view may set `canonical_url`, `meta_title`, `meta_description` and `og_type`; otherwise they
    come from the page (its summary when no search description was written)."""
    request = context.get("request")
    page = context.get("page")
    canonical = context.get("canonical_url")
    if not canonical and request is not None:
        canonical = public_url(request.path, request)
        if page is not None:
            # The page's own address; a page's route (the browse page, the field reference) keeps its path.
            own = page.get_url(request) or ""
            route = request.path[len(own) :] if own and request.path.startswith(own) else ""
            canonical = (page.get_full_url(request) or canonical) + route
    title = context.get("meta_title") or (page and (page.seo_title or page.title)) or SITE_NAME
    description = context.get("meta_description") or (page_description(page) if page is not None else "")
    return {
        "canonical_url": canonical,
        "title": title,
        "description": description,
        "og_type": context.get("og_type", "website"),
        "site_name": SITE_NAME,
    }


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """`path` on the site's own address (CASEBOOK_BASE_URL, or the request's)."""
    return public_url(path, context.get("request"))
