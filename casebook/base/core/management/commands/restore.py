import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casebook.base.core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "backup で作ったアーカイブから、データベースとアップロードされたファイルを置き換えて戻します。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup が作った .tar.gz")
        parser.add_argument("--yes", action="store_true", help="確認せずに置き換えます")

    def handle(self, archive, yes=False, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"「{archive[:200]}」というファイルはありません。")
        try:
            manifest = read_manifest(path)
            if not yes:
                answer = input(
                    f"{manifest.get('created_at')} のバックアップで今のデータを置き換えます。よろしいですか？ [y/N] "
                )
                if answer.strip().lower() not in ("y", "yes"):
                    raise CommandError("中止しました。何も変更していません。")
            restore_backup(path)
        except (BackupError, OSError, EOFError, sqlite3.Error) as error:
            raise CommandError(f"戻せませんでした: {error}") from error
        self.stdout.write(f"{path} から戻しました。")
