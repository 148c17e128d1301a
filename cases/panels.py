"""Admin panels of the case editor."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class InterviewsPanel(Panel):
    """The case's interviews, with a link to add one under this case."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cases/admin/interviews_panel.html"

        def get_context_data(self, parent_context=None):
            from cases.models import InterviewPage

            context = super().get_context_data(parent_context)
            case = self.instance
            context["case_saved"] = bool(case and case.pk)
            if case and case.pk:
                context["interviews"] = InterviewPage.objects.child_of(case).order_by("path")
                context["add_url"] = reverse("wagtailadmin_pages:add", args=("cases", "interviewpage", case.pk))
            return context
