from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "casebook.home"
    label = "home"
    verbose_name = "ホーム"
