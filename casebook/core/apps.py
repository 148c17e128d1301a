from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casebook.core"
    label = "core"
    verbose_name = "共通"

    def ready(self):
        from casebook.core.cache import connect_invalidation

        connect_invalidation(self)
