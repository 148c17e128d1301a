from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "casebook.base.search"
    label = "casebook_search"
    verbose_name = "日本語検索"

    def ready(self):
        from casebook.base.search import signals

        signals.connect()
