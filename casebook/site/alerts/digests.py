"""send_alerts: each due alert gets one digest of the cases published since it was confirmed that
it has not announced yet, found by the case list's own query, so that a digest and the list never
disagree. Nothing new, no message.

Never twice: the cases of a digest are recorded (under a row lock on the alert) before the message
goes out. A message the mail server refuses gives its cases back for the next run; a run killed
between recording and sending loses that one digest rather than ever sending it twice."""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.http import QueryDict

from casebook.site.alerts import mail
from casebook.site.alerts.models import Alert, Delivery
from cases.discovery.listing import read_filters
from cases.models import CasePage

logger = logging.getLogger(__name__)

# A digest lists this many cases; the rest are one link away, on the list.
DIGEST_CASES = 20


@dataclass
class Report:
    sent: int = 0
    cases: int = 0
    nothing_new: int = 0
    stale: list[int] = field(default_factory=list)  # alerts whose filters the list no longer knows
    failed: list[str] = field(default_factory=list)


class StaleFilters(Exception):
    """A saved filter names a value the list no longer knows (a measure or tag renamed or unpublished):
    read leniently, the alert would widen to every new case."""


def new_cases(alert: Alert):
    """The list's cases for the alert's filters, published since it was confirmed and not yet announced."""
    query, summary = read_filters(QueryDict(alert.filters))
    if summary.ignored:
        raise StaleFilters("; ".join(summary.ignored))
    announced = Delivery.objects.filter(alert=alert).values("case_id")
    return (
        query.filtered()
        .filter(first_published_at__gt=alert.confirmed_at)
        .exclude(pk__in=announced)
        .order_by("first_published_at", "pk")
    )


def claim(alert_id: int, now) -> tuple[Alert | None, list[int]]:
    """Lock the alert, check it is still due, and record its new cases as announced."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscriber")
            .filter(pk=alert_id)
        )
        alert = alert.first()
        if alert is None or not alert.due(now):
            return None, []
        ids = list(new_cases(alert).values_list("pk", flat=True))
        Delivery.objects.bulk_create([Delivery(alert=alert, case_id=pk, recorded_at=now) for pk in ids])
        alert.checked_at = now
        alert.save(update_fields=["checked_at"])
        return alert, ids


def send_due(now) -> Report:
    report = Report()
    for alert_id in Alert.objects.filter(confirmed_at__isnull=False).order_by("pk").values_list("pk", flat=True):
        try:
            alert, ids = claim(alert_id, now)
        except StaleFilters as stale:
            logger.warning("alert %s skipped: %s", alert_id, stale)
            report.stale.append(alert_id)
            continue
        if alert is None:
            continue
        if not ids:
            report.nothing_new += 1
            continue
        shown = CasePage.objects.filter(pk__in=ids[:DIGEST_CASES]).for_listing().order_by("first_published_at", "pk")
        try:
            mail.digest(alert, list(shown), more=max(len(ids) - DIGEST_CASES, 0)).send()
        except Exception as error:  # the server refused it: nothing went out, so the cases go back
            logger.exception("alert digest not sent", extra={"alert": alert.pk})
            Delivery.objects.filter(alert=alert, case_id__in=ids).delete()
            Alert.objects.filter(pk=alert.pk).update(checked_at=None)
            report.failed.append(f"通知 {alert.pk}: {error}")
            continue
        report.sent += 1
        report.cases += len(ids)
    return report


class NotAllSent(Exception):
    """Some digests could not be sent (they go out on the next run)."""


def send_alerts() -> str:
    """The scheduled job (`manage.py send_alerts`, `manage.py scheduled alerts`): due digests, then the
    clean-up; run under the schedule's lock, so two machines starting it together send each digest once."""
    from django.utils import timezone

    from casebook.site.alerts.subscriptions import purge

    now = timezone.now()
    report = send_due(now)
    removed = purge(now)
    line = (
        f"送信 {report.sent}通（事例 {report.cases}件）、新着なし {report.nothing_new}件、"
        f"削除: 未確認の申し込み {removed['unconfirmed']}件・登録のないアドレス {removed['addresses']}件"
    )
    if report.stale:
        line += (
            f"\n条件の一部がなくなったため送らなかった通知: {', '.join(map(str, report.stale))}"
            "（重点取組事項やタグの名前が変わった可能性があります）"
        )
    if report.failed:
        raise NotAllSent(line + "\n送れなかった通知があります（次の実行で送り直します）:\n" + "\n".join(report.failed))
    return line
