"""Dashboard panels: what waits for review, the user's own drafts, what went public lately."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from cases.models import CasePage

PANEL_SIZE = 10


class ReviewQueuePanel(Component):
    """Every page waiting for a moderator, oldest first: editors see where their work stands."""

    template_name = "editorial/panels/review_queue.html"
    order = 50

    def get_context_data(self, parent_context=None):
        states = (
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_IN_PROGRESS, base_content_type=ContentType.objects.get_for_model(Page)
            )
            .select_related("requested_by", "current_task_state__task")
            .order_by("created_at")[:PANEL_SIZE]
        )
        pages = Page.objects.in_bulk([int(state.object_id) for state in states])
        rows = [(pages[int(state.object_id)], state) for state in states if int(state.object_id) in pages]
        return {"rows": rows}


class MyDraftsPanel(Component):
    """Pages the user created or last edited that are not public as they stand."""

    template_name = "editorial/panels/my_drafts.html"
    order = 60

    def get_context_data(self, parent_context=None):
        user = parent_context["request"].user
        pages = (
            Page.objects.filter(Q(owner=user) | Q(latest_revision__user=user), depth__gt=1)
            .filter(Q(live=False) | Q(has_unpublished_changes=True))
            .select_related("content_type", "latest_revision")
            .order_by("-latest_revision_created_at")[:PANEL_SIZE]
        )
        return {"pages": pages}


class RecentlyPublishedPanel(Component):
    template_name = "editorial/panels/recently_published.html"
    order = 70

    def get_context_data(self, parent_context=None):
        cases = CasePage.objects.live().select_related("lead_organization__prefecture")
        return {"cases": cases.order_by("-last_published_at", "-pk")[:PANEL_SIZE]}


class QuickActionsPanel(Component):
    """The dashboard's first row: 新しい事例を追加 in one click (it took four through the page explorer),
    and the spreadsheet import for those who may use it."""

    template_name = "editorial/panels/quick_actions.html"
    order = 10

    def get_context_data(self, parent_context=None):
        from django.urls import reverse

        from cases.models import CaseIndexPage

        request = parent_context["request"]
        index = CaseIndexPage.objects.first()
        can_add = index is not None and index.permissions_for_user(request.user).can_add_subpage()
        return {
            "add_case_url": reverse("wagtailadmin_pages:add", args=("cases", "casepage", index.pk)) if can_add else "",
            "import_url": reverse("editorial_import") if request.user.has_perm("cases.import_casepage") else "",
        }
