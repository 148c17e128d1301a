"""E-mail alerts for a saved search of the case list: an address, its alerts (one per set of filters),
and which case each alert has announced. An address is kept only while it has an alert; an alert
nobody confirmed is deleted after UNCONFIRMED_FOR."""

import datetime

from django.db import models

from casebook.base.core.links import new_token  # noqa: F401  (migrations name it here)

UNCONFIRMED_FOR = datetime.timedelta(days=7)


class Frequency(models.TextChoices):
    DAILY = "daily", "毎日"
    WEEKLY = "weekly", "毎週"


# A digest is due this long after the last look: a little under a day or a week, so that a timer
# firing at the same hour each day is never a few seconds early.
INTERVALS = {
    Frequency.DAILY: datetime.timedelta(hours=23),
    Frequency.WEEKLY: datetime.timedelta(days=6, hours=23),
}


class Subscriber(models.Model):
    """One e-mail address; its token opens the page that manages all of its alerts."""

    email = models.EmailField("メールアドレス", unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "通知の登録者"

    def __str__(self):
        return self.email


class Alert(models.Model):
    """One saved search: the list's filters as a canonical query string (no order, no page)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="alerts")
    filters = models.TextField("条件", blank=True)
    description = models.CharField("条件の説明", max_length=300)
    frequency = models.CharField("頻度", max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField("確認日時", null=True, blank=True)
    # When send_alerts last looked for new cases (whether or not it found some).
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "新着事例のメール通知"
        constraints = [models.UniqueConstraint(fields=["subscriber", "filters"], name="one_alert_per_search")]

    def __str__(self):
        return self.description

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def due(self, now: datetime.datetime) -> bool:
        if not self.confirmed:
            return False
        return self.checked_at is None or now - self.checked_at >= INTERVALS[self.frequency]


class Delivery(models.Model):
    """A case an alert has announced (or is announcing): recorded before the mail goes out, so that a
    case is never announced twice to one alert, whatever happens to the run."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    case = models.ForeignKey("cases.CasePage", on_delete=models.CASCADE, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "通知済みの事例"
        constraints = [models.UniqueConstraint(fields=["alert", "case"], name="one_announcement_per_case")]

    def __str__(self):
        return f"{self.alert_id}: {self.case_id}"


class SignupAttempt(models.Model):
    """A sign-up, for the rate limits: keyed hashes of the address and the client, never the address."""

    address_key = models.CharField(max_length=64, db_index=True)
    client_key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"
