from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "casebook.site.editorial"
    label = "editorial"
    verbose_name = "編集と承認"

    def ready(self):
        from casebook.base.core.tasks import register_reaper
        from casebook.site.editorial.imports import reap_stalled_jobs

        quiet_submission_notices()
        register_reaper(reap_stalled_jobs)


def quiet_submission_notices():
    """Wagtail's 「承認に回されました」 notices, skipped while a bulk import runs (casebook.base.core.notifications):
    the import sends the moderators one summary instead of one notice per case.

    Connected under Wagtail's own dispatch_uid before wagtail.admin's ready() connects its notifiers
    (this app comes first in INSTALLED_APPS), so Wagtail's connect finds the slot taken."""
    from wagtail.admin import signal_handlers as wagtail_handlers
    from wagtail.models import TaskState, WorkflowState
    from wagtail.signals import task_submitted, workflow_submitted

    from casebook.base.core.notifications import is_muted

    def unless_muted(notifier):
        def notify(sender, **kwargs):
            return None if is_muted() else notifier(sender=sender, **kwargs)

        return notify

    task_submitted.connect(
        unless_muted(wagtail_handlers.task_submission_email_notifier),
        sender=TaskState,
        dispatch_uid="group_approval_task_submitted_email_notification",
        weak=False,
    )
    workflow_submitted.connect(
        unless_muted(wagtail_handlers.workflow_submission_email_notifier),
        sender=WorkflowState,
        dispatch_uid="workflow_state_submitted_email_notification",
        weak=False,
    )
