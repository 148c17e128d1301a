from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "casebook.editorial"
    label = "editorial"
    verbose_name = "編集と承認"
