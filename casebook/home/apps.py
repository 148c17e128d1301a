from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "casebook.home"
    label = "home"
    verbose_name = "ホーム"

    def ready(self):
        from casebook.home import signals

        signals.connect()
