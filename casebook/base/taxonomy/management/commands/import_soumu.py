from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casebook.base.core.parsing import parse_fiscal_year, parse_japanese_date
from casebook.base.taxonomy.soumu import SoumuError, apply, known_codes, read_file


def _date(text: str):
    try:
        return parse_japanese_date(text)
    except ValueError as error:
        raise CommandError(f"--as-of: {error}") from None


def _year(text: str):
    try:
        return parse_fiscal_year(text)
    except ValueError as error:
        raise CommandError(f"--fiscal-year: {error}") from None


class Command(BaseCommand):
    help = (
        "総務省の「住民基本台帳に基づく人口、人口動態及び世帯数」（市区町村別）または「地方公共団体の主要財政指標一覧」"
        "の .xlsx（または CSV）を読み込み、団体コードで照合して各団体の人口・財政指標を更新します。"
        "どちらの表かは見出し行から判断します。誤りのある行が1つでもあれば、その一覧を表示して何も書き込みません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="総務省の表（.xlsx または .csv）")
        parser.add_argument("--dry-run", action="store_true", help="書き込まずに、変わる内容だけを表示します")
        parser.add_argument(
            "--as-of", help="人口の基準日（例: 2023-01-01、令和5年1月1日）。表題から分かるときは不要です"
        )
        parser.add_argument("--fiscal-year", help="財政指標の年度（例: 2021、令和3年度）。表題から分かるときは不要です")
        parser.add_argument(
            "--replace-newer",
            action="store_true",
            help="登録済みの数値の基準日・年度のほうが新しくても置き換えます",
        )

    def handle(self, *args, file, dry_run, as_of, fiscal_year, replace_newer, **options):
        as_of = _date(as_of) if as_of else None
        fiscal_year = _year(fiscal_year) if fiscal_year else None
        try:
            table = read_file(Path(file), known=known_codes(), as_of=as_of, fiscal_year=fiscal_year)
        except SoumuError as error:
            lines = error.problems[:50]
            if len(error.problems) > 50:
                lines.append(f"ほか{len(error.problems) - 50}件")
            message = "総務省の表を読み込めませんでした（何も書き込んでいません）:\n" + "\n".join(lines)
            raise CommandError(message) from None
        if as_of is not None and table.kind != "population":
            self.stdout.write(self.style.WARNING("--as-of は人口の表にだけ使います（この表では使いませんでした）。"))
        if fiscal_year is not None and table.kind != "fiscal":
            self.stdout.write(
                self.style.WARNING("--fiscal-year は財政指標の表にだけ使います（この表では使いませんでした）。")
            )
        (report,) = apply([table], dry_run=dry_run, replace_newer=replace_newer)
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("試行のため、何も書き込んでいません（--dry-run）。"))
        else:
            self.stdout.write(self.style.SUCCESS(f"{table.name}: {report.summary()}"))
