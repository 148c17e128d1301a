from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "casebook.site.seed"
    label = "seed"
    verbose_name = "初期コンテンツ"
