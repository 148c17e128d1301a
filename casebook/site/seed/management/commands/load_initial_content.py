from django.core.management.base import BaseCommand, CommandError

from casebook.site.seed.loader import DEFAULT_FIXTURES, SeedError, load_initial_content


class Command(BaseCommand):
    help = "サイトの構成と初期コンテンツ（47都道府県、重点取組事項、5事例）を作成します。何度実行しても同じ結果です。"

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(DEFAULT_FIXTURES), help="初期コンテンツのフォルダ")

    def handle(self, *args, fixtures, **options):
        try:
            report = load_initial_content(fixtures)
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"初期コンテンツ: {len(report.created)}件を作成、"
                f"{len(report.skipped)}件は作成済みのため変更しませんでした。"
            )
        )
        if report.national is not None:
            self.stdout.write(self.style.SUCCESS(f"全国の団体一覧: {report.national}"))
        for table in report.soumu:
            self.stdout.write(self.style.SUCCESS(f"{table.table.name}: {table.table.dated}。{table.summary()}"))
        if report.site_address:
            self.stdout.write(self.style.SUCCESS(f"サイトのアドレスを {report.site_address} にしました。"))
