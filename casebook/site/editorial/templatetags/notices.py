"""Links in the review notices (templates/wagtailadmin/notifications/): the admin on
WAGTAILADMIN_BASE_URL, the public page on CASEBOOK_BASE_URL — not the Site record's host, which is
「http://localhost/」 on an installation nobody told otherwise."""

from django import template

from casebook.base.core import links

register = template.Library()
register.filter("public_url", links.page_public_url)
register.simple_tag(links.admin_url, name="admin_url")
