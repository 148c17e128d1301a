from django.db import models


class SeedRecord(models.Model):
    """A seed item that load_initial_content has created once; it is never created or changed again."""

    key = models.CharField(max_length=200, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "home_seedrecord"  # created by the home app before the seed loader had an app of its own
        verbose_name = "初期コンテンツの読込記録"

    def __str__(self):
        return self.key
