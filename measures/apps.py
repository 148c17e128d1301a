from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "重点取組事項"

    def ready(self):
        from casebook.base.core.cache import invalidate_on_change
        from casebook.base.taxonomy import usage
        from casebook.base.taxonomy.models import GrantProgram
        from measures import search
        from measures.models import MeasurePage, PlanVersion, PlanVersionEntry

        search.register()
        invalidate_on_change(PlanVersion, PlanVersionEntry)
        usage.register(
            GrantProgram,
            lambda grant: (
                MeasurePage.objects.filter(support_measures__grant_program=grant).distinct().order_by("title")
            ),
            lambda content, pk: any(row.get("grant_program") == pk for row in content.get("support_measures") or []),
        )
