from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "casebook.taxonomy"
    label = "taxonomy"
    verbose_name = "分類"

    def ready(self):
        from casebook.core.cache import invalidate_on_change
        from casebook.taxonomy.models import GrantProgram, Municipality, Prefecture

        # Names and codes appear on every list, filter and export.
        invalidate_on_change(Prefecture, Municipality, GrantProgram)
