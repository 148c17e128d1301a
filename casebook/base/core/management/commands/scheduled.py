"""manage.py scheduled JOB…: the site's scheduled work, each job once per schedule across the fleet
(casebook.base.core.schedule). The same lines may run on every machine (docs/operating.md, Schedule)."""

from django.core.management.base import BaseCommand, CommandError

from casebook.base.core import schedule


class Command(BaseCommand):
    help = "定期処理を実行します（複数のサーバーで同時に動かしても、それぞれ一度だけ実行されます）。"

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", help="実行する処理の名前（--list で一覧）")
        parser.add_argument("--list", action="store_true", help="処理の一覧を表示します")

    def handle(self, *args, jobs, **options):
        if options["list"] or not jobs:
            for job in schedule.JOBS.values():
                self.stdout.write(f"{job.name}\t{job.description}")
            if not jobs:
                return
        unknown = [name for name in jobs if name not in schedule.JOBS]
        if unknown:
            known = "、".join(schedule.JOBS)
            raise CommandError(f"知らない処理です: {'、'.join(unknown)}（使えるのは {known}）")
        failed = []
        for name in jobs:
            try:
                line = schedule.run(name)
            except Exception as error:  # one job's failure does not keep the next from running
                failed.append(f"{name}: {error}")
                continue
            if line is None:
                self.stdout.write(f"{name}: ほかのサーバーで実行中のため、実行しませんでした。")
            else:
                self.stdout.write(f"{name}: {line}")
        if failed:
            raise CommandError("失敗した処理があります:\n" + "\n".join(failed))
