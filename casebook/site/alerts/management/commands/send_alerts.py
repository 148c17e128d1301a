"""manage.py send_alerts: the digests of every due alert, then the clean-up of what the site no longer
needs. Safe to run as often as you like, on every machine of a fleet (docs/operating.md, Schedule): it
runs under the schedule's lock in the database (casebook.base.core.schedule), an alert is due once a day
or a week, and a case is never announced twice to one alert."""

from django.core.management.base import BaseCommand, CommandError

from casebook.base.core import schedule
from casebook.site.alerts.digests import NotAllSent


class Command(BaseCommand):
    help = "新着事例のメール通知（まとめ）を、送る時期の来た登録に送ります。何度実行しても同じ事例を二度は送りません。"

    def handle(self, *args, **options):
        try:
            line = schedule.run("alerts")
        except NotAllSent as partly:
            raise CommandError(str(partly)) from None
        if line is None:
            self.stdout.write("ほかのサーバーで送信中のため、実行しませんでした。")
        else:
            self.stdout.write(line)
