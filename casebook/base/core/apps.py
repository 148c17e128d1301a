from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casebook.base.core"
    label = "core"
    verbose_name = "共通"

    def ready(self):
        from django.db.models.signals import post_migrate

        from casebook.base.core import checks, schedule, uploads  # noqa: F401  (checks registers the system checks)
        from casebook.base.core.cache import connect_invalidation
        from casebook.base.core.statistics import analyze_after_migrate

        connect_invalidation(self)
        uploads.connect()
        schedule.register_core_jobs()
        post_migrate.connect(analyze_after_migrate, sender=self, dispatch_uid="casebook-analyze-after-migrate")
