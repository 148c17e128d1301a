from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from casebook.base.taxonomy import usage, views
from casebook.base.taxonomy.models import GrantProgram, Municipality, Prefecture


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

    # The admin keeps the addresses it had before taxonomy moved out of the cases app, so editors'
    # bookmarks and links in old notification e-mails still work.
    @property
    def url_prefix(self):
        return f"snippets/cases/{self.model_name}"

    @property
    def url_namespace(self):
        return f"wagtailsnippets_cases_{self.model_name}"

    @property
    def chooser_admin_url_namespace(self):
        return f"wagtailsnippetchoosers_cases_{self.model_name}"

    @property
    def chooser_base_url_path(self):
        return f"snippets/choose/cases/{self.model_name}"


class PrefectureViewSet(TaxonomyViewSet):
    model = Prefecture
    icon = "site"
    list_display = ["code", "name", "region"]
    list_filter = ["region"]


class MunicipalityIndexView(TextMatchIndexView):
    def get_base_queryset(self):
        counts = {name: expression() for _, name, expression in usage.counts(Municipality)}
        return super().get_base_queryset().select_related("prefecture").annotate(**counts)


class MunicipalityViewSet(TaxonomyViewSet):
    model = Municipality
    icon = "home"
    index_view_class = MunicipalityIndexView
    list_filter = ["kind", "prefecture"]

    @property
    def list_display(self):
        # The apps above add their counts (cases per municipality) when they are ready.
        counts = [Column(name, label=label, sort_key=name) for label, name, _ in usage.counts(Municipality)]
        return ["name", "prefecture", "kind", "code", *counts]


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


@hooks.register("register_admin_urls")
def organization_search_url():
    # Inside the admin: Wagtail requires a signed-in user with admin access.
    return [path("organizations/search/", views.organization_search, name="taxonomy_organization_search")]
