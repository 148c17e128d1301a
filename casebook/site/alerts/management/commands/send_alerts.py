"""manage.py send_alerts: the digests of every due alert, then the clean-up of what the site no longer
needs. Safe to run as often as you like (cron or a systemd timer, README): an alert is due once a day
or a week, and a case is never announced twice to one alert."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casebook.site.alerts.digests import send_due
from casebook.site.alerts.subscriptions import purge


class Command(BaseCommand):
    help = "新着事例のメール通知（まとめ）を、送る時期の来た登録に送ります。何度実行しても同じ事例を二度は送りません。"

    def handle(self, *args, **options):
        now = timezone.now()
        report = send_due(now)
        removed = purge(now)
        self.stdout.write(
            f"送信 {report.sent}通（事例 {report.cases}件）、新着なし {report.nothing_new}件、"
            f"削除: 未確認の申し込み {removed['unconfirmed']}件・登録のないアドレス {removed['addresses']}件"
        )
        if report.stale:
            self.stdout.write(
                f"条件の一部がなくなったため送らなかった通知: {', '.join(map(str, report.stale))}"
                "（重点取組事項やタグの名前が変わった可能性があります）"
            )
        if report.failed:
            raise CommandError("送れなかった通知があります（次の実行で送り直します）:\n" + "\n".join(report.failed))
