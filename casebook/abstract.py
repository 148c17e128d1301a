"""Abstract inline models shared by several page types."""

from django.db import models
from wagtail.admin.panels import FieldPanel


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
