from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "casebook.site.alerts"
    label = "alerts"
    verbose_name = "新着事例のメール通知"
    default_auto_field = "django.db.models.BigAutoField"
