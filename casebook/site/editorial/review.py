"""A moderator's approval or rejection says what it did.

Wagtail ends an approval from the editor with its save message (「ページ：'…' の更新が完了しました。」, the
same words as a plain save) and one from the dashboard with no message at all. Its page views are
chosen per page type through a PageViewSet; `ReviewedPageViewSet` is registered for `Page` itself
(wagtail_hooks.py), after Wagtail's own, so every page type's editor and workflow action use these two
views. A page type given a viewset of its own should take `edit_view_class` and
`workflow_action_view_class` from it.
"""

from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, TaskState


def review_message(page: Page, action: str) -> tuple[str, list] | None:
    """The message for `action` ("approve" or "reject") just taken on `page`, with its buttons; None
    for any other action (Wagtail's own message stands)."""
    page = Page.objects.get(pk=page.pk).specific  # published by the approval: not the view's copy
    title = page.get_admin_display_title()
    if action == "reject":
        return f"「{title}」を差し戻しました。", []
    if action != "approve":
        return None
    state = page.current_workflow_state
    if state is not None and state.current_task_state is not None:  # a workflow of several steps
        return f"「{title}」を承認しました。次は「{state.current_task_state.task.name}」です。", []
    scheduled = page.scheduled_revision
    if scheduled is not None and scheduled.approved_go_live_at > timezone.now():
        when = format_date(timezone.localtime(scheduled.approved_go_live_at), "Y年n月j日 H:i")
        return f"「{title}」を承認しました。{when}に公開されます。", []
    url = page.get_url() if page.live else None
    buttons = [messages.button(url, "公開中のページを見る", new_window=False)] if url else []
    return f"「{title}」を承認し、公開しました。", buttons


class ReviewEditView(EditView):
    """The editor: after 「承認と公開」 or 「変更をリクエスト」, a message naming what was done."""

    review_action = None

    def perform_workflow_action(self):
        self.review_action = self.workflow_action
        return super().perform_workflow_action()

    def add_save_confirmation_message(self):
        said = review_message(self.page, self.review_action) if self.review_action else None
        if said is None:
            return super().add_save_confirmation_message()
        text, buttons = said
        messages.success(self.request, text, buttons=buttons)


class ReviewActionView(WorkflowActionView):
    """The dashboard's 「承認」 and 「変更をリクエスト」 buttons: the same message as the editor's."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if TaskState.objects.get(pk=self.task_state.pk).status != TaskState.STATUS_IN_PROGRESS:
            said = review_message(self.object, self.action_name)
            if said is not None:
                messages.success(request, said[0], buttons=said[1])
        return response


class ReviewedPageViewSet(PageViewSet):
    """Wagtail's page views, but for the editor's and the workflow action's (see the module's doc)."""

    edit_view_class = ReviewEditView
    workflow_action_view_class = ReviewActionView
