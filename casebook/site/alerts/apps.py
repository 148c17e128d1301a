from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "casebook.site.alerts"
    label = "alerts"
    verbose_name = "新着事例のメール通知"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from casebook.base.core import schedule
        from casebook.site.alerts.digests import send_alerts

        schedule.register("alerts", "新着事例のメール通知（まとめ）の送信と、不要になった登録の削除", send_alerts)
