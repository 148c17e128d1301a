from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casebook.core"
    label = "core"
    verbose_name = "共通"
