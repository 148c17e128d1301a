from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

NEWEST_CASES_ON_HOME = 6


class HomePage(Page):
    intro = RichTextField("導入文", blank=True, help_text="ライブラリが何かを2〜3文で")
    about_sources = RichTextField("出典について", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("about_sources")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["measures.MeasureIndexPage", "cases.CaseIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "ホーム"

    def get_context(self, request, *args, **kwargs):
        from cases.models import CasePage
        from measures.models import MeasurePage

        context = super().get_context(request, *args, **kwargs)
        context["measures"] = MeasurePage.objects.live().public().order_by("number")
        context["newest_cases"] = CasePage.objects.visible().for_listing().newest_first()[:NEWEST_CASES_ON_HOME]
        return context


class SeedRecord(models.Model):
    """A seed item that load_initial_content has created once; it is never created or changed again."""

    key = models.CharField(max_length=200, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "初期コンテンツの読込記録"

    def __str__(self):
        return self.key
