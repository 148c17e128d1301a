from django.db import models


class ContentVersion(models.Model):
    """One row whose token changes with every change to what the public may see.

    It lives in the database, where every writer (the admin, cron's publish_scheduled, an import,
    a second app server) already writes, so a cache in any process or on any machine learns of a
    change on its next request. Cached results, fragments and export files are keyed by it.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "公開内容のバージョン"

    def __str__(self):
        return self.token
