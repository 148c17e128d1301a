"""manage.py import_cases FILE [--dry-run] [--user NAME]: cases from a CSV or .xlsx in the export's columns.

Always reads the whole file first and prints the dry run's report; without --dry-run and with no error,
writes every new or changed case as a draft submitted for review (all or nothing)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from casebook.base.core.spreadsheet import MAX_UPLOAD_BYTES, SpreadsheetError, read_table
from cases.intake.importer import apply_import, plan_import
from cases.routes.index import CaseIndexPage


class Command(BaseCommand):
    help = "表計算ファイル（CSV・.xlsx）から事例を取り込みます。全行を確かめ、エラーがなければ承認待ちの下書きに。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV（UTF-8 または Shift_JIS）か .xlsx。列は事例の出力（export.csv）と同じ")
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで、何も書き込みません")
        parser.add_argument("--user", help="取り込んだ人として記録するユーザー名（省略時は記録なし）")

    def handle(self, *args, file, dry_run, user, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"ユーザー「{user}」はいません。")
        path = Path(file)
        try:
            if path.stat().st_size > MAX_UPLOAD_BYTES:
                raise CommandError(f"ファイルが大きすぎます（上限 {MAX_UPLOAD_BYTES // 1024 // 1024}MB）。")
            table = read_table(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(f"ファイル「{file}」を読めません（{error.strerror}）。") from None
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None
        plan = plan_import(table)
        for row in plan.rows:
            detail = f"（{'・'.join(row.changes)}）" if row.changes else ""
            if row.action != "error":
                self.stdout.write(f"{row.number}行目 {row.action_label}{detail}: {row.title}")
        if plan.unknown_columns:
            self.stdout.write(f"読まない列（不明な見出し）: {'、'.join(plan.unknown_columns)}")
        self.stdout.write(plan.summary())
        if not plan.ok:
            raise CommandError("エラーがあるため、何も書き込んでいません:\n" + "\n".join(plan.errors))
        if dry_run:
            self.stdout.write("確認のみ（--dry-run）: 何も書き込んでいません。")
            return
        index = CaseIndexPage.objects.first()
        if index is None:
            raise CommandError(
                "事例の一覧のページがないため、取り込めません。先に make run（初期コンテンツ）を実行してください。"
            )
        result = apply_import(plan, index, account)
        self.stdout.write(
            f"取り込みました: 新規 {len(result.created)}件、更新 {len(result.updated)}件を承認待ちにしました。"
        )
