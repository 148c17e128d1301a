import copy

from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from casebook.base.core.visibility import ServedPageMixin, visible
from casebook.site.home.routing import home_sections
from cases.discovery.nearby import DEFAULT_WITHIN_KM, WITHIN_CHOICES
from cases.models import CaseIndexPage, CasePage
from measures.models import MeasureIndexPage, MeasurePage, current_plan

NEWEST_CASES_ON_HOME = 6


class HomePage(ServedPageMixin, Page):
    intro = RichTextField("導入文", blank=True, help_text="ライブラリが何かを2〜3文で")
    about_sources = RichTextField("出典について", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("about_sources")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["measures.MeasureIndexPage", "cases.CaseIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "ホーム"

    def read_sections(self) -> dict[str, Page]:
        # One query per allowed type, which gives each page whole (no base row, then its own).
        return {page.slug: page for model in self.allowed_subpage_models() for page in model.objects.child_of(self)}

    def sections(self) -> dict[str, Page]:
        """The home page's children (the site's sections) by slug, as their own page types, from the one
        cached read of the sites (casebook.site.home.routing): routing and the navigation use them on
        every request. A home page that no site starts at reads them itself."""
        if not hasattr(self, "_sections"):
            found = home_sections(self.pk)
            self._sections = found if found is not None else self.read_sections()
        return self._sections

    def route(self, request, path_components):
        """Wagtail's routing, with the first step taken from sections(); the navigation reuses them
        (casebook.site.home.context_processors)."""
        if not path_components:
            return super().route(request, path_components)
        sections = self.sections()
        request.casebook_sections = list(sections.values())
        if path_components[0] not in sections:
            raise Http404
        child = copy.copy(sections[path_components[0]])  # each request its own instance
        child._cached_parent_obj = self  # as Wagtail does: RoutablePageMixin asks for the parent
        return child.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        plan = current_plan()
        pages = {page.pk: page for page in visible(MeasurePage.objects.all())}
        context["plan_version"] = plan.latest
        context["measures"] = plan.numbered_pages(pages, plan.latest)
        context["within_choices"], context["within_selected"] = WITHIN_CHOICES, DEFAULT_WITHIN_KM
        context["newest_cases"] = CasePage.objects.visible().for_listing().newest_first()[:NEWEST_CASES_ON_HOME]
        return context


# The sections live under the home page only. They are in the layers below, which never name a page
# type above them, so the home page says it here.
MeasureIndexPage.parent_page_types = ["home.HomePage"]
CaseIndexPage.parent_page_types = ["home.HomePage"]
