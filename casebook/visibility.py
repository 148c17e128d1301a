"""Which pages the public may see: live, and under no view restriction. The one place for it."""

from django.db import models
from django.db.models.lookups import StartsWith
from wagtail.models import PageViewRestriction


def restricted_q() -> models.Q:
    """True for a page that is, or is below, a page with a view restriction (login, password, group).

    Wagtail's public() first fetches every restriction in a query of its own; this asks the same
    question inside the page query, as a subquery.
    """
    page_path = models.ExpressionWrapper(models.OuterRef("path"), output_field=models.CharField())
    return models.Q(models.Exists(PageViewRestriction.objects.filter(StartsWith(page_path, models.F("page__path")))))


def visible(queryset):
    return queryset.live().exclude(restricted_q())
