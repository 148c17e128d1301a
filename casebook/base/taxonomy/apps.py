from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "casebook.base.taxonomy"
    label = "taxonomy"
    verbose_name = "分類"

    def ready(self):
        from casebook.base.core.cache import invalidate_on_change
        from casebook.base.taxonomy.models import GrantProgram, Municipality, Prefecture

        # Names and codes appear on every list, filter and export.
        invalidate_on_change(Prefecture, Municipality, GrantProgram)
