from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "事例"

    def ready(self):
        from taggit.models import Tag

        from casebook.core.cache import invalidate_on_change
        from cases import search, usage

        search.register()
        usage.register()
        invalidate_on_change(Tag)  # tags are a facet of the case list

        # 「事例を投稿」: the submitter hears when their case is published or returned.
        from wagtail.models import WorkflowState
        from wagtail.signals import page_published, workflow_rejected

        from cases.models import CasePage
        from cases.submission import when_published, when_rejected

        page_published.connect(when_published, sender=CasePage, dispatch_uid="submission_published")
        workflow_rejected.connect(when_rejected, sender=WorkflowState, dispatch_uid="submission_rejected")
