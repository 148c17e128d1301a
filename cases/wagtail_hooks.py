from django import forms
from django.contrib import messages
from django.db import models
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from cases.models import CasePage, GrantProgram, Municipality, Prefecture


class TextMatchFilterForm(BaseFilterForm):
    """The chooser's search box, matching parts of Japanese names (see TextMatchQuerySet)."""

    q = forms.CharField(
        label="検索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "名称・よみ・コードで検索"}),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.matching(query)
        return objects


class TextMatchChooseView(ChooseView):
    filter_form_class = TextMatchFilterForm


class TextMatchChooseResultsView(ChooseResultsView):
    filter_form_class = TextMatchFilterForm


class TextMatchChooserViewSet(SnippetChooserViewSet):
    choose_view_class = TextMatchChooseView
    choose_results_view_class = TextMatchChooseResultsView


class TextMatchIndexView(IndexView):
    def search_queryset(self, queryset):
        return queryset.matching(self.search_query) if self.is_searching else queryset


class TaxonomyViewSet(SnippetViewSet):
    index_view_class = TextMatchIndexView
    chooser_viewset_class = TextMatchChooserViewSet


class PrefectureViewSet(TaxonomyViewSet):
    model = Prefecture
    icon = "site"
    list_display = ["code", "name", "region"]
    list_filter = ["region"]


class MunicipalityIndexView(TextMatchIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("prefecture").annotate(case_count=case_count())


def case_count():
    """Cases (drafts included) that name the municipality as lead or partner."""
    cases = CasePage.objects.filter(
        models.Q(lead_organization=models.OuterRef("pk")) | models.Q(partner_organizations=models.OuterRef("pk"))
    )
    distinct_count = models.Func(models.F("pk"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
    return models.Subquery(cases.order_by().annotate(n=distinct_count).values("n")[:1])


class MunicipalityViewSet(TaxonomyViewSet):
    model = Municipality
    icon = "home"
    index_view_class = MunicipalityIndexView
    list_display = ["name", "prefecture", "kind", "code", Column("case_count", label="事例数", sort_key="case_count")]
    list_filter = ["kind", "prefecture"]


class GrantProgramViewSet(TaxonomyViewSet):
    model = GrantProgram
    icon = "tag"
    list_display = ["name", "administered_by"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = "分類"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (PrefectureViewSet, MunicipalityViewSet, GrantProgramViewSet)


register_snippet(TaxonomyGroup)


@hooks.register("before_delete_snippet")
def keep_taxonomy_in_use(request, instances):
    """A municipality, grant or prefecture that content still uses is not deleted; the message names the users."""
    blocked = [(obj, obj.used_by()) for obj in instances if hasattr(obj, "used_by")]
    blocked = [(obj, users) for obj, users in blocked if users]
    if not blocked:
        return None
    for obj, users in blocked:
        names = "、".join(f"「{user}」" for user in users[:10])
        more = f" ほか{len(users) - 10}件" if len(users) > 10 else ""
        messages.error(
            request,
            f"「{obj}」は次で使われているため削除できません: {names}{more}。先にそれらの参照を外してください。",
        )
    return redirect(instances[0].snippet_viewset.get_url_name("list"))
