"""A spreadsheet import as a job: the file, checked (the dry run), then written in the background."""

import uuid

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", "確認済み（未実行）"
        QUEUED = "queued", "実行待ち"
        RUNNING = "running", "実行中"
        DONE = "done", "完了"
        FAILED = "failed", "失敗（何も書き込んでいません）"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    summary = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    created = models.JSONField(default=list, blank=True)
    updated = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written while the job runs, from the heartbeat's own connection (casebook.base.core.tasks.beating),
    # so that every process reads the progress, and a job whose worker died is recognised.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "事例の取り込み"

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"
