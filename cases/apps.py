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
