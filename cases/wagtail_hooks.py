from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cases.models import GrantProgram, Municipality, Prefecture


class PrefectureViewSet(SnippetViewSet):
    model = Prefecture
    icon = "site"
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "name_kana", "name_romaji"]


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "home"
    list_display = ["name", "prefecture", "kind", "code"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["name", "name_kana", "name_romaji", "code"]


class GrantProgramViewSet(SnippetViewSet):
    model = GrantProgram
    icon = "tag"
    list_display = ["name", "administered_by"]
    search_fields = ["name", "administered_by"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = "分類"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (PrefectureViewSet, MunicipalityViewSet, GrantProgramViewSet)


register_snippet(TaxonomyGroup)
