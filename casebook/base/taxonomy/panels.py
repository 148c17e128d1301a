"""The organization editor's read-only panel of 総務省's figures (population and fiscal indices)."""

from wagtail.admin.panels import Panel

from casebook.base.core.formatting import format_fiscal_year


class SoumuFiguresPanel(Panel):
    """The population with its reference date and the five fiscal indices with their fiscal year, as
    loaded from 総務省's tables. It adds no form field: a posted form cannot change them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "taxonomy/admin/soumu_figures_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            organization = self.instance
            loaded = organization is not None and organization.pk is not None
            context["organization"] = organization if loaded else None
            if loaded:
                context["fiscal_year"] = (
                    format_fiscal_year(organization.fiscal_year) if organization.fiscal_year else ""
                )
            return context
