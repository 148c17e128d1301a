from django.http import Http404
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

    def route(self, request, path_components):
        """Wagtail's routing, with the home page's few children read in one query that the site's
        navigation then reuses (casebook.home.context_processors) instead of looking them up again."""
        if not path_components:
            return super().route(request, path_components)
        children = list(self.get_children())
        request.casebook_sections = children
        for child in children:
            if child.slug == path_components[0]:
                child._cached_parent_obj = self  # as Wagtail does: RoutablePageMixin asks for the parent
                return child.specific.route(request, path_components[1:])
        raise Http404

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["measures"] = visible(MeasurePage.objects.all()).order_by("number")
        context["newest_cases"] = CasePage.objects.visible().for_listing().newest_first()[:NEWEST_CASES_ON_HOME]
        return context
