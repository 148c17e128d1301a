from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "casebook.search"
    label = "casebook_search"
    verbose_name = "日本語検索"

    def ready(self):
        from casebook.search import signals

        signals.connect()
