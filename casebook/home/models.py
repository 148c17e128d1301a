from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from casebook.core.visibility import visible
from cases.models import CasePage
from measures.models import MeasurePage

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
        context = super().get_context(request, *args, **kwargs)
        context["measures"] = visible(MeasurePage.objects.all()).order_by("number")
        context["newest_cases"] = CasePage.objects.visible().for_listing().newest_first()[:NEWEST_CASES_ON_HOME]
        return context
