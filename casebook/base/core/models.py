from django.db import models
from wagtail.admin.panels import FieldPanel


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


class SourceLink(models.Model):
    """A document a page draws its facts from."""

    title = models.CharField(
        "資料名", max_length=255, help_text="例: 総務省 マイナンバーカードの申請状況【2023年1月9日時点】"
    )
    url = models.URLField("URL", max_length=500, blank=True)
    note = models.CharField("補足", max_length=255, blank=True)

    panels = [FieldPanel("title"), FieldPanel("url"), FieldPanel("note")]

    class Meta:
        abstract = True

    def __str__(self):
        return self.title
