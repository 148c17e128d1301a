from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "事例"

    def ready(self):
        from taggit.models import Tag
        from wagtail.models import WorkflowState
        from wagtail.signals import page_published, workflow_rejected

        from casebook.base.core import schedule
        from casebook.base.core.cache import content_changed, invalidate_on_change
        from cases.content import usage
        from cases.content.pages import CasePage
        from cases.discovery import search
        from cases.intake.submission import when_published, when_rejected
        from cases.reuse import api_fields

        search.register()
        usage.register()
        api_fields.register()
        invalidate_on_change(Tag)  # tags are a facet of the case list
        # Each app server has its own export folder: tidied on every machine, once per machine.
        schedule.register(
            "tidy-exports", "出力ファイルの置き場の整理（上限の中に収める）", tidy_exports, per_machine=True
        )
        # The dataset (/cases/datasets/) follows every change, on the worker; the schedule catches up
        # on a change it missed and retires exports of old versions.
        content_changed.connect(rebuild_datasets, dispatch_uid="casebook-datasets-on-change")
        schedule.register(
            "datasets", "データセット（全件の出力）の作り直しと、古い出力ファイルの削除", refresh_datasets
        )

        # 「事例を投稿」: the submitter hears when their case is published or returned.
        page_published.connect(when_published, sender=CasePage, dispatch_uid="submission_published")
        workflow_rejected.connect(when_rejected, sender=WorkflowState, dispatch_uid="submission_rejected")


def tidy_exports() -> str:
    from cases.reuse.export import tidy_export_cache

    report = tidy_export_cache()
    return f"出力ファイル: 削除 {report['removed']}件、残り {report['kept']}件（ディスク上 {report['bytes']:,} バイト）"


def rebuild_datasets(**kwargs) -> None:
    from django.conf import settings

    from casebook.base.core.links import page_public_url
    from cases.reuse.prepared import request_datasets, safely
    from cases.routes.index import CaseIndexPage

    if not settings.CASEBOOK_DATASETS_ON_CHANGE:
        return
    index = safely(lambda: CaseIndexPage.objects.live().first())
    if index is not None:
        safely(request_datasets, page_public_url(index))


def refresh_datasets() -> str:
    from casebook.base.core.links import page_public_url
    from cases.reuse.prepared import request_datasets, tidy_prepared_exports
    from cases.routes.index import CaseIndexPage

    index = CaseIndexPage.objects.live().first()
    queued = request_datasets(page_public_url(index)) if index is not None else 0
    report = tidy_prepared_exports()
    return f"データセット: 作成を依頼 {queued}件、古い出力ファイルの削除 {report['removed']}件"
