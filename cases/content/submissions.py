"""A case proposed by a municipal employee on the public form (/cases/submit/): kept here until its
address is confirmed, then a draft case in review. The submitter's name, department and address stay
here, for the editors only: they are never copied onto the case or its exports."""

from django.db import models

from casebook.base.core.links import new_token  # noqa: F401  (migrations name it here)


class CaseSubmission(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "メールアドレスの確認待ち"
        IN_REVIEW = "in_review", "承認待ち"
        PUBLISHED = "published", "公開済み"
        RETURNED = "returned", "差し戻し"

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField("状態", max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    name = models.CharField("投稿者の氏名", max_length=60)
    department = models.CharField("投稿者の部署", max_length=120)
    email = models.EmailField("投稿者のメールアドレス")
    organization = models.ForeignKey(
        "taxonomy.Municipality", verbose_name="団体", on_delete=models.PROTECT, related_name="+"
    )
    # The case as typed (cases/intake/submission.py reads it into a draft when the address is confirmed).
    data = models.JSONField("投稿の内容", default=dict)
    case = models.OneToOneField(
        "cases.CasePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="submission"
    )
    client_key = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField("投稿日時", auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField("確認日時", null=True, blank=True)

    class Meta:
        verbose_name = "事例の投稿"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.data.get('title', '')}（{self.get_status_display()}）"
