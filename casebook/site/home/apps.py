from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "casebook.site.home"
    label = "home"
    verbose_name = "ホーム"
