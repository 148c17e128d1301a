from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from measures.models import PlanVersion


class PlanVersionViewSet(SnippetViewSet):
    model = PlanVersion
    icon = "list-ol"
    menu_label = "計画の版"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "short_name", "issued_on"]


register_snippet(PlanVersionViewSet)
