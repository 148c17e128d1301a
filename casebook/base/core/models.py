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


class WorkerHeartbeat(models.Model):
    """A task worker (`manage.py db_worker`) says here, every few seconds, that it is alive.

    The import page and /readyz read the newest row: with no worker seen for a while, a queued job
    would wait for ever, and they say so."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "タスクワーカー"

    def __str__(self):
        return f"{self.host}:{self.pid}"


class ScheduleLock(models.Model):
    """Who runs a scheduled job now (`manage.py scheduled`), so that the same schedule on every machine
    of a fleet runs it once: taken by one conditional write, held until it ends or `held_until`."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=255, blank=True)
    held_until = models.DateTimeField(null=True)
    last_started_at = models.DateTimeField(null=True)
    last_finished_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "定期処理のロック"

    def __str__(self):
        return self.name
