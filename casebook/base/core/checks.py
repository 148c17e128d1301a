"""System checks of the site's configuration against its database."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from casebook.base.core.links import site_address


@register(Tags.database)
def site_record_agrees_with_the_base_url(app_configs=None, **kwargs):
    """The Wagtail Site record names the host and port of CASEBOOK_BASE_URL (run on `migrate` and
    `check --database default`)."""
    from wagtail.models import Site

    address = site_address()
    if address is None:
        return []
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet
        return []
    if site is None or (site.hostname, site.port) == address:
        return []
    return [
        Warning(
            f"サイトの記録（{site.hostname}:{site.port}）が CASEBOOK_BASE_URL（{settings.CASEBOOK_BASE_URL}）と"
            "違います。",
            hint="manage.py load_initial_content を実行すると、サイトの記録をそのアドレスに合わせます。",
            id="casebook.W001",
        )
    ]
