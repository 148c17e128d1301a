import time

from django.core.management.base import BaseCommand, CommandError

from casebook.site.seed.synthetic import generate

MAX_COUNT = 200_000


class Command(BaseCommand):
    help = "速度・負荷試験用のサンプル事例（タイトル先頭に【サンプル】、タグ「サンプル」）を一括で追加します。"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="追加する事例の数（1〜200000）")
        parser.add_argument("--seed", type=int, default=1, help="乱数の種。同じ種なら同じ内容になります。")

    def handle(self, *args, count, seed, **options):
        if not 1 <= count <= MAX_COUNT:
            raise CommandError(f"--count は 1〜{MAX_COUNT} で指定してください。")
        started = time.monotonic()
        try:
            created = generate(count, seed)
        except LookupError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"サンプル事例を{created}件追加しました（{elapsed:.1f}秒）。"))
