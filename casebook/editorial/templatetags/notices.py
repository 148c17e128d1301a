"""Links in the review notices (templates/wagtailadmin/notifications/): the admin on
WAGTAILADMIN_BASE_URL, the public page on CASEBOOK_BASE_URL — not the Site record's host, which is
「http://localhost/」 on an installation nobody told otherwise."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def public_url(page) -> str:
    parts = page.get_url_parts() if page is not None else None
    path = parts[2] if parts else getattr(page, "url", "") or ""
    return settings.CASEBOOK_BASE_URL.rstrip("/") + path


@register.simple_tag
def admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
