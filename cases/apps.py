from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "事例"

    def ready(self):
        from taggit.models import Tag
        from wagtail.models import WorkflowState
        from wagtail.signals import page_published, workflow_rejected

        from casebook.base.core.cache import invalidate_on_change
        from cases.content import usage
        from cases.content.pages import CasePage
        from cases.discovery import search
        from cases.intake.submission import when_published, when_rejected
        from cases.reuse import api_fields

        search.register()
        usage.register()
        api_fields.register()
        invalidate_on_change(Tag)  # tags are a facet of the case list

        # 「事例を投稿」: the submitter hears when their case is published or returned.
        page_published.connect(when_published, sender=CasePage, dispatch_uid="submission_published")
        workflow_rejected.connect(when_rejected, sender=WorkflowState, dispatch_uid="submission_rejected")
