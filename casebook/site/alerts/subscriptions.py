"""Signing up, confirming and leaving: the rules of an alert's life in one place.

Nobody can learn from the site whether an address is subscribed: a sign-up always answers the same,
and what differs (a confirmation, or a note that the search is already saved) goes to the address."""

import logging
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import transaction

from casebook.base.core.limits import DAY, HOUR, Limit, count_and_add, send_or_refuse
from casebook.base.core.links import keyed_hash as keyed
from casebook.site.alerts import mail
from casebook.site.alerts.models import UNCONFIRMED_FOR, Alert, SignupAttempt, Subscriber

logger = logging.getLogger(__name__)


def saved_filters(summary) -> str:
    """The list's honoured filters as the canonical query string an alert keeps: no order, no page."""
    pairs = [(key, value) for key, value in parse_qsl(summary.query_string().lstrip("?")) if key != "sort"]
    return urlencode(pairs)


def signup_limits(email: str, client: str) -> list[Limit]:
    limits = settings.CASEBOOK_ALERT_LIMITS
    return [
        Limit(
            "address_key",
            keyed(email),
            limits["per_address_per_day"],
            DAY,
            "このメールアドレスへの登録の申し込みが多すぎます。明日以降にもう一度お試しください。",
        ),
        Limit(
            "client_key",
            keyed(client),
            limits["per_client_per_hour"],
            HOUR,
            "登録の申し込みが多すぎます。1時間ほどしてからもう一度お試しください。",
        ),
    ]


def sign_up(email: str, frequency: str, filters: str, description: str, client: str, now) -> Alert:
    """Save the search for the address (pending until confirmed) and mail the address: a confirmation
    link, or, for a search it already receives, a note with the link to manage its alerts."""
    email = email.strip().lower()
    description = description if len(description) <= 300 else description[:299] + "…"
    with transaction.atomic():
        count_and_add(
            SignupAttempt.objects.all(),
            "at",
            signup_limits(email, client),
            now,
            lambda: SignupAttempt.objects.create(address_key=keyed(email), client_key=keyed(client), at=now),
        )
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        alert, created = Alert.objects.get_or_create(
            subscriber=subscriber, filters=filters, defaults={"description": description, "frequency": frequency}
        )
        if not created and not alert.confirmed:  # asked again before confirming: the latest choice counts
            Alert.objects.filter(pk=alert.pk).update(description=description, frequency=frequency, created_at=now)
            alert.refresh_from_db()
    message = mail.already_subscribed(alert) if alert.confirmed else mail.confirmation(alert)
    send_or_refuse(
        message.send, "確認のメールを送れませんでした。しばらくしてからもう一度お試しください。", "alert confirmation"
    )
    return alert


def confirm(alert: Alert, now) -> None:
    """Double opt-in done: cases published from now on are announced."""
    if not alert.confirmed:
        alert.confirmed_at = alert.checked_at = now
        alert.save(update_fields=["confirmed_at", "checked_at"])


@transaction.atomic
def leave(alert: Alert) -> None:
    """Stop one alert; an address left with none is deleted with it."""
    subscriber = alert.subscriber
    alert.delete()
    if not subscriber.alerts.exists():
        subscriber.delete()


def purge(now) -> dict[str, int]:
    """What the site no longer needs: alerts never confirmed, addresses without alerts, old attempts."""
    _, unconfirmed = Alert.objects.filter(confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_FOR).delete()
    _, addresses = Subscriber.objects.filter(alerts__isnull=True).delete()
    _, attempts = SignupAttempt.objects.filter(at__lt=now - DAY).delete()
    return {
        "unconfirmed": unconfirmed.get("alerts.Alert", 0),
        "addresses": addresses.get("alerts.Subscriber", 0),
        "attempts": attempts.get("alerts.SignupAttempt", 0),
    }
