from django.apps import apps
from django.db.models.signals import post_save


def connect():
    from cases.models import CaseIndexPage
    from measures.models import MeasureIndexPage

    for model in (CaseIndexPage, MeasureIndexPage):
        post_save.connect(_index_created, sender=model, dispatch_uid=f"editorial-workflow-{model.__name__}")


def _index_created(sender, instance, created, raw=False, **kwargs):
    """A new case or measure index is under review from the start."""
    if not created or raw:
        return
    from wagtail.models import Workflow

    from casebook.editorial.roles import WORKFLOW_NAME, attach_workflow

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        attach_workflow(apps, workflow, [instance.pk])
